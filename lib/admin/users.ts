// People: accounts, roles, team memberships, disabling (which signs them out everywhere).
import { hashPassword } from "better-auth/crypto";
import { z } from "zod";
import { check, emailField, idField, InvalidInput, roleField } from "@/lib/admin/input";
import { teamIdsByName } from "@/lib/admin/teams";
import { passwordProblem } from "@/lib/auth/password-policy";
import { auditActor, authorize, type Actor } from "@/lib/authz/actor";
import { recordAudit } from "@/lib/audit/record";
import { db, type DbTx } from "@/lib/db";
import type { Role } from "@/lib/generated/prisma/enums";

const newUser = z.object({
  email: emailField,
  password: z.string().max(1024),
  role: roleField,
  teams: z.array(z.string().trim().min(1)).default([]),
  name: z.string().trim().min(1).max(200).optional(),
});

function checkPassword(password: string, email: string): void {
  const problem = passwordProblem(password, email);
  if (problem) throw new InvalidInput(problem);
}

export async function createUser(actor: Actor, input: z.input<typeof newUser>): Promise<{ id: string; email: string }> {
  authorize(actor, "users:manage");
  const { email, password, role, teams, name } = check(newUser, input);
  checkPassword(password, email);
  if (await db.user.findUnique({ where: { email }, select: { id: true } })) throw new InvalidInput(`a user with email ${email} already exists`);
  const teamIds = await teamIdsByName(teams);
  const passwordHash = await hashPassword(password);
  return db.$transaction(async (tx) => {
    const created = await tx.user.create({
      data: { email, name: name ?? email.split("@")[0], role, emailVerified: true, memberships: { create: teamIds.map((teamId) => ({ teamId })) } },
      select: { id: true, email: true },
    });
    await tx.account.create({ data: { userId: created.id, accountId: created.id, providerId: "credential", password: passwordHash } });
    await recordAudit({ ...auditActor(actor), action: "user.created", targetType: "user", targetId: created.id, details: { email, role, teams } }, tx);
    return created;
  });
}

export async function listUsers(actor: Actor) {
  authorize(actor, "users:manage");
  const users = await db.user.findMany({
    orderBy: { email: "asc" },
    select: {
      id: true, email: true, name: true, role: true, disabledAt: true, createdAt: true,
      memberships: { select: { team: { select: { id: true, name: true } } } },
      accounts: { select: { providerId: true } },
      sessions: { where: { expiresAt: { gt: new Date() } }, select: { updatedAt: true }, orderBy: { updatedAt: "desc" }, take: 1 },
    },
  });
  return users.map(({ memberships, accounts, sessions, ...u }) => ({
    ...u,
    teams: memberships.map((m) => m.team).sort((a, b) => a.name.localeCompare(b.name)),
    signIn: accounts.some((a) => a.providerId !== "credential") ? "sso" : "password",
    hasPassword: accounts.some((a) => a.providerId === "credential"),
    lastActiveAt: sessions[0]?.updatedAt ?? null,
  }));
}

async function userOrThrow(id: string) {
  const user = await db.user.findUnique({ where: { id: check(idField, id) }, select: { id: true, email: true, role: true, disabledAt: true } });
  if (!user) throw new InvalidInput("no such user");
  return user;
}

/**
 * Nobody may lock the organisation out: the last active admin keeps the role and the account.
 * Changes that can remove an admin take one lock first, so two admins demoting each other at the
 * same moment are checked one after the other, and the second sees the first's change.
 */
