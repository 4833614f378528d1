// API tokens: 32 random bytes shown once; only their SHA-256 is stored (they are high-entropy,
// so a fast hash is enough and lets every request be checked by one indexed lookup).
import { createHash, randomBytes } from "node:crypto";
import { db, type DbTx } from "@/lib/db";
import type { TokenScope } from "@/lib/generated/prisma/enums";
import { recordAudit } from "@/lib/audit/record";
import { sqlPool } from "@/lib/sql";
import { lookupGeneration, rememberToken, rememberedToken, type TokenRow } from "@/lib/tokens/verified-cache";

const TOKEN_PREFIX = "pcl_";
const VISIBLE_CHARS = 12;

export function hashToken(raw: string): string {
  return createHash("sha256").update(raw).digest("hex");
}

export interface NewToken {
  name: string;
  scopes: TokenScope[];
  teamId?: string | null;
  clusterId?: string | null;
  expiresAt?: Date | null;
  createdById?: string | null;
}

export async function createApiToken(input: NewToken, tx: DbTx = db): Promise<{ id: string; token: string; prefix: string }> {
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const prefix = token.slice(0, VISIBLE_CHARS);
  const row = await tx.apiToken.create({
    data: {
      name: input.name,
      prefix,
      hash: hashToken(token),
      scopes: input.scopes,
      teamId: input.teamId ?? null,
      clusterId: input.clusterId ?? null,
      expiresAt: input.expiresAt ?? null,
      createdById: input.createdById ?? null,
    },
    select: { id: true },
  });
  return { id: row.id, token, prefix };
}

export interface VerifiedToken {
  id: string;
  prefix: string;
  scopes: TokenScope[];
  teamId: string | null;
  clusterId: string | null;
}

/**
 * The token behind a bearer secret, if it exists, is not revoked and has not expired. `remembered`
 * (runtime alerts, a thousand a second) may answer from the cache of verified tokens, which every
 * change to a token empties as soon as its notification arrives (lib/tokens/verified-cache.ts);
 * everything else reads the token as it is now.
 */
export async function verifyApiToken(raw: string, now = new Date(), sourceIp: string | null = null, remembered = false): Promise<VerifiedToken | null> {
  if (!raw.startsWith(TOKEN_PREFIX) || raw.length > 200) return null;
  const hash = hashToken(raw);
  const token = (remembered ? rememberedToken(hash) : undefined) ?? (await lookUpToken(hash));
  if (!token || (token.expiresAt && token.expiresAt <= now)) return null;
  // Last use is kept to the minute, so a busy token does not write on every request.
  if (!token.lastUsedAt) {
    // The first use is audited once: the conditional update lets only one concurrent request win.
    const first = await db.apiToken.updateMany({ where: { id: token.id, lastUsedAt: null }, data: { lastUsedAt: now } });
    if (first.count === 1) {
      const actor = `token ${token.prefix}`;
      await recordAudit({ action: "token.first_used", actorToken: token.id, actorLabel: actor, targetType: "token", targetId: token.id, sourceIp });
    }
    token.lastUsedAt = now;
  } else if (now.getTime() - token.lastUsedAt.getTime() > 60_000) {
    token.lastUsedAt = now;
    await db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: now } });
  }
  return { id: token.id, prefix: token.prefix, scopes: token.scopes, teamId: token.teamId, clusterId: token.clusterId };
}

/** Reads a token that is not revoked (plain SQL: this runs for every runtime alert the cache misses). */
async function lookUpToken(hash: string): Promise<TokenRow | undefined> {
  const since = lookupGeneration();
  const rows = await sqlPool("interactive").query<TokenRow>(
    // (the columns hold UTC without a zone, as Prisma writes them: read them as UTC)
    `SELECT id, prefix, scopes::text[] AS scopes, "teamId", "clusterId", "expiresAt" AT TIME ZONE 'UTC' AS "expiresAt",
       "lastUsedAt" AT TIME ZONE 'UTC' AS "lastUsedAt"
     FROM "ApiToken" WHERE hash = $1 AND "revokedAt" IS NULL`,
    [hash],
  );
  const token = rows.rows[0];
  if (token) rememberToken(hash, token, since);
  return token;
}
