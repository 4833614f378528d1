// Changing the SLA policy: the clock options, the longest exception, a team's own days. Every
// change applies to the open findings at once (their due dates are recomputed in one statement)
// and is audited with before and after.
import { z } from "zod";
import { db, type DbTx } from "@/lib/db";
import { check } from "@/lib/admin/input";
import { teamIdsByName } from "@/lib/admin/teams";
import { auditActor, authorize, type Actor } from "@/lib/authz/actor";
import { recordAudit } from "@/lib/audit/record";
import { SEVERITIES } from "@/lib/findings/model";
import { loadSlaSettings, SLA_SETTINGS_KEY, slaSettingsSchema, type SlaSettings } from "@/lib/sla/settings";

/**
 * Open findings' due dates from the policy now in force. A finding whose clock a reopen restarted
 * counts from first seen again. The read model counts no due date: its triggers skip this statement
 * ("due"); the trend episodes keep the new due date (breached and at-risk counts follow it).
 */
export async function recomputeDueDates(tx: DbTx, settings: SlaSettings, teamId?: string): Promise<number> {
  const start = settings.clockStartsAtFix ? `CASE WHEN f.kind = 'vulnerability' THEN f."fixAvailableAt" ELSE f."firstSeenAt" END` : `f."firstSeenAt"`;
  await tx.$executeRawUnsafe(`SELECT set_config('portcullis.read_model', 'due', true)`);
  const changed = await tx.$executeRawUnsafe(
    `UPDATE "Finding" f SET "dueAt" = sla_due_at(f.severity, f."teamId", ${start})
     WHERE f.status IN ('open', 'in_progress') AND ($1::text IS NULL OR f."teamId" = $1)
       AND f."dueAt" IS DISTINCT FROM sla_due_at(f.severity, f."teamId", ${start})`,
    teamId ?? null,
  );
  await tx.$executeRawUnsafe(`SELECT set_config('portcullis.read_model', '', true)`);
  return changed;
}

const optionsInput = z.object({
  reopenRestartsClock: z.boolean(),
  clockStartsAtFix: z.boolean(),
  maxExceptionDays: z.coerce.number({ message: "the longest exception is a number of days" }).int().min(1, "an exception lasts at least 1 day").max(365, "an exception lasts at most 365 days"),
});

export async function setSlaOptions(actor: Actor, input: z.input<typeof optionsInput>): Promise<{ recomputed: number }> {
  authorize(actor, "policy:manage");
  const wanted = slaSettingsSchema.parse(check(optionsInput, input));
  return db.$transaction(
    async (tx) => {
      const before = await loadSlaSettings(tx);
      await tx.setting.upsert({ where: { key: SLA_SETTINGS_KEY }, create: { key: SLA_SETTINGS_KEY, value: wanted }, update: { value: wanted } });
      const recomputed = before.clockStartsAtFix !== wanted.clockStartsAtFix ? await recomputeDueDates(tx, wanted) : 0;
      await recordAudit({ ...auditActor(actor), action: "policy.sla_options_changed", targetType: "policy", targetId: "sla", details: { from: before, to: wanted, recomputed } }, tx);
      return { recomputed };
    },
    { timeout: 300_000 },
  );
}

const teamDays = z.preprocess(
  (v) => (v === undefined || v === null || (typeof v === "string" && v.trim() === "") ? null : v),
  z.coerce.number({ message: "days must be a number" }).int("whole days").min(1, "at least 1 day").max(3650, "at most 3650 days").nullable(),
);

/** A team's own days per severity; a blank falls back to the organisation's. */
export async function setTeamSla(actor: Actor, teamName: string, input: Record<string, unknown>): Promise<{ recomputed: number }> {
  authorize(actor, "policy:manage");
  const [teamId] = await teamIdsByName([teamName]);
  const wanted = Object.fromEntries(SEVERITIES.map((s) => [s, check(teamDays, input[s])])) as Record<(typeof SEVERITIES)[number], number | null>;
  return db.$transaction(
    async (tx) => {
      const before = Object.fromEntries((await tx.teamSlaPolicy.findMany({ where: { teamId } })).map((r) => [r.severity, r.days]));
      for (const severity of SEVERITIES) {
        const days = wanted[severity];
        if (days === null) await tx.teamSlaPolicy.deleteMany({ where: { teamId, severity } });
        else await tx.teamSlaPolicy.upsert({ where: { teamId_severity: { teamId, severity } }, create: { teamId, severity, days }, update: { days } });
      }
      const recomputed = await recomputeDueDates(tx, await loadSlaSettings(tx), teamId);
      await recordAudit({ ...auditActor(actor), action: "policy.team_sla_changed", targetType: "team", targetId: teamId, details: { team: teamName, from: before, to: wanted, recomputed } }, tx);
      return { recomputed };
    },
    { timeout: 300_000 },
  );
}

/** The teams that have their own days, for /admin/policy. */
export async function teamSlaOverrides(): Promise<{ team: string; days: Partial<Record<string, number>> }[]> {
  const rows = await db.teamSlaPolicy.findMany({ select: { severity: true, days: true, team: { select: { name: true } } }, orderBy: { team: { name: "asc" } } });
  const byTeam = new Map<string, Partial<Record<string, number>>>();
  for (const r of rows) byTeam.set(r.team.name, { ...byTeam.get(r.team.name), [r.severity]: r.days });
  return [...byTeam.entries()].map(([team, days]) => ({ team, days }));
}
