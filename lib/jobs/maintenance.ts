// Housekeeping that keeps the database small: expired sessions and sign-in verifications, and
// rate-limit counters whose window is over. Idempotent, so a retried run does no harm.
import { db } from "@/lib/db";
import { env } from "@/lib/env";

export async function purgeExpired(now = new Date()): Promise<{ sessions: number; verifications: number; rateLimits: number }> {
  const idleCutoff = new Date(now.getTime() - env().session.idleMs);
  const [sessions, verifications, rateLimits] = await Promise.all([
    db.session.deleteMany({ where: { OR: [{ expiresAt: { lt: now } }, { updatedAt: { lt: idleCutoff } }] } }),
    db.verification.deleteMany({ where: { expiresAt: { lt: now } } }),
    db.$executeRaw`DELETE FROM rate_limits WHERE expire IS NOT NULL AND expire < ${now.getTime()}`,
  ]);
  return { sessions: sessions.count, verifications: verifications.count, rateLimits };
}
