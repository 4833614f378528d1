// SLA options beside the days per severity (SlaPolicy, TeamSlaPolicy): whether a reopen restarts
// the clock, whether the clock starts only when a fix exists, and the longest an exception may run.
import { z } from "zod";
import { db, type DbTx } from "@/lib/db";
import type { Sql } from "@/lib/sql";

export const slaSettingsSchema = z.object({
  reopenRestartsClock: z.boolean().default(false),
  clockStartsAtFix: z.boolean().default(false),
  maxExceptionDays: z.number().int().min(1).max(365).default(90),
});
export type SlaSettings = z.infer<typeof slaSettingsSchema>;

export const SLA_SETTINGS_KEY = "sla";
export const DEFAULT_SLA_DAYS = { critical: 7, high: 30, medium: 90, low: 120 } as const;
/** A finding due within this many days is "at risk". */
export const AT_RISK_DAYS = 7;

export async function loadSlaSettings(tx: DbTx = db): Promise<SlaSettings> {
  const row = await tx.setting.findUnique({ where: { key: SLA_SETTINGS_KEY } });
  const parsed = slaSettingsSchema.safeParse(row?.value ?? {});
  return parsed.success ? parsed.data : slaSettingsSchema.parse({});
}

/** The clock options for ingest, read on its own connection. */
export async function loadSlaClock(sql: Sql): Promise<Pick<SlaSettings, "reopenRestartsClock" | "clockStartsAtFix">> {
  const { rows } = await sql.query<{ value: unknown }>(`SELECT value FROM "Setting" WHERE key = $1`, [SLA_SETTINGS_KEY]);
  const parsed = slaSettingsSchema.safeParse(rows[0]?.value ?? {});
  return parsed.success ? parsed.data : slaSettingsSchema.parse({});
}

export type SlaState = "within" | "at_risk" | "breached" | "paused" | "none";

/** A finding's SLA state: only open work has a clock; an accepted risk pauses it. */
export function slaState(finding: { status: string; dueAt: Date | null }, now: Date): SlaState {
  if (finding.status === "risk_accepted") return "paused";
  if (finding.status !== "open" && finding.status !== "in_progress") return "none";
  if (!finding.dueAt) return "none";
  const left = finding.dueAt.getTime() - now.getTime();
  if (left < 0) return "breached";
  return left <= AT_RISK_DAYS * 86_400_000 ? "at_risk" : "within";
}