async function assertNotLastAdmin(userId: string, tx: DbTx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('portcullis:admins', 0))`;
  const others = await tx.user.count({ where: { role: "admin", disabledAt: null, id: { not: userId } } });
  if (others === 0) throw new InvalidInput("this is the last active admin; make someone else admin first");
}

export async function changeRole(actor: Actor, userId: string, role: Role): Promise<void> {
  authorize(actor, "users:manage");
  const user = await userOrThrow(userId);
  const to = check(roleField, role);
  if (user.role === to) return;
  await db.$transaction(async (tx) => {
    if (user.role === "admin") await assertNotLastAdmin(user.id, tx);
    await tx.user.update({ where: { id: user.id }, data: { role: to } });
    await recordAudit({ ...auditActor(actor), action: "user.role_changed", targetType: "user", targetId: user.id, details: { email: user.email, from: user.role, to } }, tx);
  });
}

export async function setTeams(actor: Actor, userId: string, teamIds: string[]): Promise<void> {
  authorize(actor, "users:manage");
  const user = await userOrThrow(userId);
  const wanted = [...new Set(teamIds)];
  const teams = await db.team.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } });
  if (teams.length !== wanted.length) throw new InvalidInput("no such team");
  await db.$transaction(async (tx) => {
    const change = await replaceTeams(tx, user.id, teams);
    if (change) await recordAudit({ ...auditActor(actor), action: "user.teams_changed", targetType: "user", targetId: user.id, details: { email: user.email, ...change } }, tx);
  });
}

/** Makes these teams the user's only teams; the change by team name, or null when there is none. */
export async function replaceTeams(tx: DbTx, userId: string, teams: { id: string; name: string }[]): Promise<{ from: string[]; to: string[] } | null> {
  const before = await tx.teamMembership.findMany({ where: { userId }, select: { team: { select: { name: true } } } });
  const from = before.map((m) => m.team.name).sort();
  const to = teams.map((t) => t.name).sort();
  if (from.join("\n") === to.join("\n")) return null;
  await tx.teamMembership.deleteMany({ where: { userId } });
  await tx.teamMembership.createMany({ data: teams.map((t) => ({ userId, teamId: t.id })) });
  return { from, to };
}

/** Disabling ends every session of the user at once ("sign out everywhere"). */
export async function setDisabled(actor: Actor, userId: string, disabled: boolean): Promise<void> {
  authorize(actor, "users:manage");
  const user = await userOrThrow(userId);
  if (disabled && actor.kind === "user" && actor.userId === user.id) throw new InvalidInput("you cannot disable yourself");
  if (disabled === !!user.disabledAt) return;
  await db.$transaction(async (tx) => {
    if (disabled && user.role === "admin") await assertNotLastAdmin(user.id, tx);
    await tx.user.update({ where: { id: user.id }, data: { disabledAt: disabled ? new Date() : null } });
    const ended = disabled ? (await tx.session.deleteMany({ where: { userId: user.id } })).count : 0;
    await recordAudit(
      { ...auditActor(actor), action: disabled ? "user.disabled" : "user.enabled", targetType: "user", targetId: user.id, details: { email: user.email, sessionsEnded: ended } },
      tx,
    );
  });
}

/** A new password ends the user's sessions too: whoever knew the old one is signed out. */
export async function resetPassword(actor: Actor, userId: string, password: string): Promise<void> {
  authorize(actor, "users:manage");
  const user = await userOrThrow(userId);
  checkPassword(password, user.email);
  const hash = await hashPassword(password);
  await db.$transaction(async (tx) => {
    const updated = await tx.account.updateMany({ where: { userId: user.id, providerId: "credential" }, data: { password: hash } });
    if (updated.count === 0) throw new InvalidInput("this user signs in through single sign-on and has no password here");
    await tx.session.deleteMany({ where: { userId: user.id } });
    await recordAudit({ ...auditActor(actor), action: "user.password_reset", targetType: "user", targetId: user.id, details: { email: user.email } }, tx);
  });
}

/** The CLI names a user by email. */
export async function userIdByEmail(email: string): Promise<string> {
  const user = await db.user.findUnique({ where: { email: check(emailField, email) }, select: { id: true } });
  if (!user) throw new InvalidInput(`no user with email ${email}`);
  return user.id;
}
