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
