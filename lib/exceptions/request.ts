// Asking for an exception from a finding: for that finding alone, or as a rule (its vulnerability
// or check, optionally only its package) across a scope the finding is in. The rule is derived
// from the finding on the server, so a request can only describe what exists and what the
// requester may triage: an engineer asks within their teams, "everywhere" is a lead's request.
import { z } from "zod";
import { db, prismaRun } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { check, InvalidInput } from "@/lib/admin/input";
import { auditActor, authorize, type UserActor } from "@/lib/authz/actor";
import { mayTriage, scopeOfViewer, seesAllTeams } from "@/lib/authz/policy";
import { recordAudit } from "@/lib/audit/record";
import { notifyException } from "@/lib/notify/producers";
import { exceptionEnd, exceptionTermsSchema } from "@/lib/exceptions/terms";
import { loadSlaSettings } from "@/lib/sla/settings";
import { triageOne } from "@/lib/triage/apply";
import type { FindingKind } from "@/lib/generated/prisma/enums";

export const RULE_SCOPES = ["repository", "namespace", "team", "cluster", "everywhere"] as const;
export type RuleScope = (typeof RULE_SCOPES)[number];

/**
 * The scopes a rule of each kind may take (a secret is excepted one finding at a time). A runtime
 * finding is one rule on one workload already: "this finding" is that rule on that workload.
 */
export const SCOPES_BY_KIND: Record<FindingKind, readonly RuleScope[]> = {
  vulnerability: ["repository", "namespace", "team", "everywhere"],
  misconfiguration: ["cluster", "namespace"],
  compliance: ["cluster", "namespace"],
  runtime: ["namespace", "cluster"],
  secret: [],
};

const requestSchema = z.object({
  findingId: z.string().min(1).max(64),
  scope: z.enum(["finding", ...RULE_SCOPES], { message: "choose what the exception covers" }),
  /** for a vulnerability: only this package */
  samePackage: z.boolean().default(false),
  /** scope "namespace" for an image's finding: one of the namespaces the image runs in */
  namespaceId: z.string().max(64).optional(),
  terms: exceptionTermsSchema,
});

export async function requestException(actor: UserActor, input: z.input<typeof requestSchema>, now = new Date()): Promise<{ exceptionId: string | null }> {
  authorize(actor, "exceptions:request");
  const request = check(requestSchema, input);
  if (request.scope === "finding") {
    await triageOne(actor, request.findingId, { type: "request_exception", terms: request.terms }, now);
    const created = await db.riskException.findFirst({ where: { findingId: request.findingId, status: "pending" }, select: { id: true } });
    return { exceptionId: created?.id ?? null };
  }
  const finding = await db.finding.findFirst({
    where: { id: request.findingId, ...(scopeOfViewer(actor).teamIds ? { teamId: { in: actor.teamIds } } : {}) },
    select: { id: true, kind: true, ruleId: true, packageName: true, teamId: true, clusterId: true, namespaceId: true, imageId: true, image: { select: { repositoryId: true, repository: { select: { teamId: true } } } } },
  });
  if (!finding) throw new AppError("not_found", "No such finding");
  if (!SCOPES_BY_KIND[finding.kind].includes(request.scope)) {
    throw new InvalidInput(`a ${finding.kind} exception can cover ${[...SCOPES_BY_KIND[finding.kind], "one finding"].join(", ")}, not a ${request.scope}`);
  }
  const settings = await loadSlaSettings();
  const end = exceptionEnd(request.terms, settings.maxExceptionDays, now);
  if (end.untilFixAvailable && finding.kind !== "vulnerability") throw new InvalidInput('"until a fix is available" is for vulnerabilities');
  const narrowing = await scopeOf(request.scope, finding, request.namespaceId);
  if (!seesAllTeams(actor.role) && (narrowing.owner === undefined || !mayTriage(actor, narrowing.owner))) {
    throw new AppError("forbidden", `You may ask for exceptions only within your teams: ${narrowing.label} is not your team's`);
  }
  const rule = { kind: finding.kind, ruleId: finding.ruleId, packageName: request.samePackage ? finding.packageName : null, ...narrowing.ids };
  const same = await db.riskException.findFirst({ where: { ...rule, findingId: null, status: { in: ["pending", "approved"] } }, select: { status: true } });
  if (same) throw new AppError("conflict", `An exception for ${finding.ruleId} across ${narrowing.label} is already ${same.status}`);
  return db.$transaction(async (tx) => {
    const created = await tx.riskException.create({
      data: { ...rule, requestedById: actor.userId, reason: request.terms.reason, expiresAt: end.expiresAt, untilFixAvailable: end.untilFixAvailable, createdAt: now },
      select: { id: true },
    });
    await tx.findingEvent.create({ data: { findingId: finding.id, type: "exception_requested", actorUserId: actor.userId, note: `for ${finding.ruleId} across ${narrowing.label}: ${request.terms.reason}`, at: now } });
    await recordAudit({ ...auditActor(actor), action: "exception.requested", targetType: "exception", targetId: created.id, details: { ...rule, scope: request.scope, ...end, reason: request.terms.reason } }, tx);
    await notifyException(prismaRun(tx), "exception.requested", created.id, now);
    return { exceptionId: created.id };
  });
}

interface Narrowing {
  ids: { repositoryId?: string; namespaceId?: string; teamId?: string; clusterId?: string };
  /** the team that owns the scope; undefined: none (only leads may ask) */
  owner: string | null | undefined;
  label: string;
}

type ScopedFinding = { teamId: string | null; clusterId: string | null; namespaceId: string | null; imageId: string | null; image: { repositoryId: string; repository: { teamId: string | null } } | null };

async function scopeOf(scope: RuleScope, f: ScopedFinding, namespaceChoice: string | undefined): Promise<Narrowing> {
  const missing = (what: string) => new InvalidInput(`this finding has no ${what} to scope the exception to`);
  switch (scope) {
    case "everywhere":
      return { ids: {}, owner: undefined, label: "everywhere" };
    case "team":
      if (!f.teamId) throw missing("team");
      return { ids: { teamId: f.teamId }, owner: f.teamId, label: "its team" };
    case "repository":
      if (!f.image) throw missing("image repository");
      return { ids: { repositoryId: f.image.repositoryId }, owner: f.image.repository.teamId, label: "its image repository" };
    case "cluster":
      if (!f.clusterId) throw missing("cluster");
      return { ids: { clusterId: f.clusterId }, owner: (await db.cluster.findUniqueOrThrow({ where: { id: f.clusterId }, select: { teamId: true } })).teamId, label: "its cluster" };
    case "namespace": {
      const id = f.namespaceId ?? namespaceChoice;
      if (!id) throw missing("namespace (choose one the image runs in)");
      const namespace = await db.namespace.findUnique({ where: { id }, select: { id: true, name: true, teamId: true, workloads: { where: { images: { some: { imageId: f.imageId ?? "" } } }, select: { id: true }, take: 1 } } });
      if (!namespace || (!f.namespaceId && namespace.workloads.length === 0)) throw new InvalidInput("the image does not run in that namespace");
      return { ids: { namespaceId: namespace.id }, owner: namespace.teamId, label: `namespace ${namespace.name}` };
    }
  }
}
