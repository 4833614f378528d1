// POST /api/v1/runtime-events with real Falco output, through the route and a real database.
import { beforeEach, describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/runtime-events/route";
import { db } from "@/lib/db";
import { createApiToken } from "@/lib/tokens/api-tokens";
import { PRUNE_EVERY, RAW_EVENTS_KEPT_PER_FINDING, ingestRuntimeEvents } from "@/lib/ingest/falco/ingest-runtime-events";
import { databaseFingerprint, resetDatabase } from "../support/db-state";
import { fixtureText } from "../support/fixtures";
import { requestException } from "@/lib/exceptions/request";
import { decideException } from "@/lib/exceptions/decide";
import type { UserActor } from "@/lib/authz/actor";
import { scopeOfViewer } from "@/lib/authz/policy";
import { clusterDetail } from "@/lib/posture/clusters";

let token: string;

beforeEach(async () => {
  await resetDatabase();
  token = (await createApiToken({ name: "falcosidekick", scopes: ["ingest"] })).token;
});

const post = (body: string, query = "?cluster=prod-eu") =>
  POST(new Request(`http://localhost/api/v1/runtime-events${query}`, { method: "POST", body, headers: { authorization: `Bearer ${token}` } }));

describe("POST /api/v1/runtime-events", () => {
  it("takes Falco's newline-delimited output and aggregates alerts per (namespace, workload, rule)", async () => {
    const response = await post(fixtureText("falco/falco-website_syscall-k8s-alerts.jsonl"));
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ accepted: 9, rejected: 0, alerts: 9, duplicates: 0, ignored: 0 });
    expect(await db.runtimeEvent.count()).toBe(9);
    const findings = await db.finding.findMany({ where: { kind: "runtime" }, include: { _count: { select: { runtimeEvents: true } } } });
    const total = findings.reduce((n, f) => n + (f.details as { eventCount: number }).eventCount, 0);
    expect(total).toBe(9);
    expect(findings.every((f) => f._count.runtimeEvents === (f.details as { eventCount: number }).eventCount)).toBe(true);
    expect(new Set(findings.map((f) => f.ruleId))).toEqual(new Set(["Terminal shell in container", "Contact K8S API Server From Container"]));
    expect(findings.find((f) => f.severity === "critical")).toBeDefined();
  });

  it("keeps Falco's time with its nanoseconds and big integers exactly", async () => {
    const event = '{"output":"shell","priority":"Notice","rule":"Terminal shell in container","time":"2021-01-14T23:39:44.834631763Z","output_fields":{"evt.time":1610667584834631763,"k8s.ns.name":"shop","k8s.pod.name":"api-7d9f8b6c5d-x2k4p"}}';
    await post(event);
    const stored = await db.runtimeEvent.findFirstOrThrow({ include: { finding: true } });
    expect(stored.time).toBe("2021-01-14T23:39:44.834631763Z");
    expect((stored.fields as Record<string, unknown>)["evt.time"]).toBe("1610667584834631763");
    expect(stored.finding?.location).toBe("shop/api");
  });

  it("takes Falcosidekick's webhook body (one event) and skips Falco's internal events", async () => {
    const response = await post(fixtureText("falco/falcosidekick_test-events.jsonl"));
    expect(await response.json()).toMatchObject({ accepted: 4, rejected: 0, alerts: 2, ignored: 2 });
    const single = await post(fixtureText("falco/falco-website_k8saudit-alerts.jsonl").split("\n")[0]);
    expect(await single.json()).toMatchObject({ accepted: 1, alerts: 1 });
  });

  it("takes many single-event posts at once, each answered for itself, none lost (they are committed together)", async () => {
    const event = (i: number) => JSON.stringify({ output: `shell ${i}`, priority: "Warning", rule: "Terminal shell in container", time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), output_fields: { "k8s.ns.name": "shop", "k8s.pod.name": "api-7d9f8b6c5d-x2k4p" } });
    // 150 different events, and 50 redeliveries of the first ones, all in flight together.
    const bodies = [...Array.from({ length: 150 }, (_, i) => event(i)), ...Array.from({ length: 50 }, (_, i) => event(i))];
    const responses = await Promise.all(bodies.map((body) => post(body)));
    expect(responses.every((r) => r.status === 202)).toBe(true);
    const answers = await Promise.all(responses.map((r) => r.json()));
    expect(answers.every((a) => a.accepted === 1 && a.alerts + a.duplicates === 1)).toBe(true);
    expect(answers.reduce((n, a) => n + a.alerts, 0)).toBe(150);
    expect(await db.runtimeEvent.count()).toBe(150);
    const finding = await db.finding.findFirstOrThrow({ where: { kind: "runtime" } });
    expect((finding.details as { eventCount: number }).eventCount).toBe(150);
    expect(await db.scan.count()).toBe(0);
  });

  it("counts alerts of the same findings from two senders (two bindings, batched apart) at once exactly, without deadlock", async () => {
    await post(fixtureText("falco/falco-website_syscall-k8s-alerts.jsonl")); // the cluster exists
    const cluster = await db.cluster.findUniqueOrThrow({ where: { name: "prod-eu" } });
    const bound = (await createApiToken({ name: "bound", scopes: ["ingest"], clusterId: cluster.id })).token;
    const event = (i: number, sender: string) =>
      JSON.stringify({ output: `shell ${sender} ${i}`, priority: "Warning", rule: `Rule ${i % 5}`, time: new Date(Date.UTC(2026, 0, 2, 0, 0, i)).toISOString(), output_fields: { "k8s.ns.name": `ns-${(i * 7) % 3}`, "k8s.pod.name": `api-${i % 4}-7d9f8b6c5d-x2k4p` } });
    const before = await db.runtimeEvent.count();
    const responses = await Promise.all(
      Array.from({ length: 120 }, (_, i) => [
        post(event(i, "a")),
        POST(new Request("http://localhost/api/v1/runtime-events?cluster=prod-eu", { method: "POST", body: event(i, "b"), headers: { authorization: `Bearer ${bound}` } })),
      ]).flat(),
    );
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 202));
    expect(await db.runtimeEvent.count()).toBe(before + 240);
    const findings = await db.finding.findMany({ where: { kind: "runtime", ruleId: { startsWith: "Rule " } } });
    expect(findings.reduce((n, f) => n + (f.details as { eventCount: number }).eventCount, 0)).toBe(240);
  });

  it("covers again, at its next alert, a reopened finding whose exception is still approved (and leaves others open)", async () => {
    const alert = (i: number, pod: string) =>
      JSON.stringify({ output: `shell ${i}`, priority: "Warning", rule: "Terminal shell in container", time: new Date(Date.UTC(2026, 0, 3, 0, 0, i)).toISOString(), output_fields: { "k8s.ns.name": "shop", "k8s.pod.name": `${pod}-7d9f8b6c5d-x2k4p` } });
    await post([alert(1, "api"), alert(2, "web")].join("\n"));
    const [api, web] = await Promise.all(["shop/api", "shop/web"].map((location) => db.finding.findFirstOrThrow({ where: { kind: "runtime", location } })));
    const lead = await db.user.create({ data: { email: "lee@acme.dev", name: "lee", role: "security_lead", emailVerified: true } });
    await db.riskException.create({ data: { findingId: api.id, requestedById: lead.id, reason: "a debug shell, by design", status: "approved", expiresAt: new Date(Date.UTC(2099, 0, 1)) } });
    // Marked fixed by hand, then the rule fires again on both workloads.
    await db.finding.updateMany({ where: { id: { in: [api.id, web.id] } }, data: { status: "fixed", fixedAt: new Date(), statusChangedAt: new Date() } });
    expect((await post([alert(3, "api"), alert(4, "web")].join("\n"))).status).toBe(202);
    expect((await db.finding.findUniqueOrThrow({ where: { id: api.id } })).status).toBe("risk_accepted");
    expect((await db.finding.findUniqueOrThrow({ where: { id: web.id } })).status).toBe("open");
  });

  it("takes a rule exception across a namespace: it covers the rule's alerts of every workload there, also those that fire later, and no other namespace's", async () => {
    const alert = (i: number, namespace: string, pod: string) =>
      JSON.stringify({ output: `shell ${i}`, priority: "Warning", rule: "Terminal shell in container", time: new Date(Date.UTC(2026, 0, 4, 0, 0, i)).toISOString(), output_fields: { "k8s.ns.name": namespace, "k8s.pod.name": `${pod}-7d9f8b6c5d-x2k4p` } });
    await post([alert(1, "debug", "toolbox"), alert(2, "debug", "netshoot"), alert(3, "shop", "api")].join("\n"));
    const lead = async (name: string): Promise<UserActor> => {
      const user = await db.user.create({ data: { email: `${name}@acme.dev`, name, role: "security_lead", emailVerified: true } });
      return { kind: "user", userId: user.id, email: user.email, name, role: "security_lead", teamIds: [], sourceIp: null };
    };
    const [lee, lou] = [await lead("lee"), await lead("lou")];
    const toolbox = await db.finding.findFirstOrThrow({ where: { kind: "runtime", location: "debug/toolbox" } });
    const now = new Date();
    const { exceptionId } = await requestException(lee, { findingId: toolbox.id, scope: "namespace", terms: { reason: "shells are what the debug namespace is for", ends: "date", expiresAt: new Date(now.getTime() + 30 * 86_400_000) } }, now);
    expect((await decideException(lou, { exceptionId: exceptionId!, decision: "approve" }, now)).covered).toBe(2);
    // A workload of the namespace that fires for the first time after the approval: covered as its alert lands.
    expect((await post(alert(4, "debug", "busybox"))).status).toBe(202);
    const statuses = Object.fromEntries((await db.finding.findMany({ where: { kind: "runtime", ruleId: "Terminal shell in container" } })).map((f) => [f.location, f.status]));
    expect(statuses).toEqual({ "debug/toolbox": "risk_accepted", "debug/netshoot": "risk_accepted", "debug/busybox": "risk_accepted", "shop/api": "open" });
  });

  it("has a budget of its own, and alerts it refuses leave a trace in the audit log", async () => {
    process.env.RUNTIME_EVENT_REQUESTS_PER_MIN = "2";
    process.env.INGEST_REQUESTS_PER_MIN = "1";
    try {
      const event = (i: number) => JSON.stringify({ output: "x", priority: "Warning", rule: "Terminal shell in container", time: new Date(Date.UTC(2026, 0, 2, 0, 0, i)).toISOString(), output_fields: { "k8s.ns.name": "shop" } });
      expect((await post(event(1))).status).toBe(202);
      expect((await post(event(2))).status).toBe(202);
      const refused = await post(event(3));
      expect(refused.status).toBe(429);
      expect((await refused.json()).error.message).toMatch(/over 2 runtime-event requests per minute/);
      expect((await post(event(4))).status).toBe(429);
      const trace = await db.auditLog.findMany({ where: { action: "runtime_events.rate_limited" } });
      expect(trace).toHaveLength(1);
      expect(trace[0].details).toMatchObject({ refused: 1, limitPerMinute: 2 });
    } finally {
      delete process.env.RUNTIME_EVENT_REQUESTS_PER_MIN;
      delete process.env.INGEST_REQUESTS_PER_MIN;
    }
  });

  it("counts a retried delivery once", async () => {
    const body = fixtureText("falco/falco-website_k8saudit-alerts.jsonl");
    await post(body);
    const before = await databaseFingerprint();
    const again = await post(body);
    expect(await again.json()).toMatchObject({ accepted: 6, alerts: 0, duplicates: 6 });
    expect(await databaseFingerprint()).toEqual(before);
  });

  it("filters the cluster page's timeline by a minimum Falco priority, whatever its case, and by namespace", async () => {
    const at = new Date(Date.now() - 60 * 60_000).toISOString();
    const alert = (rule: string, priority: string, namespace: string) =>
      JSON.stringify({ rule, priority, time: at, output: rule, output_fields: { "k8s.ns.name": namespace, "k8s.pod.name": "api-7d9f8b6c5d-x2k4p" } });
    const body = [alert("Drop and execute", "CRITICAL", "shop"), alert("Shell", "warning", "shop"), alert("Read sensitive file", "Notice", "shop"), alert("Shell", "Warning", "ops"), alert("Custom", "P1", "shop")];
    expect((await (await post(body.join("\n"))).json()).accepted).toBe(5);
    const cluster = await db.cluster.findUniqueOrThrow({ where: { name: "prod-eu" } });
    const lead = scopeOfViewer({ role: "security_lead", teamIds: [] });
    const rules = async (filter: { priority?: string; namespace?: string }) =>
      (await clusterDetail(lead, cluster.id, filter)).alerts.map((a) => `${a.namespace}:${a.rule}`).sort();
    expect(await rules({})).toHaveLength(5);
    expect(await rules({ priority: "Warning" })).toEqual(["ops:Shell", "shop:Drop and execute", "shop:Shell"]);
    expect(await rules({ priority: "critical" })).toEqual(["shop:Drop and execute"]);
    expect(await rules({ priority: "Warning", namespace: "ops" })).toEqual(["ops:Shell"]);
    expect(await rules({ priority: "Debug" })).toHaveLength(4);
    // Not a Falco priority: taken as the sender spelled it, whatever its case.
    expect(await rules({ priority: "p1" })).toEqual(["shop:Custom"]);
  });

  it("reports bad events and keeps the good ones", async () => {
    const body = ['{"rule":"Write below etc","priority":"Error","time":"2024-01-01T00:00:00Z"}', '{"priority":"Error"}', "garbage"].join("\n");
    const result = await (await post(body)).json();
    expect(result).toMatchObject({ accepted: 1, rejected: 2, alerts: 1 });
    expect(result.errors).toHaveLength(2);
  });

  it("answers 400 and changes nothing when no event is valid or cluster= is missing", async () => {
    const before = await databaseFingerprint();
    const invalid = await post('{"hello":"world"}');
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).error.message).toMatch(/No valid Falco event/);
    const noCluster = await post(fixtureText("falco/falco-website_misc-alerts.jsonl"), "");
    expect(noCluster.status).toBe(400);
    expect((await noCluster.json()).error.message).toMatch(/cluster= is required/);
    expect(await databaseFingerprint()).toEqual(before);
  });

  it(`keeps at most ${RAW_EVENTS_KEPT_PER_FINDING} raw events per alert, and the full count`, async () => {
    const events = Array.from({ length: RAW_EVENTS_KEPT_PER_FINDING + 20 }, (_, i) =>
      JSON.stringify({ rule: "Noisy rule", priority: "Warning", time: new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString(), output: `event ${i}`, output_fields: { "k8s.ns.name": "a", "k8s.pod.name": "b" } }),
    );
    await ingestRuntimeEvents({ body: events.join("\n"), cluster: "prod" });
    const finding = await db.finding.findFirstOrThrow({ where: { kind: "runtime" } });
    expect((finding.details as { eventCount: number }).eventCount).toBe(RAW_EVENTS_KEPT_PER_FINDING + 20);
    expect(await db.runtimeEvent.count()).toBe(RAW_EVENTS_KEPT_PER_FINDING);
    const oldest = await db.runtimeEvent.findFirstOrThrow({ orderBy: { occurredAt: "asc" } });
    expect(oldest.output).toBe("event 20");
  });

  it("links later alerts of a known finding as they are stored, and prunes once every PRUNE_EVERY alerts past the limit", async () => {
    const event = (i: number) =>
      JSON.stringify({ rule: "Noisy rule", priority: "Warning", time: new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString(), output: `event ${i}`, output_fields: { "k8s.ns.name": "a", "k8s.pod.name": "b" } });
    const first = RAW_EVENTS_KEPT_PER_FINDING - 10;
    await ingestRuntimeEvents({ body: Array.from({ length: first }, (_, i) => event(i)).join("\n"), cluster: "prod" });
    expect(await db.runtimeEvent.count()).toBe(first);
    const send = async (from: number, to: number) => {
      for (let i = from; i < to; i++) await ingestRuntimeEvents({ body: event(i), cluster: "prod" });
    };
    // The first alert past the limit prunes; the next PRUNE_EVERY - 1 are kept until the next prune.
    await send(first, RAW_EVENTS_KEPT_PER_FINDING + 1);
    expect(await db.runtimeEvent.count()).toBe(RAW_EVENTS_KEPT_PER_FINDING);
    await send(RAW_EVENTS_KEPT_PER_FINDING + 1, RAW_EVENTS_KEPT_PER_FINDING + PRUNE_EVERY);
    expect(await db.runtimeEvent.count()).toBe(RAW_EVENTS_KEPT_PER_FINDING + PRUNE_EVERY - 1);
    const total = RAW_EVENTS_KEPT_PER_FINDING + PRUNE_EVERY + 1;
    await send(total - 1, total);
    const finding = await db.finding.findFirstOrThrow({ where: { kind: "runtime" } });
    expect((finding.details as { eventCount: number }).eventCount).toBe(total);
    expect(await db.runtimeEvent.count()).toBe(RAW_EVENTS_KEPT_PER_FINDING);
    expect(await db.runtimeEvent.count({ where: { findingId: finding.id } })).toBe(RAW_EVENTS_KEPT_PER_FINDING);
    expect((await db.runtimeEvent.findFirstOrThrow({ orderBy: { occurredAt: "asc" } })).output).toBe(`event ${total - RAW_EVENTS_KEPT_PER_FINDING}`);
  });
});
