// API tokens at the door of the ingest API: expiry, revocation, first-use audit, the per-token
// rate limit, and team/cluster bindings that keep one team's token off another team's targets.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { POST as postScan } from "@/app/api/v1/scans/route";
import { POST as postEvents } from "@/app/api/v1/runtime-events/route";
import { createTeam } from "@/lib/admin/teams";
import { createToken, revokeToken } from "@/lib/admin/tokens";
import { CLI_ACTOR } from "@/lib/authz/actor";
import { db } from "@/lib/db";
import { sqlPool } from "@/lib/sql";
import { rememberingTokens } from "@/lib/tokens/verified-cache";
import { databaseFingerprint, resetDatabase } from "../support/db-state";
import { fixtureText } from "../support/fixtures";

const TRIVY = fixtureText("trivy/trivy_alpine-310.json");
const FALCO = fixtureText("falco/falco-website_misc-alerts.jsonl");

function scan(token: string, query = "", body = TRIVY) {
  return postScan(new Request(`http://localhost/api/v1/scans${query}`, { method: "POST", body, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "x-forwarded-for": "203.0.113.9" } }));
}

function events(token: string, query: string) {
  return postEvents(new Request(`http://localhost/api/v1/runtime-events${query}`, { method: "POST", body: FALCO, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } }));
}

const token = async (input: Parameters<typeof createToken>[1]) => (await createToken(CLI_ACTOR, input)).token;

beforeEach(async () => {
  await resetDatabase();
  await createTeam(CLI_ACTOR, { name: "Payments" });
  await createTeam(CLI_ACTOR, { name: "Storefront" });
});

afterEach(() => {
  delete process.env.INGEST_REQUESTS_PER_MIN;
});

