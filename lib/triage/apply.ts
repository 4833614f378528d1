// Triage actions on one finding or many: change status, assign, comment, request an exception.
// One transaction, set-based: the selected findings the actor may see go into a temporary table,
// each is given the reason it must be skipped (not the actor's team, a refused transition, …),
// the rest change, each change is a finding event, and the answer counts both. A single-finding
// action is the same call with one id; there a skip is an error that says why.
import { z } from "zod";
import { db, Prisma, prismaRun, type DbTx } from "@/lib/db";
import { notifyExceptionRequests } from "@/lib/notify/producers";
import { AppError } from "@/lib/errors";
import { check, InvalidInput } from "@/lib/admin/input";
import { auditActor, authorize, type UserActor } from "@/lib/authz/actor";
import { scopeOfViewer, triageTeams } from "@/lib/authz/policy";
import { recordAudit } from "@/lib/audit/record";
import { findingQuerySchema, findingWhere } from "@/lib/findings/explore";
import { exceptionEnd, exceptionTermsSchema, type ExceptionEnd } from "@/lib/exceptions/terms";
import { loadSlaSettings } from "@/lib/sla/settings";
import { ALLOWED_FROM, JUSTIFICATION_LABELS, JUSTIFICATIONS, needsJustification, SETTABLE_STATUSES, STATUS_LABELS } from "@/lib/triage/workflow";

/** The most findings one bulk action changes; beyond it, the filter must be narrowed. */
export const MAX_BULK = 20_000;

const findingId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "not a finding id");

export const selectionSchema = z.union([
  z.object({ ids: z.array(findingId).min(1, "select at least one finding").max(MAX_BULK, `at most ${MAX_BULK} findings at once`) }),
  z.object({ filter: z.string().max(4000) }),
]);
export type Selection = z.infer<typeof selectionSchema>;

const comment = z.string().trim().max(5000, "a comment has at most 5000 characters");

export const triageActionSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("status"), status: z.enum(SETTABLE_STATUSES), justification: z.enum(JUSTIFICATIONS).optional(), comment: comment.optional() }),
  z.object({ type: z.literal("assign"), assigneeId: findingId.nullable() }),
  z.object({ type: z.literal("comment"), body: comment.min(1, "a comment cannot be empty") }),
  z.object({ type: z.literal("request_exception"), terms: exceptionTermsSchema }),
]);
export type TriageAction = z.input<typeof triageActionSchema>;

export interface TriageResult {
  /** findings selected that the actor may see */
  matched: number;
  changed: number;
  skipped: { reason: string; count: number }[];
}

