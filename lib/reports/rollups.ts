// The daily rollups behind trend reports (PostureDaily, FixDurationDaily). Each transaction that
// changes findings adds to today's and tomorrow's rows itself (triggers in
// prisma/routines/trends.sql); posture_daily_rebuild recomputes them from finding episodes:
// yesterday on, hourly (a new day's rows, a reopened fix's duration), all history each night and
// after a migration.
import { db } from "@/lib/db";

export async function rebuildRollups(range: "recent" | "all", now = new Date()): Promise<{ from: string; ms: number }> {
  const started = performance.now();
  const from = range === "all" ? null : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 1)).toISOString().slice(0, 10);
  // One rebuild at a time (the function's own lock); it reads one snapshot and adds only what it
  // corrects, so reports that change findings meanwhile neither wait for it nor lose their counts.
  await db.$transaction(async (tx) => tx.$executeRaw`SELECT posture_daily_rebuild(${from}::date)`, { timeout: 600_000 });
  return { from: from ?? "all", ms: Math.round(performance.now() - started) };
}
