// Who is acting: a signed-in person (role, teams, address), or the operator at the server's CLI.
// Every domain function that changes or reveals something guarded takes an Actor and calls
// `authorize` first, so the web, the CLI and the tests all pass through the same check.
import type { Role } from "@/lib/generated/prisma/enums";
import { can, type Action } from "@/lib/authz/policy";
import { AccessDenied, NotVisible } from "@/lib/authz/errors";

export interface UserActor {
  kind: "user";
  userId: string;
  email: string;
  name: string;
  role: Role;
  teamIds: string[];
  sourceIp: string | null;
}

/** Whoever can run `npm run admin` on the server already holds the database; the CLI may do anything. */
export const CLI_ACTOR = { kind: "cli" } as const;
export type Actor = UserActor | typeof CLI_ACTOR;

export { AccessDenied, NotVisible };

export function authorize(actor: Actor, action: Action): void {
  if (actor.kind === "cli") return;
  if (!can(actor.role, action)) throw new AccessDenied();
}

export function isAllowed(actor: Actor, action: Action): boolean {
  return actor.kind === "cli" || can(actor.role, action);
}

/** The actor fields of an audit entry. */
export function auditActor(actor: Actor): { actorUserId: string | null; actorLabel: string; sourceIp: string | null } {
  return actor.kind === "cli"
    ? { actorUserId: null, actorLabel: "cli", sourceIp: null }
    : { actorUserId: actor.userId, actorLabel: actor.email, sourceIp: actor.sourceIp };
}
