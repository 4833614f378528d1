// Helpers that look at the whole database: wipe it between tests, and count what is in it so a
// test can prove that a rejected request changed nothing.
import { db } from "@/lib/db";

const KEEP = new Set(["_prisma_migrations", "portcullis_routines"]);

/** The SLA policy the first migration seeds; tests that change it must not leak into others. */
const SEEDED_SLA = { critical: 7, high: 30, medium: 90, low: 180 } as const;

export async function resetDatabase(): Promise<void> {
  const tables = await db.$queryRaw<{ tablename: string }[]>`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`;
  const names = tables.map((t) => t.tablename).filter((t) => !KEEP.has(t));
  await db.$executeRawUnsafe(`TRUNCATE ${names.map((n) => `"${n}"`).join(", ")} RESTART IDENTITY CASCADE`);
  await db.slaPolicy.createMany({ data: Object.entries(SEEDED_SLA).map(([severity, days]) => ({ severity: severity as keyof typeof SEEDED_SLA, days })) });
}

/** Security bookkeeping that a refused request is meant to change: its audit entry, rate counters. */
const BOOKKEEPING = new Set(["AuditLog", "rate_limits"]);

/** Row counts of every data table, plus a checksum of findings' mutable state. */
export async function databaseFingerprint(): Promise<Record<string, string>> {
  const tables = await db.$queryRaw<{ tablename: string }[]>`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`;
  const result: Record<string, string> = {};
  for (const { tablename } of tables) {
    if (BOOKKEEPING.has(tablename)) continue;
    const [{ n }] = await db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${tablename}"`);
    result[tablename] = String(n);
  }
  const [{ state }] = await db.$queryRaw<{ state: string | null }[]>`
    SELECT md5(string_agg(id || status || f."lastSeenAt"::text || coalesce(f."lastScanId", '') || coalesce(s."lastScanId", ''), ',' ORDER BY id)) AS state
    FROM "Finding" f LEFT JOIN "FindingSighting" s ON s."findingId" = f.id`;
  result.findingState = state ?? "";
  return result;
}
