// Which findings an approved exception covers, set-based: making them risk accepted (at approval,
// and at every ingest for findings found later), ending "until a fix is available" exceptions when
// a fix appears, and reopening what an ended exception covered. Shared by ingest (node-postgres)
// and the tracker (Prisma), so each function takes a plain `run(sql, params)`.
import type { FindingEventType } from "@/lib/generated/prisma/enums";
import type { Run } from "@/lib/sql";

export type { Run };

/**
 * Exception e covers finding f: it was made for f, or f matches its rule (kind and rule id,
 * optionally one package) within its scope. Images are in a namespace when they run there.
 */
export const COVERS = `(e."findingId" = f.id OR (e."findingId" IS NULL AND e.kind = f.kind AND e."ruleId" = f."ruleId"
  AND (e."packageName" IS NULL OR e."packageName" = f."packageName")
  AND (e."teamId" IS NULL OR e."teamId" = f."teamId")
  AND (e."clusterId" IS NULL OR e."clusterId" = f."clusterId")
  AND (e."workloadId" IS NULL OR e."workloadId" = f."workloadId")
  AND (e."repositoryId" IS NULL OR EXISTS (SELECT 1 FROM "Image" im WHERE im.id = f."imageId" AND im."repositoryId" = e."repositoryId"))
  AND (e."namespaceId" IS NULL OR e."namespaceId" = f."namespaceId" OR EXISTS (
    SELECT 1 FROM "WorkloadImage" wi JOIN "Workload" w ON w.id = wi."workloadId" WHERE wi."imageId" = f."imageId" AND w."namespaceId" = e."namespaceId"))))`;

/** A finding an exception may cover now: open, and not fixable when it lasts until a fix is available. */
export const COVERABLE = `f.status IN ('open', 'in_progress') AND NOT (e."untilFixAvailable" AND f.fixable)`;

/** Which findings to look at: one target's (after a scan), or one exception's candidates (at approval). */
export type Candidates = { targetKey: string } | { exceptionId: string; findingId: string | null; ruleId: string | null };

function candidates(c: Candidates, n: number): { sql: string; params: unknown[] } {
  if ("targetKey" in c) return { sql: `f."targetKey" = $${n}`, params: [c.targetKey] };
  // An index on the finding's id or rule id keeps approval from reading every finding.
  const finding = c.findingId ? `f.id = $${n + 1}` : `f."ruleId" = $${n + 1}`;
  return { sql: `e.id = $${n} AND ${finding}`, params: [c.exceptionId, c.findingId ?? c.ruleId] };
}

/**
 * Open findings that an approved exception covers become risk accepted, linked to it (the oldest
 * exception wins when several match). "Until a fix is available" never covers a fixable finding.
 */
export async function coverFindings(run: Run, c: Candidates, now: Date, event: FindingEventType, actorUserId: string | null = null): Promise<number> {
  const where = candidates(c, 4);
  const rows = await run(
    `WITH matched AS (
       SELECT DISTINCT ON (f.id) f.id, e.id AS eid, f.status AS prev
       FROM "RiskException" e JOIN "Finding" f ON ${COVERS}
       WHERE e.status = 'approved' AND ${COVERABLE} AND ${where.sql}
       ORDER BY f.id, e."createdAt"),
     covered AS (
       UPDATE "Finding" f SET status = 'risk_accepted', "exceptionId" = m.eid, "statusChangedAt" = $1::timestamptz
       FROM matched m WHERE f.id = m.id
       RETURNING f.id, m.eid, m.prev),
     logged AS (
       INSERT INTO "FindingEvent" ("findingId", type, "fromStatus", "toStatus", "actorUserId", note, at)
       SELECT id, $2::"FindingEventType", prev, 'risk_accepted', $3, 'covered by exception ' || eid, $1::timestamptz FROM covered)
     SELECT count(*)::int AS n FROM covered`,
    [now, event, actorUserId, ...where.params],
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Approved "until a fix is available" exceptions that now cover (or match) a fixable finding of
 * the target end; their findings reopen. Answers the ended exceptions' ids.
 */
export async function endFixedExceptions(run: Run, targetKey: string, now: Date): Promise<string[]> {
  const rows = await run(
    `UPDATE "RiskException" e SET status = 'expired', "endedAt" = $1::timestamptz, "endReason" = 'a fix is available'
     WHERE e.status = 'approved' AND e."untilFixAvailable" AND EXISTS (
       SELECT 1 FROM "Finding" f WHERE f."targetKey" = $2 AND f.fixable
         AND (f."exceptionId" = e.id OR (f.status IN ('open', 'in_progress') AND ${COVERS})))
     RETURNING e.id`,
    [now, targetKey],
  );
  const ids = rows.map((r) => String(r.id));
  if (ids.length) await releaseFindings(run, ids, now, "exception_expired", "a fix is available", null);
  return ids;
}

/**
 * The findings that ended exceptions kept risk accepted reopen. The SLA clock was paused while
 * they were accepted: their due date moves by that time.
 */
export async function releaseFindings(run: Run, exceptionIds: string[], now: Date, event: FindingEventType, note: string, actorUserId: string | null): Promise<number> {
  const rows = await run(
    `WITH held AS (
       SELECT id, "exceptionId" AS eid, "statusChangedAt" AS since FROM "Finding"
       WHERE "exceptionId" = ANY($1::text[]) AND status = 'risk_accepted' FOR UPDATE),
     reopened AS (
       UPDATE "Finding" f SET status = 'open', "exceptionId" = NULL, "statusChangedAt" = $2::timestamptz,
         "dueAt" = f."dueAt" + ($2::timestamptz::timestamp - held.since)
       FROM held WHERE f.id = held.id
       RETURNING f.id, held.eid),
     logged AS (
       INSERT INTO "FindingEvent" ("findingId", type, "fromStatus", "toStatus", "actorUserId", note, at)
       SELECT id, $3::"FindingEventType", 'risk_accepted', 'open', $4, $5 || ' (exception ' || eid || ')', $2::timestamptz FROM reopened)
     SELECT count(*)::int AS n FROM reopened`,
    [exceptionIds, now, event, actorUserId, note],
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * After a scan merged a target: end what a new fix ends, then cover what approved exceptions
 * cover. `approvedExist`: the caller has just read whether any exception is approved.
 */
export async function applyExceptionsToTarget(run: Run, targetKey: string, now: Date, approvedExist?: boolean): Promise<{ covered: number; ended: number }> {
  const approved = approvedExist ?? ((await run(`SELECT EXISTS (SELECT 1 FROM "RiskException" WHERE status = 'approved') AS approved`, [])) as { approved: boolean }[])[0].approved;
  if (!approved) return { covered: 0, ended: 0 };
  const ended = await endFixedExceptions(run, targetKey, now);
  const covered = await coverFindings(run, { targetKey }, now, "status_changed");
  return { covered, ended: ended.length };
}
