// Housekeeping that keeps the database small: expired sessions and sign-in verifications, and
// rate-limit counters whose window is over, records of old job runs; and retired images (see retireImages). Idempotent, so a retried run does no harm.
import { db } from "@/lib/db";
import { env } from "@/lib/env";

/** How long the record of each job run is kept (the expiry job alone runs 1,440 times a day). */
const JOB_RUNS_KEPT_DAYS = 14;

export async function purgeExpired(now = new Date()): Promise<{ sessions: number; verifications: number; rateLimits: number; jobRuns: number }> {
  const idleCutoff = new Date(now.getTime() - env().session.idleMs);
  const [sessions, verifications, rateLimits, jobRuns] = await Promise.all([
    db.session.deleteMany({ where: { OR: [{ expiresAt: { lt: now } }, { updatedAt: { lt: idleCutoff } }] } }),
    db.verification.deleteMany({ where: { expiresAt: { lt: now } } }),
    db.$executeRaw`DELETE FROM rate_limits WHERE expire IS NOT NULL AND expire < ${now.getTime()}`,
    db.jobRun.deleteMany({ where: { startedAt: { lt: new Date(now.getTime() - JOB_RUNS_KEPT_DAYS * 86_400_000) } } }),
  ]);
  return { sessions: sessions.count, verifications: verifications.count, rateLimits, jobRuns: jobRuns.count };
}

/**
 * An image that runs nowhere and has not been scanned for IMAGE_RETIRE_DAYS is retired: it leaves
 * the posture counts and scores (a trigger moves its vulnerabilities out of the active counts) and
 * stays searchable. A new scan, or a cluster report that lists it running, brings it back.
 */
export async function retireImages(now = new Date()): Promise<{ retired: number }> {
  const cutoff = new Date(now.getTime() - env().posture.retireAfterDays * 24 * 3600 * 1000);
  const retired = await db.$executeRaw`
    UPDATE "Image" i SET "retiredAt" = ${now}
    WHERE i."retiredAt" IS NULL AND COALESCE(i."lastScannedAt", i."firstSeenAt") < ${cutoff}
      AND NOT EXISTS (SELECT 1 FROM "WorkloadImage" wi WHERE wi."imageId" = i.id)`;
  return { retired };
}
