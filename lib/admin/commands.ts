// The admin commands behind `npm run admin` (and, later, /admin): create users, teams and tokens.
import { hashPassword } from "better-auth/crypto";
import { z } from "zod";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/record";
import { createApiToken } from "@/lib/tokens/api-tokens";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/constants";
import type { Role, TokenScope } from "@/lib/generated/prisma/enums";

/** A bad argument or a conflict: the CLI prints its message on one line and exits non-zero. */
export class CommandError extends Error {}

const CLI = { actorLabel: "cli" } as const;

export const ROLES = ["admin", "security_lead", "engineer", "manager"] as const satisfies readonly Role[];

const userInput = z.object({
  email: z.string().trim().toLowerCase().email("--email must be an email address").max(254),
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `--password must have at least ${MIN_PASSWORD_LENGTH} characters`)
    .max(128, "--password must have at most 128 characters"),
  role: z.enum(ROLES, { message: `--role must be one of ${ROLES.join(", ")}` }),
  teams: z.array(z.string().trim().min(1)).default([]),
  name: z.string().trim().min(1).max(200).optional(),
});

function check<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new CommandError(parsed.error.issues[0].message);
  return parsed.data;
}

async function teamIdsByName(names: readonly string[]): Promise<string[]> {
  const teams = await db.team.findMany({ where: { name: { in: [...names] } }, select: { id: true, name: true } });
  const missing = names.filter((n) => !teams.some((t) => t.name === n));
  if (missing.length) throw new CommandError(`no such team: ${missing.join(", ")} (create it with create-team --name)`);
  return teams.map((t) => t.id);
}

export async function createUser(input: z.input<typeof userInput>): Promise<{ id: string; email: string }> {
  const { email, password, role, teams, name } = check(userInput, input);
  if (await db.user.findUnique({ where: { email }, select: { id: true } })) throw new CommandError(`a user with email ${email} already exists`);
  const teamIds = await teamIdsByName(teams);
  const passwordHash = await hashPassword(password);
  const user = await db.$transaction(async (tx) => {
    const created = await tx.user.create({
      data: {
        email,
        name: name ?? email.split("@")[0],
        role,
        emailVerified: true,
        memberships: { create: teamIds.map((teamId) => ({ teamId })) },
      },
      select: { id: true, email: true },
    });
    await tx.account.create({ data: { userId: created.id, accountId: created.id, providerId: "credential", password: passwordHash } });
    await recordAudit({ ...CLI, action: "user.created", targetType: "user", targetId: created.id, details: { email, role, teams } }, tx);
    return created;
  });
  return user;
}

const teamName = z.string().trim().min(1, "--name is required").max(100, "--name must have at most 100 characters");

export async function createTeam(input: { name?: string }): Promise<{ id: string; name: string }> {
  const name = check(teamName, input.name ?? "");
  if (await db.team.findUnique({ where: { name }, select: { id: true } })) throw new CommandError(`team ${name} already exists`);
  return db.$transaction(async (tx) => {
    const team = await tx.team.create({ data: { name }, select: { id: true, name: true } });
    await recordAudit({ ...CLI, action: "team.created", targetType: "team", targetId: team.id, details: { name } }, tx);
    return team;
  });
}

const SCOPES = ["ingest", "read"] as const satisfies readonly TokenScope[];

const tokenInput = z.object({
  name: z.string().trim().min(1, "--name is required").max(100),
  scope: z
    .string()
    .transform((s) => [...new Set(s.split(",").map((x) => x.trim()))])
    .pipe(z.array(z.enum(SCOPES, { message: "--scope must be ingest, read or ingest,read" })).min(1)),
  team: z.string().trim().min(1).optional(),
  cluster: z.string().trim().min(1).max(253).optional(),
  expiresDays: z.coerce.number({ message: "--expires-days must be a whole number of days" }).int("--expires-days must be a whole number of days").min(1, "--expires-days must be at least 1").max(3650).optional(),
});

export async function createToken(input: z.input<typeof tokenInput>): Promise<{ token: string; prefix: string }> {
  const { name, scope, team, cluster, expiresDays } = check(tokenInput, input);
  if (team && cluster) throw new CommandError("a token is bound to a team or to a cluster, not both");
  const [teamId] = team ? await teamIdsByName([team]) : [null];
  return db.$transaction(async (tx) => {
    // Binding a token to a cluster that has not reported yet is fine: the cluster is created now.
    const clusterId = cluster ? (await tx.cluster.upsert({ where: { name: cluster }, create: { name: cluster }, update: {}, select: { id: true } })).id : null;
    const expiresAt = expiresDays ? new Date(Date.now() + expiresDays * 24 * 3600 * 1000) : null;
    const created = await createApiToken({ name, scopes: scope, teamId, clusterId, expiresAt }, tx);
    await recordAudit(
      { ...CLI, action: "token.created", targetType: "token", targetId: created.id, details: { name, scopes: scope, team, cluster, expiresAt } },
      tx,
    );
    return { token: created.token, prefix: created.prefix };
  });
}
