// Who may do what: the one place roles become permissions and team scopes become query filters.
import type { Role, TokenScope } from "@/lib/generated/prisma/enums";

export const ACTIONS = [
  "posture:read",
  "findings:triage",
  "exceptions:request",
  "exceptions:decide",
  "reports:read",
  "policy:manage",
  "users:manage",
  "tokens:manage",
  "audit:read",
] as const;
export type Action = (typeof ACTIONS)[number];

const permissions: Record<Role, readonly Action[]> = {
  admin: ACTIONS,
  security_lead: ACTIONS.filter((a) => a !== "users:manage"),
  engineer: ["posture:read", "findings:triage", "exceptions:request", "reports:read"],
  manager: ["posture:read", "reports:read"],
};

export function can(role: Role, action: Action): boolean {
  return permissions[role]?.includes(action) ?? false;
}

/** Roles that see every team's data; the others see only their own teams. */
export function seesAllTeams(role: Role): boolean {
  return role === "admin" || role === "security_lead";
}

export interface Scope {
  /** null: every team (and unowned targets); otherwise only these teams. */
  teamIds: string[] | null;
}

export function scopeOfViewer(viewer: { role: Role; teamIds: string[] }): Scope {
  return { teamIds: seesAllTeams(viewer.role) ? null : viewer.teamIds };
}

/** A Prisma `where` fragment for rows that carry a teamId. */
export function teamFilter(scope: Scope): { teamId?: { in: string[] } } {
  return scope.teamIds === null ? {} : { teamId: { in: scope.teamIds } };
}

export function tokenHasScope(scopes: readonly TokenScope[], needed: TokenScope): boolean {
  return scopes.includes(needed);
}
