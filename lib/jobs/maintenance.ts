// Housekeeping that keeps the database small: expired sessions and sign-in verifications, and
// rate-limit counters whose window is over, records of old job runs, old gate decisions and
// webhook deliveries that are done; and retired images (see retireImages). Idempotent, so a
// retried run does no harm.
import { db } from "@/lib/db";
import { env } from "@/lib/env";

/** How long the record of each job run is kept (the expiry job alone runs 1,440 times a day). */
const JOB_RUNS_KEPT_DAYS = 14;
/** What pipelines were told (a gate call each build): a quarter is what an audit asks for. */
export const GATE_DECISIONS_KEPT_DAYS = 90;
/** The delivery log of webhooks; a delivery still being retried is never removed. */
export const WEBHOOK_DELIVERIES_KEPT_DAYS = 30;

export async function purgeExpired(now = new Date()) {
  const idleCutoff = new Date(now.getTime() - env().session.idleMs);
  const before = (days: number) => new Date(now.getTime() - days * 86_400_000);
  const [sessions, verifications, rateLimits, jobRuns, gateDecisions, webhookDeliveries] = await Promise.all([
    db.session.deleteMany({ where: { OR: [{ expiresAt: { lt: now } }, { updatedAt: { lt: idleCutoff } }] } }),
    db.verification.deleteMany({ where: { expiresAt: { lt: now } } }),
    db.$executeRaw`DELETE FROM rate_limits WHERE expire IS NOT NULL AND expire < ${now.getTime()}`,
    db.jobRun.deleteMany({ where: { startedAt: { lt: before(JOB_RUNS_KEPT_DAYS) } } }),
    db.gateDecision.deleteMany({ where: { evaluatedAt: { lt: before(GATE_DECISIONS_KEPT_DAYS) } } }),
    db.webhookDelivery.deleteMany({ where: { status: { not: "pending" }, createdAt: { lt: before(WEBHOOK_DELIVERIES_KEPT_DAYS) } } }),
  ]);
  return { sessions: sessions.count, verifications: verifications.count, rateLimits, jobRuns: jobRuns.count, gateDecisions: gateDecisions.count, webhookDeliveries: webhookDeliveries.count };
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
