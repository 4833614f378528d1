// Concurrency (reliability issue, defects 2 and 3): reports that share new CVE ids in different
// orders do not deadlock, ingests about one cluster do not queue behind each other, a sign-in is
// not starved by ingests in flight, and 20 mixed concurrent ingests give exact counts, no 5xx.
import { beforeEach, describe, expect, it } from "vitest";
import { POST as postScan } from "@/app/api/v1/scans/route";
import { createTeam } from "@/lib/admin/teams";
import { createUser } from "@/lib/admin/users";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { CLI_ACTOR } from "@/lib/authz/actor";
import { db } from "@/lib/db";
import { linkImageWorkloads, newResolution, resolveTarget } from "@/lib/ingest/targets";
import { inTransaction, sqlPool } from "@/lib/sql";
import { createApiToken } from "@/lib/tokens/api-tokens";
import { generateTrivyReport } from "../../bench/report-generator";
import { resetDatabase } from "../support/db-state";
import { FIXTURES_DIR, fixtureJson } from "../support/fixtures";

let token: string;

beforeEach(async () => {
  await resetDatabase();
  token = (await createApiToken({ name: "ci", scopes: ["ingest"] })).token;
  process.env.INGEST_REQUESTS_PER_MIN = "100000";
});

function scan(body: string, query = "") {
  return postScan(new Request(`http://localhost/api/v1/scans${query}`, { method: "POST", body, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } }));
}

/** A deterministic shuffle, so each report lists the same ids in its own order. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function reportWithOrder(image: string, seed: number): string {
  const { report } = generateTrivyReport(FIXTURES_DIR, image, 300);
  for (const result of report.Results) result.Vulnerabilities = shuffled(result.Vulnerabilities, seed);
  return JSON.stringify(report);
}

describe("concurrent ingests", () => {
  it("of different images carrying the same new CVE ids in different orders all land (no deadlock)", async () => {
    const bodies = Array.from({ length: 12 }, (_, i) => reportWithOrder(`registry.example.com/team/app-${i}:1.0`, i + 1));
    const responses = await Promise.all(bodies.map((body) => scan(body)));
    expect(responses.map((r) => r.status)).toEqual(Array(12).fill(201));
    expect(await db.vulnerability.count()).toBe(300);
    expect(await db.finding.count()).toBe(12 * 300);
  });

  it("about one cluster do not wait for each other's row locks", async () => {
    const where = "?cluster=prod&namespace=web&workload=deployment/a";
    expect((await scan(reportWithOrder("registry.example.com/c:1", 2), where)).status).toBe(201);
    // One ingest has resolved its image and the cluster's rows and is still running (its transaction open).
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const first = inTransaction(async (sql) => {
      const r = newResolution({ sql, rules: [], context: { format: "auto", cluster: "prod", namespace: "web", workload: "deployment/a" }, named: null, binding: { teamId: null, clusterId: null }, now: new Date() });
      const image = await resolveTarget(r, { kind: "image", repository: "registry.example.com/a", tags: ["1"], digest: null, configId: null, osFamily: null, osName: null, osEndOfLife: false, sizeBytes: null }, { clusterWide: false });
      await linkImageWorkloads(r, image.imageId!, "prod", []);
      entered();
      await held;
    });
    await inside;
    // Another report naming the same cluster, namespace and workload finishes meanwhile.
    const second = scan(reportWithOrder("registry.example.com/b:1", 1), where);
    const outcome = await Promise.race([second.then((r) => r.status), new Promise((resolve) => setTimeout(() => resolve("still waiting"), 8000))]);
    release();
    await first;
    expect(outcome).toBe(201);
  });

  it("leave sign-in its own connections: it answers while every ingest connection is busy", async () => {
    await createUser(CLI_ACTOR, { email: "pat@example.com", password: "a sturdy passphrase", role: "engineer" });
    const busy = Array.from({ length: 4 }, () => sqlPool("ingest").query("SELECT pg_sleep(3)"));
    const started = Date.now();
    const result = await signInWithPassword("pat@example.com", "a sturdy passphrase", new Headers({ "x-forwarded-for": "198.51.100.7" }));
    expect(result.ok).toBe(true);
    expect(Date.now() - started).toBeLessThan(2500);
    await Promise.all(busy);
  });

  it("20 at once, mixing the same report, reports for one image, overlapping cluster reports and shared CVEs: exact counts, no 5xx", async () => {
    await createTeam(CLI_ACTOR, { name: "Ops" });
    const same = reportWithOrder("registry.example.com/shop/api:1", 7);
    const sameImage = [0, 1, 2, 3].map((v) => JSON.stringify(generateTrivyReport(FIXTURES_DIR, "registry.example.com/shop/web:1", 200, v).report));
    const shared = [0, 1, 2, 3, 4, 5, 6].map((i) => reportWithOrder(`registry.example.com/lib/svc-${i}:2`, 100 + i));
    const helm = fixtureJson<{ Results: { Misconfigurations?: unknown[] }[] }>("k8s-misconfig/trivy_helm_testchart_k8s-manifests.json").Results[0].Misconfigurations!;
    const cluster = (namespace: string, checks: number) =>
      JSON.stringify({ ClusterName: "prod", Resources: [{ Namespace: namespace, Kind: "Deployment", Name: "app", Results: [{ Target: "Deployment/app", Class: "config", Misconfigurations: helm.slice(0, checks) }] }] });
    const clusters = [cluster("a", 2), cluster("b", 3), cluster("c", 4), cluster("d", 5)];
    const requests = [...Array(5).fill(same), ...sameImage, ...shared, ...clusters].map((body) => scan(body));
    expect(requests).toHaveLength(20);
    const responses = await Promise.all(requests);
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    // The identical report: one ingest, four answers as a duplicate of it.
    expect(statuses.slice(0, 5).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(statuses.slice(5)).toEqual(Array(15).fill(201));
    const bodies = await Promise.all(responses.slice(0, 5).map((r) => r.json()));
    expect(new Set(bodies.map((b) => b.scanId)).size).toBe(1);
    expect(await db.scan.count()).toBe(1 + 4 + 7 + 4);
    // Reports of one image were merged one after another: what is open is exactly one report's set.
    const web = await db.image.findFirstOrThrow({ where: { repository: { name: "registry.example.com/shop/web" } } });
    const openWeb = await db.finding.count({ where: { imageId: web.id, status: "open" } });
    expect(openWeb).toBe(200);
    expect(await db.finding.count({ where: { imageId: web.id } })).toBe(200 + 3 * 20);
    // Each namespace kept its own report's misconfigurations.
    const byNamespace = await db.finding.groupBy({ by: ["namespaceId"], where: { kind: "misconfiguration", status: "open" }, _count: { _all: true } });
    expect(byNamespace.map((g) => g._count._all).sort()).toEqual([2, 3, 4, 5]);
    expect(await db.finding.count({ where: { imageId: { not: null }, status: "open" } })).toBe(300 + 200 + 7 * 300);
  });
});