export async function triage(actor: UserActor, selectionInput: unknown, actionInput: unknown, now = new Date()): Promise<TriageResult> {
  authorize(actor, "findings:triage");
  const selection = check(selectionSchema, selectionInput);
  const action = check(triageActionSchema, actionInput);
  if (action.type === "status" && needsJustification(action.status)) {
    if (!action.justification) throw new InvalidInput(`${STATUS_LABELS[action.status]} needs a justification`);
    if (!action.comment) throw new InvalidInput(`${STATUS_LABELS[action.status]} needs a comment that explains it`);
  }
  return db.$transaction(
    async (tx) => {
      const { requested, matched } = await select(tx, actor, selection);
      // An exception request's end is checked against the policy once, before anything is marked.
      const end = action.type === "request_exception" ? exceptionEnd(action.terms, (await loadSlaSettings(tx)).maxExceptionDays, now) : null;
      await markRefusals(tx, actor, action, end);
      const skipped = await tx.$queryRawUnsafe<{ reason: string; count: number }[]>(
        `SELECT refusal AS reason, count(*)::int AS count FROM triage_selection WHERE refusal IS NOT NULL GROUP BY refusal ORDER BY count(*) DESC`,
      );
      const invisible = requested - matched;
      if (invisible > 0) skipped.push({ reason: "not found, or not visible to you", count: invisible });
      const changed = await applyAction(tx, actor, action, end, now);
      if (changed > 0) await audit(tx, actor, selection, action, changed);
      if (changed > 0 && action.type === "request_exception") await notifyRequests(tx, actor, now);
      return { matched, changed, skipped };
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}

/** One finding: the same action, where anything skipped is refused with its reason. */
export async function triageOne(actor: UserActor, findingIdInput: string, action: unknown, now = new Date()): Promise<void> {
  const result = await triage(actor, { ids: [findingIdInput] }, action, now);
  if (result.changed === 0) {
    const reason = result.skipped[0]?.reason ?? "nothing to change";
    throw new AppError(reason.startsWith("not found") ? "not_found" : reason.startsWith("not your") ? "forbidden" : "conflict", capitalise(reason));
  }
}


const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Fills triage_selection with the selected findings the actor may see; answers how many were asked for, and how many it holds. */
async function select(tx: DbTx, actor: UserActor, selection: Selection): Promise<{ requested: number; matched: number }> {
  const scope = scopeOfViewer(actor);
  const where =
    "ids" in selection
      ? Prisma.sql`f.id = ANY(${selection.ids}::text[]) AND ${findingWhere(scope, { sort: "severity", status: [...SETTABLE_STATUSES, "risk_accepted"] })}`
      : findingWhere(scope, findingQuerySchema.parse(Object.fromEntries(new URLSearchParams(selection.filter))));
  await tx.$executeRaw`CREATE TEMP TABLE triage_selection ON COMMIT DROP AS
    SELECT f.id, f."teamId" AS team, f.status, f."assigneeId" AS assignee, f.fixable, f.kind, NULL::text AS refusal
    FROM "Finding" f WHERE ${where} LIMIT ${MAX_BULK + 1}`;
  const [{ n }] = await tx.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM triage_selection`);
  if (n > MAX_BULK) throw new InvalidInput(`more than ${MAX_BULK} findings match: narrow the filter`);
  // Lock what will change, in id order, so two bulk actions cannot deadlock.
  await tx.$executeRawUnsafe(`SELECT 1 FROM "Finding" f JOIN triage_selection s ON s.id = f.id ORDER BY f.id FOR UPDATE OF f`);
  return { requested: "ids" in selection ? new Set(selection.ids).size : n, matched: n };
}

/** Gives each selected finding the reason it cannot take this action, if any. */
async function markRefusals(tx: DbTx, actor: UserActor, action: z.infer<typeof triageActionSchema>, end: ExceptionEnd | null): Promise<void> {
  const teams = triageTeams(actor);
  if (teams !== null) {
    await tx.$executeRawUnsafe(`UPDATE triage_selection SET refusal = 'not your team''s finding' WHERE team IS NULL OR NOT (team = ANY($1::text[]))`, teams);
  }
  const pending = (sql: string, ...params: unknown[]) => tx.$executeRawUnsafe(`UPDATE triage_selection SET refusal = ${sql} AND refusal IS NULL`, ...params);
  switch (action.type) {
    case "status": {
      const label = STATUS_LABELS[action.status].toLowerCase();
      await pending(`'already ${label}' WHERE status::text = $1`, action.status);
      await pending(`'risk accepted under an exception: revoke the exception to change it' WHERE status = 'risk_accepted'`);
      await pending(`'cannot go from ' || replace(status::text, '_', ' ') || ' to ${label}' WHERE NOT (status::text = ANY($1::text[]))`, ALLOWED_FROM[action.status]);
      return;
    }
    case "assign": {
      await pending(`'already assigned to them' WHERE assignee IS NOT DISTINCT FROM $1`, action.assigneeId);
      if (action.assigneeId === null) return;
      const assignee = await tx.user.findUnique({ where: { id: action.assigneeId }, select: { role: true, disabledAt: true } });
      if (!assignee || assignee.disabledAt) throw new InvalidInput("no such active user to assign");
      // Someone who can work on the finding: a member of the owning team, or a lead.
      if (assignee.role === "manager") throw new InvalidInput("a manager cannot be assigned findings (read-only role)");
      if (assignee.role === "engineer") {
        await pending(
          `'the assignee is not in the owning team' WHERE NOT EXISTS (SELECT 1 FROM "TeamMembership" m WHERE m."userId" = $1 AND m."teamId" = triage_selection.team)`,
          action.assigneeId,
        );
      }
      return;
    }
    case "comment":
      return;
    case "request_exception": {
      await pending(`'only open findings can be excepted' WHERE status NOT IN ('open', 'in_progress')`);
      await pending(
        `'an exception is already pending or approved' WHERE EXISTS (SELECT 1 FROM "RiskException" e WHERE e."findingId" = triage_selection.id AND e.status IN ('pending', 'approved'))`,
      );
      if (end!.untilFixAvailable) {
        await pending(`'"until a fix is available" is for vulnerabilities' WHERE kind <> 'vulnerability'`);
        await pending(`'a fix is already available' WHERE fixable`);
      }
      return;
    }
  }
}

async function applyAction(tx: DbTx, actor: UserActor, action: z.infer<typeof triageActionSchema>, end: ExceptionEnd | null, now: Date): Promise<number> {
  const event = (type: string, extra: string, ...params: unknown[]) =>
    tx.$executeRawUnsafe(
      `INSERT INTO "FindingEvent" ("findingId", type, "fromStatus", "toStatus", "actorUserId", note, at)
       SELECT id, '${type}'::"FindingEventType", ${extra} FROM triage_selection WHERE refusal IS NULL`,
      ...params,
    );
  switch (action.type) {
    case "status": {
      const justification = needsJustification(action.status) ? action.justification! : null;
      const changed = await tx.$executeRawUnsafe(
        `UPDATE "Finding" f SET status = $1::"FindingStatus", "statusChangedAt" = $2::timestamptz, justification = $3::"VexJustification",
           "fixedAt" = CASE WHEN $1 = 'fixed' THEN $2::timestamptz WHEN $1 IN ('open', 'in_progress') THEN NULL ELSE f."fixedAt" END,
           "fixedByScanId" = CASE WHEN $1 = 'fixed' OR $1 IN ('open', 'in_progress') THEN NULL ELSE f."fixedByScanId" END
         FROM triage_selection s WHERE s.id = f.id AND s.refusal IS NULL`,
        action.status,
        now,
        justification,
      );
      // The comment is stored as a comment (it follows the event in the timeline); the event names the justification.
      const note = justification ? JUSTIFICATION_LABELS[justification] : null;
      await event("status_changed", `status, $1::"FindingStatus", $2, $3, $4::timestamptz`, action.status, actor.userId, note, now);
      if (action.comment) await addComments(tx, actor, action.comment, now, false);
      return changed;
    }
    case "assign": {
      const changed = await tx.$executeRawUnsafe(
        `UPDATE "Finding" f SET "assigneeId" = $1 FROM triage_selection s WHERE s.id = f.id AND s.refusal IS NULL`,
        action.assigneeId,
      );
      const who = action.assigneeId ? await tx.user.findUniqueOrThrow({ where: { id: action.assigneeId }, select: { name: true, email: true } }) : null;
      const note = who ? (action.assigneeId === actor.userId ? `claimed by ${who.name || who.email}` : `assigned to ${who.name || who.email}`) : "unassigned";
      await event("assigned", `NULL, NULL, $1, $2, $3::timestamptz`, actor.userId, note, now);
      return changed;
    }
    case "comment":
      return addComments(tx, actor, action.body, now, true);
    case "request_exception": {
      const changed = await tx.$executeRawUnsafe(
        `INSERT INTO "RiskException" (id, "findingId", "requestedById", reason, status, "expiresAt", "untilFixAvailable", "createdAt")
         SELECT gen_random_uuid()::text, id, $1, $2, 'pending', $3::timestamptz, $4, $5::timestamptz FROM triage_selection WHERE refusal IS NULL`,
        actor.userId,
        action.terms.reason,
        end!.expiresAt,
        end!.untilFixAvailable,
        now,
      );
      await event("exception_requested", `NULL, NULL, $1, $2, $3::timestamptz`, actor.userId, action.terms.reason, now);
      return changed;
    }
  }
}

/** A comment on each finding that may take it; with `logged`, also a history event (a status change already has its own). */
async function addComments(tx: DbTx, actor: UserActor, body: string, now: Date, logged: boolean): Promise<number> {
  const added = await tx.$executeRawUnsafe(
    `INSERT INTO "Comment" (id, "findingId", "authorId", body, "createdAt")
     SELECT gen_random_uuid()::text, id, $1, $2, $3::timestamptz FROM triage_selection WHERE refusal IS NULL`,
    actor.userId,
    body,
    now,
  );
  if (logged) {
    await tx.$executeRawUnsafe(
      `INSERT INTO "FindingEvent" ("findingId", type, "actorUserId", at) SELECT id, 'commented', $1, $2::timestamptz FROM triage_selection WHERE refusal IS NULL`,
      actor.userId,
      now,
    );
  }
  return added;
}

/** The requests this action created, for webhooks (in its transaction). */
async function notifyRequests(tx: DbTx, actor: UserActor, now: Date): Promise<void> {
  const created = await tx.$queryRawUnsafe<{ id: string; teamId: string | null }[]>(
    `SELECT e.id, f."teamId" FROM "RiskException" e JOIN triage_selection s ON s.id = e."findingId" AND s.refusal IS NULL JOIN "Finding" f ON f.id = e."findingId"
     WHERE e."requestedById" = $1 AND e."createdAt" = $2::timestamptz AND e.status = 'pending' ORDER BY e.id`,
    actor.userId,
    now,
  );
  await notifyExceptionRequests(prismaRun(tx), created, now);
}

/** One audit entry per action (a bulk action is one entry with its count and selection). */
async function audit(tx: DbTx, actor: UserActor, selection: Selection, action: z.infer<typeof triageActionSchema>, changed: number): Promise<void> {
  if (action.type === "comment") return;
  const name = { status: "finding.status_changed", assign: "finding.assigned", request_exception: "exception.requested" }[action.type];
  const ids = await tx.$queryRawUnsafe<{ id: string }[]>(`SELECT id FROM triage_selection WHERE refusal IS NULL ORDER BY id LIMIT 50`);
  const what = Object.fromEntries(Object.entries(action).filter(([key]) => key !== "type"));
  await recordAudit(
    {
      ...auditActor(actor),
      action: name,
      targetType: "finding",
      targetId: changed === 1 ? ids[0]?.id : undefined,
      details: { changed, ...("filter" in selection ? { filter: selection.filter } : {}), findings: ids.map((r) => r.id), ...what },
    },
    tx,
  );
}
