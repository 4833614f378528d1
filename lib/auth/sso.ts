// Single sign-on: at every sign-in through the identity provider, its groups claim decides the
// user's role and teams (the provider is the source of truth), and the change is audited.
import { decodeJwt } from "jose";
import { accessFromGroups, groupsFromClaim } from "@/lib/auth/sso-mapping";
import { replaceTeams } from "@/lib/admin/users";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db";
import type { OidcEnv } from "@/lib/env";

export const SSO_PROVIDER_ID = "oidc";

/** The provider's OpenID discovery document, under its issuer URL. */
export function oidcDiscoveryUrl(issuer: string): URL {
  return new URL(".well-known/openid-configuration", issuer.replace(/\/?$/, "/"));
}

/** The groups of the user's latest provider sign-in: from the ID token, else from userinfo. */
async function providerGroups(userId: string, oidc: OidcEnv): Promise<string[]> {
  const account = await db.account.findFirst({
    where: { userId, providerId: SSO_PROVIDER_ID },
    orderBy: { updatedAt: "desc" },
    select: { idToken: true, accessToken: true },
  });
  // better-auth verified this ID token (signature, issuer, audience, nonce) moments ago.
  const claims = account?.idToken ? decodeJwt(account.idToken) : {};
  if (oidc.groupsClaim in claims) return groupsFromClaim(claims[oidc.groupsClaim]);
  if (!account?.accessToken) return [];
  const discovery = await fetch(oidcDiscoveryUrl(oidc.issuer));
  const endpoint = discovery.ok ? ((await discovery.json()) as { userinfo_endpoint?: string }).userinfo_endpoint : undefined;
  if (!endpoint) return [];
  const info = await fetch(endpoint, { headers: { authorization: `Bearer ${account.accessToken}` } });
  return info.ok ? groupsFromClaim(((await info.json()) as Record<string, unknown>)[oidc.groupsClaim]) : [];
}

/** Applies the provider's groups to the user. False when they grant no role: no session then. */
export async function syncSsoUser(userId: string, oidc: OidcEnv, sourceIp: string | null): Promise<boolean> {
  const groups = await providerGroups(userId, oidc);
  const access = accessFromGroups(groups, oidc.roleMap, oidc.teamMap);
  const user = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { email: true, role: true },
  });
  const actor = { actorUserId: null, actorLabel: "sso", sourceIp, targetType: "user", targetId: userId };
  if (!access.role) {
    await recordAudit({ ...actor, action: "auth.sign_in_failed", details: { method: "sso", email: user.email, reason: "no mapped role", groups } });
    return false;
  }
  const teams = await db.team.findMany({ where: { name: { in: access.teamNames } }, select: { id: true, name: true } });
  await db.$transaction(async (tx) => {
    if (user.role !== access.role) {
      await tx.user.update({ where: { id: userId }, data: { role: access.role! } });
      await recordAudit({ ...actor, action: "user.role_changed", details: { from: user.role, to: access.role, groups } }, tx);
    }
    const change = await replaceTeams(tx, userId, teams);
    if (change) await recordAudit({ ...actor, action: "user.teams_changed", details: { ...change, groups } }, tx);
  });
  return true;
}
