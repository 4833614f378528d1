// Outgoing webhooks against a real HTTP receiver on the loopback: every event kind, signatures a
// receiver can verify, team webhooks that hear only their team, retries with backoff, and nothing
// sent twice (a repeated event, a duplicate report, two delivery runs at once).
import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GET as gate } from "@/app/api/v1/gate/route";
import { createTeam } from "@/lib/admin/teams";
import { CLI_ACTOR, type UserActor } from "@/lib/authz/actor";
import { db, prismaRun } from "@/lib/db";
import { decideException } from "@/lib/exceptions/decide";
import { requestException } from "@/lib/exceptions/request";
import { ingestReport } from "@/lib/ingest/ingest-report";
import { deliverDue, MAX_ATTEMPTS } from "@/lib/notify/deliver";
import { postJson } from "@/lib/notify/destination";
import { notify } from "@/lib/notify/outbox";
import { notifyExpiringExceptions, notifySlaBreaches } from "@/lib/notify/scheduled";
import { createWebhook } from "@/lib/notify/webhooks";
import { createApiToken } from "@/lib/tokens/api-tokens";
import { resetDatabase } from "../support/db-state";
import { fixtureText } from "../support/fixtures";

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
}
let server: Server;
let base = "";
let received: Received[] = [];
/** How many of the next requests to each path to answer 500. */
const failNext = new Map<string, number>();

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      received.push({ path: request.url ?? "", headers: request.headers as Record<string, string>, body });
      const failing = failNext.get(request.url ?? "") ?? 0;
      if (failing > 0) failNext.set(request.url ?? "", failing - 1);
      response.statusCode = failing > 0 ? 500 : 204;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const IMAGE = "registry.acme.dev/payments/api:1";
let secrets: Record<"all" | "storefront" | "slack", string>;
let payments: string;

beforeEach(async () => {
  await resetDatabase();
  received = [];
  failNext.clear();
  payments = (await createTeam(CLI_ACTOR, { name: "Payments" })).id;
  await createTeam(CLI_ACTOR, { name: "Storefront" });
  const events = ["gate.failed", "finding.new_critical", "sla.breached", "exception.requested", "exception.decided", "exception.expiring"] as const;
  secrets = {
    all: (await createWebhook(CLI_ACTOR, { name: "all", url: `${base}/all`, format: "generic", events: [...events] })).secret,
    storefront: (await createWebhook(CLI_ACTOR, { name: "storefront", url: `${base}/storefront`, format: "generic", team: "Storefront", events: [...events] })).secret,
    slack: (await createWebhook(CLI_ACTOR, { name: "slack", url: `${base}/slack`, format: "slack", events: ["finding.new_critical"] })).secret,
  };
});

const at = (ms: number) => new Date(Date.now() + ms);
const to = (path: string) => received.filter((r) => r.path === path);
const bodies = (path: string) => to(path).map((r) => JSON.parse(r.body));

function verify(r: Received, secret: string): boolean {
  const expected = `sha256=${createHmac("sha256", secret).update(`${r.headers["x-portcullis-timestamp"]}.${r.body}`).digest("hex")}`;
  return r.headers["x-portcullis-signature"] === expected;
}

async function ingestCritical() {
  return ingestReport({ body: fixtureText("trivy/trivy_fluentd-gems.json"), context: { format: "auto", team: "Payments", image: IMAGE } });
}

