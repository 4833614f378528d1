// API tokens for scanners and pipelines: created (shown once), listed by prefix, revoked.
import { z } from "zod";
import { blankAsUndefined, check, idField, InvalidInput, SCOPES } from "@/lib/admin/input";
import { teamIdsByName } from "@/lib/admin/teams";
import { auditActor, authorize, type Actor } from "@/lib/authz/actor";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db";
import { createApiToken } from "@/lib/tokens/api-tokens";
import { forgetVerifiedTokens } from "@/lib/tokens/verified-cache";

const tokenInput = z.object({
  name: z.string().trim().min(1, "a token name is required").max(100, "a token name has at most 100 characters"),
  scope: z
    .string()
    .transform((s) => [...new Set(s.split(",").map((x) => x.trim()))])
    .pipe(z.array(z.enum(SCOPES, { message: "scope must be ingest, read or ingest,read" })).min(1)),
  team: z.preprocess(blankAsUndefined, z.string().trim().min(1).optional()),
  cluster: z.preprocess(blankAsUndefined, z.string().trim().min(1).max(253).optional()),
  expiresDays: z.preprocess(
    blankAsUndefined,
    z.coerce
      .number({ message: "expires-days must be a whole number of days" })
      .int("expires-days must be a whole number of days")
      .min(1, "expires-days must be at least 1")
      .max(3650, "expires-days must be at most 3650")
      .optional(),
  ),
});

export async function createToken(actor: Actor, input: z.input<typeof tokenInput>): Promise<{ id: string; token: string; prefix: string }> {
  authorize(actor, "tokens:manage");
  const { name, scope, team, cluster, expiresDays } = check(tokenInput, input);
  if (team && cluster) throw new InvalidInput("a token is bound to a team or to a cluster, not both");
  const [teamId] = team ? await teamIdsByName([team]) : [null];
  return db.$transaction(async (tx) => {
    // Binding a token to a cluster that has not reported yet is fine: the cluster is created now.
    const clusterId = cluster ? (await tx.cluster.upsert({ where: { name: cluster }, create: { name: cluster }, update: {}, select: { id: true } })).id : null;
    const expiresAt = expiresDays ? new Date(Date.now() + expiresDays * 24 * 3600 * 1000) : null;
    const createdById = actor.kind === "user" ? actor.userId : null;
    const created = await createApiToken({ name, scopes: scope, teamId, clusterId, expiresAt, createdById }, tx);
    await recordAudit(
      { ...auditActor(actor), action: "token.created", targetType: "token", targetId: created.id, details: { name, prefix: created.prefix, scopes: scope, team, cluster, expiresAt } },
      tx,
    );
    return created;
  });
}

export async function revokeToken(actor: Actor, tokenId: string): Promise<void> {
  authorize(actor, "tokens:manage");
  const token = await db.apiToken.findUnique({ where: { id: check(idField, tokenId) }, select: { id: true, name: true, prefix: true, revokedAt: true } });
  if (!token) throw new InvalidInput("no such token");
  if (token.revokedAt) return;
  await db.$transaction(async (tx) => {
    await tx.apiToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } });
    await recordAudit({ ...auditActor(actor), action: "token.revoked", targetType: "token", targetId: token.id, details: { name: token.name, prefix: token.prefix } }, tx);
  });
  // This process at once; the others when the trigger's notification reaches them.
  forgetVerifiedTokens();
}

export async function listTokens(actor: Actor) {
  authorize(actor, "tokens:manage");
  return db.apiToken.findMany({
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    select: {
      id: true, name: true, prefix: true, scopes: true, expiresAt: true, revokedAt: true, lastUsedAt: true, createdAt: true,
      team: { select: { name: true } },
      cluster: { select: { name: true } },
      createdBy: { select: { email: true } },
    },
  });
}

/** Teams and clusters a new token can be bound to. */
export async function tokenBindingOptions(actor: Actor): Promise<{ teams: string[]; clusters: string[] }> {
  authorize(actor, "tokens:manage");
  const [teams, clusters] = await Promise.all([
    db.team.findMany({ orderBy: { name: "asc" }, select: { name: true } }),
    db.cluster.findMany({ orderBy: { name: "asc" }, select: { name: true } }),
  ]);
  return { teams: teams.map((t) => t.name), clusters: clusters.map((c) => c.name) };
}

/** The CLI names a token by its visible prefix. */
export async function tokenIdByPrefix(prefix: string): Promise<string> {
  const tokens = await db.apiToken.findMany({ where: { prefix: prefix.replace(/…$/, "") }, select: { id: true }, take: 2 });
  if (tokens.length === 0) throw new InvalidInput(`no token with prefix ${prefix} (see list-tokens)`);
  if (tokens.length > 1) throw new InvalidInput(`several tokens have prefix ${prefix}; revoke it in /admin/tokens`);
  return tokens[0].id;
}
