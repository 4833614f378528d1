// The figures on /admin: how many people, teams and live tokens, and recent failed sign-ins.
import { authorize, type Actor } from "@/lib/authz/actor";
import { db } from "@/lib/db";

export async function adminSummary(actor: Actor, now = new Date()) {
  authorize(actor, "audit:read");
  const [activeUsers, teams, activeTokens, failedSignIns24h] = await Promise.all([
    db.user.count({ where: { disabledAt: null } }),
    db.team.count(),
    db.apiToken.count({ where: { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } }),
    db.auditLog.count({ where: { action: "auth.sign_in_failed", at: { gte: new Date(now.getTime() - 86_400_000) } } }),
  ]);
  return { activeUsers, teams, activeTokens, failedSignIns24h };
}
