// Policy an admin or security lead sets: SLA days per severity, and ownership rules (which team
// owns a repository, a cluster or a namespace). Every change is audited with before and after.
import { z } from "zod";
import { blankAsUndefined, check, idField, InvalidInput, teamNameField } from "@/lib/admin/input";
import { teamIdsByName } from "@/lib/admin/teams";
import { auditActor, authorize, type Actor } from "@/lib/authz/actor";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db";
import { applyOwnershipRules, type OwnershipChanges } from "@/lib/ownership/apply-rules";
import { SEVERITIES } from "@/lib/findings/model";
import { recomputeDueDates } from "@/lib/sla/policy";
import { loadSlaSettings } from "@/lib/sla/settings";

export async function loadPolicy(actor: Actor) {
  authorize(actor, "policy:manage");
  const [sla, rules] = await Promise.all([
    db.slaPolicy.findMany({ select: { severity: true, days: true } }),
    db.ownershipRule.findMany({
      orderBy: [{ repositoryPrefix: "asc" }, { clusterName: "asc" }, { namespace: "asc" }],
      select: { id: true, repositoryPrefix: true, clusterName: true, namespace: true, team: { select: { name: true } } },
    }),
  ]);
  const days = Object.fromEntries(sla.map((s) => [s.severity, s.days]));
  return { sla: SEVERITIES.map((severity) => ({ severity, days: days[severity] ?? null })), rules };
}

/** Days per severity; a blank means no SLA (no due date) for that severity. */
const slaDays = (s: string) =>
  z.preprocess(
    (v) => (v === undefined || v === null || (typeof v === "string" && v.trim() === "") ? null : v),
    z.coerce.number({ message: `${s}: days must be a number` }).int(`${s}: whole days`).min(1, `${s}: at least 1 day`).max(3650, `${s}: at most 3650 days`).nullable(),
  );
const slaInput = z.object(Object.fromEntries(SEVERITIES.map((s) => [s, slaDays(s)])) as Record<(typeof SEVERITIES)[number], ReturnType<typeof slaDays>>);

export async function setSlaDays(actor: Actor, input: Record<string, unknown>): Promise<void> {
  authorize(actor, "policy:manage");
  const wanted = check(slaInput, input);
  await db.$transaction(async (tx) => {
    const stored = Object.fromEntries((await tx.slaPolicy.findMany()).map((s) => [s.severity, s.days]));
    const before = Object.fromEntries(SEVERITIES.map((s) => [s, stored[s] ?? null]));
    for (const severity of SEVERITIES) {
      const days = wanted[severity] as number | null;
      if (days === null) await tx.slaPolicy.deleteMany({ where: { severity } });
      else await tx.slaPolicy.upsert({ where: { severity }, create: { severity, days }, update: { days } });
    }
    if (SEVERITIES.some((s) => before[s] !== wanted[s])) {
      // Open findings follow the new days at once.
      const recomputed = await recomputeDueDates(tx, await loadSlaSettings(tx));
      await recordAudit({ ...auditActor(actor), action: "policy.sla_changed", targetType: "policy", targetId: "sla", details: { from: before, to: wanted, recomputed } }, tx);
    }
  }, { timeout: 300_000 });
}

const ruleInput = z.object({
  team: teamNameField,
  repositoryPrefix: z.preprocess(blankAsUndefined, z.string().trim().min(3, "a repository prefix has at least 3 characters").max(500).optional()),
  clusterName: z.preprocess(blankAsUndefined, z.string().trim().min(1).max(253).optional()),
  namespace: z.preprocess(blankAsUndefined, z.string().trim().min(1).max(253).optional()),
});

/** Adds a rule and applies it at once to what exists; a rule of the same subject is refused (no ties). */
export async function createOwnershipRule(actor: Actor, input: z.input<typeof ruleInput>): Promise<OwnershipChanges> {
  authorize(actor, "policy:manage");
  const rule = check(ruleInput, input);
  if (!rule.repositoryPrefix === !rule.clusterName) throw new InvalidInput("a rule names a repository prefix or a cluster (with an optional namespace), not both");
  if (rule.namespace && !rule.clusterName) throw new InvalidInput("a namespace rule needs its cluster");
  const [teamId] = await teamIdsByName([rule.team]);
  const subject = { repositoryPrefix: rule.repositoryPrefix ?? null, clusterName: rule.clusterName ?? null, namespace: rule.namespace ?? null };
  const same = await db.ownershipRule.findFirst({ where: subject, select: { team: { select: { name: true } } } });
  if (same) throw new InvalidInput(`a rule for ${describeSubject(subject)} already exists (team ${same.team.name}); remove it first`);
  return db.$transaction(async (tx) => {
    const created = await tx.ownershipRule.create({ data: { teamId, ...subject }, select: { id: true } });
    const changes = await applyOwnershipRules(tx);
    await recordAudit({ ...auditActor(actor), action: "policy.ownership_rule_created", targetType: "ownership_rule", targetId: created.id, details: { ...rule, applied: changes } }, tx);
    return changes;
  });
}

function describeSubject(s: { repositoryPrefix: string | null; clusterName: string | null; namespace: string | null }): string {
  if (s.repositoryPrefix) return `repositories under ${s.repositoryPrefix}`;
  return s.namespace ? `namespace ${s.namespace} of cluster ${s.clusterName}` : `cluster ${s.clusterName}`;
}

export async function deleteOwnershipRule(actor: Actor, ruleId: string): Promise<void> {
  authorize(actor, "policy:manage");
  const rule = await db.ownershipRule.findUnique({ where: { id: check(idField, ruleId) }, select: { id: true, repositoryPrefix: true, clusterName: true, namespace: true, team: { select: { name: true } } } });
  if (!rule) throw new InvalidInput("no such ownership rule");
  await db.$transaction(async (tx) => {
    await tx.ownershipRule.delete({ where: { id: rule.id } });
    const { id, team, ...where } = rule;
    await recordAudit({ ...auditActor(actor), action: "policy.ownership_rule_deleted", targetType: "ownership_rule", targetId: id, details: { team: team.name, ...where } }, tx);
  });
}
