// Teams: the unit of ownership and of visibility.
import { z } from "zod";
import { check, InvalidInput, teamNameField } from "@/lib/admin/input";
import { auditActor, authorize, type Actor } from "@/lib/authz/actor";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db";

export async function createTeam(actor: Actor, input: { name?: string }): Promise<{ id: string; name: string }> {
  authorize(actor, "users:manage");
  const { name } = check(z.object({ name: teamNameField }), input);
  if (await db.team.findUnique({ where: { name }, select: { id: true } })) throw new InvalidInput(`team ${name} already exists`);
  return db.$transaction(async (tx) => {
    const team = await tx.team.create({ data: { name }, select: { id: true, name: true } });
    await recordAudit({ ...auditActor(actor), action: "team.created", targetType: "team", targetId: team.id, details: { name } }, tx);
    return team;
  });
}

/** Every team with its member count, for the admin pages and the token form. */
export async function listTeams(actor: Actor) {
  authorize(actor, "tokens:manage");
  return db.team.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, _count: { select: { members: true } } } });
}

export async function teamIdsByName(names: readonly string[]): Promise<string[]> {
  const teams = await db.team.findMany({ where: { name: { in: [...names] } }, select: { id: true, name: true } });
  const missing = names.filter((n) => !teams.some((t) => t.name === n));
  if (missing.length) throw new InvalidInput(`no such team: ${missing.join(", ")} (create it first)`);
  return teams.map((t) => t.id);
}
