// The daily rollups behind trend reports (PostureDaily, FixDurationDaily), rebuilt from finding
// episodes by posture_daily_rebuild (prisma/routines/trends.sql): yesterday and today by the job
// every 10 minutes, all history each night and after a migration.
import { db } from "@/lib/db";

export async function rebuildRollups(range: "recent" | "all", now = new Date()): Promise<{ from: string; ms: number }> {
  const started = performance.now();
  const from = range === "all" ? null : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 1)).toISOString().slice(0, 10);
  await db.$transaction(async (tx) => {
    // One rebuild at a time across replicas (the job runs once, but a manual run may overlap).
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('posture_daily_rebuild'))`;
    await tx.$executeRaw`SELECT posture_daily_rebuild(${from}::date)`;
  }, { timeout: 600_000 });
  return { from: from ?? "all", ms: Math.round(performance.now() - started) };
}