describe("API tokens", () => {
  it("refuses an expired token and a revoked one with 401", async () => {
    const expiring = await createToken(CLI_ACTOR, { name: "old", scope: "ingest", expiresDays: "1" });
    await db.apiToken.update({ where: { id: expiring.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await scan(expiring.token)).status).toBe(401);
    const revoked = await createToken(CLI_ACTOR, { name: "gone", scope: "ingest" });
    expect((await scan(revoked.token)).status).toBe(201);
    await revokeToken(CLI_ACTOR, revoked.id);
    const refused = await scan(revoked.token, "?cluster=x");
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.message).toMatch(/Invalid, expired or revoked/);
  });

  it("reads a token's expiry to the second whatever the server's time zone", async () => {
    const zone = process.env.TZ;
    process.env.TZ = "America/New_York";
    try {
      const soon = await createToken(CLI_ACTOR, { name: "soon", scope: "ingest", expiresDays: "1" });
      await db.apiToken.update({ where: { id: soon.id }, data: { expiresAt: new Date(Date.now() + 60_000) } });
      expect((await scan(soon.token)).status).toBe(201);
      await db.apiToken.update({ where: { id: soon.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
      expect((await scan(soon.token, "?cluster=y")).status).toBe(401);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it("records the first use of a token once, with its address, and keeps last-used current", async () => {
    const created = await createToken(CLI_ACTOR, { name: "ci", scope: "ingest" });
    await Promise.all([scan(created.token), scan(created.token), scan(created.token)]);
    const firstUses = await db.auditLog.findMany({ where: { action: "token.first_used", targetId: created.id } });
    expect(firstUses).toHaveLength(1);
    expect(firstUses[0]).toMatchObject({ actorLabel: `token ${created.prefix}`, sourceIp: "203.0.113.9" });
    expect((await db.apiToken.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt).not.toBeNull();
  });

  it("answers 429 with Retry-After once a token is over its per-minute ingest budget", async () => {
    process.env.INGEST_REQUESTS_PER_MIN = "2";
    const busy = await token({ name: "busy", scope: "ingest" });
    const other = await token({ name: "other", scope: "ingest" });
    expect((await scan(busy)).status).toBe(201);
    expect((await scan(busy)).status).toBe(200);
    const limited = await scan(busy);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await limited.json()).error).toMatchObject({ code: "rate_limited", message: expect.stringMatching(/2 ingest requests per minute/) });
    // The budget is per token.
    expect((await scan(other)).status).toBe(200);
  });
});

describe("ownership across rescans", () => {
  it("keeps an image and its findings with their team when a later scan names no team", async () => {
    const ci = await token({ name: "ci", scope: "ingest" });
    expect((await scan(ci, "?team=Payments")).status).toBe(201);
    const rescan = await scan(ci);
    expect(rescan.status).toBe(201);
    expect((await rescan.json()).findings.unchanged).toBeGreaterThan(0);
    const image = await db.image.findFirstOrThrow({ select: { team: { select: { name: true } } } });
    expect(image.team?.name).toBe("Payments");
    const teams = await db.finding.findMany({ distinct: ["teamId"], select: { team: { select: { name: true } } } });
    expect(teams.map((f) => f.team?.name)).toEqual(["Payments"]);
  });
});

describe("token bindings", () => {
  it("lets a team-bound token post for its team, but not rescan another team's image", async () => {
    const storefront = await token({ name: "sf", scope: "ingest", team: "Storefront" });
    const payments = await token({ name: "pay", scope: "ingest", team: "Payments" });
    expect((await scan(storefront)).status).toBe(201);
    const before = await databaseFingerprint();
    const refused = await scan(payments);
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.message).toMatch(/belongs to another team/);
    expect((await scan(payments, "?team=Storefront")).status).toBe(403);
    expect(await databaseFingerprint()).toEqual(before);
    const image = await db.image.findFirstOrThrow({ select: { team: { select: { name: true } } } });
    expect(image.team?.name).toBe("Storefront");
  });

  it("keeps a cluster-bound token to its cluster, and a team-bound one off another team's cluster", async () => {
    const prod = await token({ name: "prod", scope: "ingest", cluster: "prod-eu" });
    expect((await events(prod, "")).status).toBe(202);
    expect((await events(prod, "?cluster=staging")).status).toBe(403);
    await db.cluster.update({ where: { name: "prod-eu" }, data: { team: { connect: { name: "Storefront" } } } });
    const payments = await token({ name: "pay", scope: "ingest", team: "Payments" });
    expect((await events(payments, "?cluster=prod-eu")).status).toBe(403);
    expect((await events(payments, "?cluster=payments-dev")).status).toBe(202);
  });
});

describe("tokens remembered for runtime alerts", () => {
  /** Polls until `done` or the deadline; answers whether it got there. */
  async function eventually(done: () => Promise<boolean> | boolean, deadlineMs = 5_000): Promise<boolean> {
    for (const started = Date.now(); Date.now() - started < deadlineMs; await new Promise((r) => setTimeout(r, 20))) if (await done()) return true;
    return false;
  }

  it("answers alerts from the cache while it listens, and forgets a token as soon as any change to it commits", async () => {
    const sensor = await createToken(CLI_ACTOR, { name: "sensor", scope: "ingest" });
    expect((await events(sensor.token, "?cluster=c1")).status).toBe(202);
    expect(await eventually(rememberingTokens)).toBe(true);
    expect((await events(sensor.token, "?cluster=c1")).status).toBe(202);

    // Revoked behind the trigger's back (no notification): only the cache can still let it in,
    // and only on the runtime route; a scan reads the token as it is.
    const client = await sqlPool("interactive").connect();
    try {
      await client.query("BEGIN");
      await client.query("SET LOCAL session_replication_role = replica");
      await client.query(`UPDATE "ApiToken" SET "revokedAt" = now() WHERE id = $1`, [sensor.id]);
      await client.query("COMMIT");
    } finally {
      client.release();
    }
    expect((await events(sensor.token, "?cluster=c1")).status).toBe(202);
    expect((await scan(sensor.token)).status).toBe(401);

    // The same change as another replica or the admin CLI makes it: every process forgets the token.
    await sqlPool("interactive").query(`UPDATE "ApiToken" SET "revokedAt" = now() WHERE id = $1`, [sensor.id]);
    expect(await eventually(async () => (await events(sensor.token, "?cluster=c1")).status === 401, 2_000)).toBe(true);
  });

  it("forgets at once in the process that revokes, and never remembers a token it found revoked", async () => {
    const sensor = await createToken(CLI_ACTOR, { name: "sensor", scope: "ingest" });
    expect((await events(sensor.token, "?cluster=c1")).status).toBe(202);
    expect(await eventually(rememberingTokens)).toBe(true);
    expect((await events(sensor.token, "?cluster=c1")).status).toBe(202);
    await revokeToken(CLI_ACTOR, sensor.id);
    expect((await events(sensor.token, "?cluster=c1")).status).toBe(401);
    expect((await events(sensor.token, "?cluster=c1")).status).toBe(401);
  });
});
