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

/** Prisma `where` for clusters: one a team owns, or one where a namespace is theirs. */
export function clusterFilter(scope: Scope) {
  if (scope.teamIds === null) return {};
  const teams = { in: scope.teamIds };
  return { OR: [{ teamId: teams }, { namespaces: { some: { teamId: teams } } }] };
}

/** Prisma `where` for teams: every team, or the viewer's own. */
export function teamRowFilter(scope: Scope): { id?: { in: string[] } } {
  return scope.teamIds === null ? {} : { id: { in: scope.teamIds } };
}

/** The most powerful role first: when someone holds several (single sign-on groups), the first wins. */
export const ROLES_BY_POWER: readonly Role[] = ["admin", "security_lead", "engineer", "manager"];

export function tokenHasScope(scopes: readonly TokenScope[], needed: TokenScope): boolean {
  return scopes.includes(needed);
}
