// The daily rollups behind trend reports (PostureDaily, FixDurationDaily). Each transaction that
// changes findings adds to today's and tomorrow's rows itself (triggers in
// prisma/routines/trends.sql); posture_daily_rebuild recomputes them from finding episodes:
// yesterday on, hourly (a new day's rows, a reopened fix's duration), all history each night and
// after a migration.
import { db } from "@/lib/db";

/** How long a rebuild may take (all history at a million findings: about a minute). */
const REBUILD_TIMEOUT_MS = 600_000;

export async function rebuildRollups(range: "recent" | "all", now = new Date()): Promise<{ from: string; ms: number }> {
  const started = performance.now();
  const from = range === "all" ? null : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 1)).toISOString().slice(0, 10);
  // One rebuild at a time (the function's own lock); it reads one snapshot and adds only what it
  // corrects, so reports that change findings meanwhile neither wait for it nor lose their counts.
  await db.$transaction(
    async (tx) => {
      // Not the pages' timeouts (30 s by default): under load, a rebuild of a day with hundreds of
      // thousands of episodes took longer, was cancelled every hour, and repaired nothing.
      await tx.$executeRawUnsafe(`SET LOCAL statement_timeout = ${REBUILD_TIMEOUT_MS}`);
      await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = ${REBUILD_TIMEOUT_MS}`);
      await tx.$executeRaw`SELECT posture_daily_rebuild(${from}::date)`;
    },
    { timeout: REBUILD_TIMEOUT_MS },
  );
  return { from: from ?? "all", ms: Math.round(performance.now() - started) };
}
