// How the identity provider's groups become a Portcullis role and team memberships.
// OIDC_ROLE_MAP="okta-secops=security_lead,okta-devs=engineer" and
// OIDC_TEAM_MAP="okta-payments=Payments,okta-web=Storefront". The most powerful mapped role wins;
// no mapped role means no access, so a provider account alone never grants anything.
import { ROLES_BY_POWER } from "@/lib/authz/policy";
import type { Role } from "@/lib/generated/prisma/enums";

export function parseGroupMap(spec: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const pair of spec.split(",")) {
    const at = pair.lastIndexOf("=");
    if (at <= 0) continue;
    map.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
  return map;
}

/** A groups claim as a list of names, whatever shape the provider sent (array or space/comma string). */
export function groupsFromClaim(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((g): g is string => typeof g === "string");
  if (typeof claim === "string") return claim.split(/[\s,]+/).filter(Boolean);
  return [];
}

export interface SsoAccess {
  role: Role | null;
  teamNames: string[];
}

export function accessFromGroups(groups: readonly string[], roleMap: string, teamMap: string): SsoAccess {
  const roles = parseGroupMap(roleMap);
  const teams = parseGroupMap(teamMap);
  const granted = new Set(groups.map((g) => roles.get(g)).filter(Boolean));
  const role = ROLES_BY_POWER.find((r) => granted.has(r)) ?? null;
  const teamNames = [...new Set(groups.map((g) => teams.get(g)).filter((t): t is string => !!t))].sort();
  return { role, teamNames };
}