describe("webhooks", () => {
  it("sends a scan's new critical findings once, signed, to the webhooks that want them (not another team's)", async () => {
    await ingestCritical();
    expect(await deliverDue(at(1000))).toEqual({ delivered: 2, retrying: 0, failed: 0 });
    const [event] = bodies("/all");
    const criticals = await db.finding.findMany({ where: { severity: "critical" } });
    expect(event).toMatchObject({ event: "finding.new_critical", teamId: payments, data: { count: criticals.length } });
    expect(event.data.findings.map((f: { id: string }) => f.id)).toEqual(criticals.map((f) => f.id));
    expect(event.url).toMatch(/\/findings\?severity=critical/);
    expect(verify(to("/all")[0], secrets.all)).toBe(true);
    expect(verify(to("/all")[0], secrets.storefront)).toBe(false);
    expect(to("/all")[0].headers["x-portcullis-event"]).toBe("finding.new_critical");
    expect(to("/storefront")).toHaveLength(0);
    expect(bodies("/slack")[0].text).toMatch(/^1 new critical finding in registry\.acme\.dev\/payments\/api/);
    // Text from reports and people cannot become Slack markup.
    await notify(prismaRun(db), { event: "finding.new_critical", key: "markup", teamId: null, text: "<!channel> & <https://evil.example|click>", path: "/", data: {} });
    await deliverDue(at(1500));
    expect(bodies("/slack").at(-1).text).toMatch(/^&lt;!channel&gt; &amp; &lt;https:\/\/evil\.example\|click&gt; <http/);
    // The same report again changes nothing and sends nothing.
    await ingestCritical();
    expect(await deliverDue(at(2000))).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(to("/all")).toHaveLength(2);
  });

  it("retries a failed delivery with backoff, then gives up after the last attempt", async () => {
    failNext.set("/all", 2);
    await ingestCritical();
    expect((await deliverDue(at(1000))).retrying).toBe(1);
    // Not due again yet.
    expect(await deliverDue(at(2000))).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect((await deliverDue(at(32_000))).retrying).toBe(1);
    expect((await deliverDue(at(32_000 + 121_000))).delivered).toBe(1);
    const attempts = to("/all");
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((a) => a.headers["x-portcullis-delivery"])).size).toBe(1);
    const row = await db.webhookDelivery.findFirstOrThrow({ where: { webhook: { name: "all" } } });
    expect(row).toMatchObject({ status: "delivered", attempts: 3, lastStatusCode: 204 });

    failNext.set("/all", 100);
    await notify(prismaRun(db), { event: "sla.breached", key: "give-up", teamId: null, text: "x", path: "/", data: {} });
    let clock = 0;
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      await deliverDue(at(clock));
      clock += 3 * 3_600_000;
    }
    expect(await db.webhookDelivery.findFirstOrThrow({ where: { eventKey: "give-up" } })).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS, lastStatusCode: 500 });
  });

  it("sends nothing twice: the same event queued again, or two delivery runs at once", async () => {
    const event = { event: "sla.breached" as const, key: "once", teamId: null, text: "x", path: "/", data: {} };
    expect(await notify(prismaRun(db), event)).toBe(1);
    expect(await notify(prismaRun(db), event)).toBe(0);
    const runs = await Promise.all([deliverDue(at(1000)), deliverDue(at(1000)), deliverDue(at(1000))]);
    expect(runs.reduce((sum, r) => sum + r.delivered, 0)).toBe(1);
    expect(to("/all")).toHaveLength(1);
  });

  it("reports a gate failure, exception requests and decisions", async () => {
    await ingestCritical();
    const token = (await createApiToken({ name: "ci", scopes: ["read"] })).token;
    await gate(new Request(`http://localhost/api/v1/gate?image=${encodeURIComponent(IMAGE)}`, { headers: { authorization: `Bearer ${token}` } }));
    const pat = await db.user.create({ data: { email: "pat@acme.dev", name: "Pat", role: "engineer", emailVerified: true, memberships: { create: { teamId: payments } } } });
    const lee = await db.user.create({ data: { email: "lee@acme.dev", name: "Lee", role: "security_lead", emailVerified: true } });
    const engineer: UserActor = { kind: "user", userId: pat.id, email: pat.email, name: "Pat", role: "engineer", teamIds: [payments], sourceIp: null };
    const lead: UserActor = { kind: "user", userId: lee.id, email: lee.email, name: "Lee", role: "security_lead", teamIds: [], sourceIp: null };
    const finding = await db.finding.findFirstOrThrow({ where: { severity: "critical" } });
    const { exceptionId } = await requestException(engineer, { findingId: finding.id, scope: "finding", terms: { reason: "not reachable", ends: "date", expiresAt: at(5 * 86_400_000) } });
    await decideException(lead, { exceptionId: exceptionId!, decision: "approve" });
    await notifyExpiringExceptions(new Date());
    await notifyExpiringExceptions(new Date());
    await deliverDue(at(1000));
    const events = bodies("/all").map((b) => `${b.event}: ${b.text}`);
    expect(events).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^finding\.new_critical: /),
        expect.stringMatching(/^gate\.failed: Gate failed for registry\.acme\.dev\/payments\/api:1 \(policy default v1\): 1 finding: open critical vulnerability with a fix/),
        expect.stringMatching(/^exception\.requested: Pat asks to accept .+ until \d{4}-\d{2}-\d{2}: not reachable/),
        expect.stringMatching(/^exception\.decided: Lee approved the exception/),
        expect.stringMatching(/^exception\.expiring: The exception for .+ ends on/),
      ]),
    );
    expect(events).toHaveLength(5);
    expect(to("/storefront")).toHaveLength(0);
  });

  it("refuses a URL into a blocked network when it is saved, and a delivery there fails with the reason, sending nothing", async () => {
    await expect(createWebhook(CLI_ACTOR, { name: "metadata", url: "http://169.254.169.254/latest/meta-data/", format: "generic", events: ["gate.failed"] })).rejects.toThrow(
      /169\.254\.169\.254 is in a network webhooks may not reach \(WEBHOOK_BLOCKED_NETWORKS\)/,
    );
    // A saved webhook whose URL points there later (here written past the check) fails its delivery, with the reason in the log.
    const hook = await db.webhook.create({ data: { name: "later", url: "http://169.254.169.254/x", format: "generic", events: ["gate.failed"], secretSalt: "s" } });
    await db.webhookDelivery.create({ data: { webhookId: hook.id, event: "gate.failed", eventKey: "k", body: { id: "k", event: "gate.failed", occurredAt: new Date().toISOString(), teamId: null, text: "t", url: "http://x/", data: {} } } });
    await deliverDue(at(1000));
    expect(await db.webhookDelivery.findFirst({ where: { webhookId: hook.id }, select: { status: true, lastError: true, lastStatusCode: true } })).toMatchObject({
      status: "pending",
      lastStatusCode: null,
      lastError: expect.stringMatching(/in a network webhooks may not reach/),
    });
  });

  it("gives up on a receiver that does not answer in time (the whole exchange is timed, not only a silent socket)", async () => {
    const silent = createServer((request) => request.resume());
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const started = Date.now();
      await expect(postJson(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/`, {}, "{}", 300)).rejects.toThrow(/no answer within 0\.3 s/);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it("reports findings that passed their due date since the last run, once", async () => {
    const t0 = new Date();
    await ingestCritical();
    expect(await notifySlaBreaches(t0)).toEqual({ teams: 0, findings: 0 });
    await db.finding.updateMany({ where: { severity: "critical" }, data: { dueAt: new Date(t0.getTime() + 60_000) } });
    const t1 = new Date(t0.getTime() + 5 * 60_000);
    expect((await notifySlaBreaches(t1)).findings).toBe(await db.finding.count({ where: { severity: "critical" } }));
    expect(await notifySlaBreaches(new Date(t1.getTime() + 5 * 60_000))).toEqual({ teams: 0, findings: 0 });
    await deliverDue(at(10 * 60_000));
    expect(bodies("/all").filter((b) => b.event === "sla.breached")).toHaveLength(1);
  });
});
