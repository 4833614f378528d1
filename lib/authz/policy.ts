// Who may do what: the one place roles become permissions and team scopes become query filters.
import type { Role, TokenScope } from "@/lib/generated/prisma/enums";
import { AccessDenied } from "@/lib/authz/errors";

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
  /** the viewer, for "assigned to me" */
  userId?: string;
}

export function scopeOfViewer(viewer: { role: Role; teamIds: string[]; userId?: string }): Scope {
  return { teamIds: seesAllTeams(viewer.role) ? null : viewer.teamIds, userId: viewer.userId };
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

// ---------------------------------------------------------------- writes by API tokens

/** What a token is bound to; an unbound token writes for the whole organisation. */
export interface TokenBinding {
  teamId: string | null;
  clusterId: string | null;
}

/** Something a report would write: an image, an artifact, a cluster (its cluster-wide results) or a namespace. */
export interface WriteTarget {
  /** for messages: "image registry.acme.dev/x:1", "namespace shop in cluster prod" */
  label: string;
  /** The team that owns it now: by ownership rule, else as stored, else its cluster's (namespaces). */
  owner: string | null;
  /** Whether a team-bound token may take it when nobody owns it (it is new, and no rule shares it out). */
  claimable: boolean;
}

/**
 * Whether a token may write a target, and which team owns the target afterwards. A team-bound
 * token writes only what its team owns, or what nobody owns and may be claimed (which becomes its
 * team's); it never closes, reopens or takes over another team's findings. An unbound or
 * cluster-bound token writes anything; `named` (team= in the request) then decides the owner.
 * Throws AccessDenied (403) with the reason.
 */
export function ownerAfterWrite(binding: TokenBinding, target: WriteTarget, named: string | null): string | null {
  if (!binding.teamId) return named ?? target.owner;
  if (target.owner && target.owner !== binding.teamId) {
    throw new AccessDenied(`This token is bound to a team and cannot post for ${target.label}, which belongs to another team`);
  }
  if (!target.owner && !target.claimable) {
    throw new AccessDenied(
      `This token is bound to a team and cannot post for ${target.label}: no team owns it, so it is shared. ` +
        "Add an ownership rule that gives it to the team, or post with a cluster-bound or unbound token",
    );
  }
  return binding.teamId;
}

/**
 * A bound token's request may name only its own team and cluster; what it leaves out is filled
 * in (a team-bound token always writes as its team). Names, not ids: they come from the query.
 */
export function bindRequest<T extends { team?: string; cluster?: string }>(request: T, bound: { team: string | null; cluster: string | null }): T {
  if (bound.team && request.team && request.team !== bound.team) {
    throw new AccessDenied(`This token is bound to team "${bound.team}" and cannot post for team "${request.team}"`);
  }
  if (bound.cluster && request.cluster && request.cluster !== bound.cluster) {
    throw new AccessDenied(`This token is bound to cluster "${bound.cluster}" and cannot post for cluster "${request.cluster}"`);
  }
  return { ...request, ...(bound.team ? { team: bound.team } : {}), ...(bound.cluster ? { cluster: bound.cluster } : {}) };
}

// ---------------------------------------------------------------- triage

/**
 * Whose findings a person may change (status, assignee, comments, exception requests): leads
 * and admins every finding, engineers their teams' findings, managers none. null means all;
 * an empty list means none (a finding nobody owns is a lead's to triage).
 */
export function triageTeams(viewer: { role: Role; teamIds: string[] }): string[] | null {
  if (!can(viewer.role, "findings:triage")) return [];
  return seesAllTeams(viewer.role) ? null : viewer.teamIds;
}

export function mayTriage(viewer: { role: Role; teamIds: string[] }, teamId: string | null): boolean {
  const teams = triageTeams(viewer);
  return teams === null || (teamId !== null && teams.includes(teamId));
}

/**
 * Four-eyes: an exception is decided by someone who may decide exceptions and did not ask for
 * it, whatever their role (an admin cannot approve their own request either).
 */
export function mayDecideException(viewer: { role: Role; userId: string }, requestedById: string): { ok: true } | { ok: false; reason: string } {
  if (!can(viewer.role, "exceptions:decide")) return { ok: false, reason: "Only a security lead may approve or reject an exception" };
  if (viewer.userId === requestedById) return { ok: false, reason: "Four eyes: someone other than the requester must decide this exception" };
  return { ok: true };
}

/** A pending request is withdrawn by its requester (a lead rejects it instead); an approved exception is revoked by a lead. */
export function mayEndException(viewer: { role: Role; userId: string }, exception: { status: string; requestedById: string }): { ok: true } | { ok: false; reason: string } {
  if (exception.status === "pending") {
    return exception.requestedById === viewer.userId ? { ok: true } : { ok: false, reason: "Only the requester may withdraw a request; a security lead rejects it" };
  }
  return can(viewer.role, "exceptions:decide") ? { ok: true } : { ok: false, reason: "Only a security lead may revoke an exception" };
}
