// Who may write what (reliability issue, defects 1, 4 and 7): a team-bound token writes only what
// its team owns (or what it brings into being), cluster findings live and close per namespace
// covered, ownership rules apply to what exists, and no team's report changes what another reads.
import { beforeEach, describe, expect, it } from "vitest";
import { POST as postScan } from "@/app/api/v1/scans/route";
import { POST as postEvents } from "@/app/api/v1/runtime-events/route";
import { createOwnershipRule } from "@/lib/admin/policy";
import { createTeam } from "@/lib/admin/teams";
import { createToken } from "@/lib/admin/tokens";
import { CLI_ACTOR } from "@/lib/authz/actor";
import { scopeOfViewer } from "@/lib/authz/policy";
import { db } from "@/lib/db";
import { findingDetail } from "@/lib/posture/details";
import { clusterDetail } from "@/lib/posture/clusters";
import { databaseFingerprint, resetDatabase } from "../support/db-state";
import { fixtureJson, fixtureText } from "../support/fixtures";

const KUBE_BENCH = (() => {
  const bench = fixtureJson<{ tests: { results: { status: string }[] }[] }[]>("kube-bench/kube-bench_result_no-totals.json");
  bench[0].tests[0].results[0].status = "FAIL";
  return JSON.stringify(bench);
})();
const FALCO = fixtureText("falco/falco-website_misc-alerts.jsonl");

/** Real Trivy misconfiguration results (from the Helm chart fixture), as `trivy k8s` reports them per object. */
function k8sReport(cluster: string, objects: { namespace: string; name: string; checks: number }[]): string {
  const helm = fixtureJson<{ Results: { Misconfigurations?: unknown[] }[] }>("k8s-misconfig/trivy_helm_testchart_k8s-manifests.json");
  const misconfigurations = helm.Results[0].Misconfigurations!;
  return JSON.stringify({
    ClusterName: cluster,
    Resources: objects.map((o) => ({
      Namespace: o.namespace,
      Kind: "Deployment",
      Name: o.name,
      Results: [{ Target: `Deployment/${o.name}`, Class: "config", Type: "kubernetes", Misconfigurations: misconfigurations.slice(0, o.checks) }],
    })),
  });
}

const teams: Record<string, string> = {};
let unbound: string;
const tokens: Record<string, string> = {};

beforeEach(async () => {
  await resetDatabase();
  for (const name of ["Payments", "Storefront", "Platform"]) {
    teams[name] = (await createTeam(CLI_ACTOR, { name })).id;
    tokens[name] = (await createToken(CLI_ACTOR, { name: `${name}-ci`, scope: "ingest", team: name })).token;
  }
  unbound = (await createToken(CLI_ACTOR, { name: "org-ci", scope: "ingest" })).token;
});

function scan(token: string, query: string, body: string) {
  return postScan(new Request(`http://localhost/api/v1/scans${query}`, { method: "POST", body, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } }));
}

function events(token: string, query: string, body = FALCO) {
  return postEvents(new Request(`http://localhost/api/v1/runtime-events${query}`, { method: "POST", body, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } }));
}

async function expectForbidden(response: Response, message: RegExp) {
  const body = await response.json();
  expect(response.status, JSON.stringify(body)).toBe(403);
  expect(body.error.message).toMatch(message);
}

describe("a team-bound token", () => {
  it("cannot post kube-bench or runtime events to another team's cluster, and nothing changes", async () => {
    // The cluster exists before the rule that gives it to Storefront.
    expect((await scan(unbound, "?cluster=prod-eu", KUBE_BENCH)).status).toBe(201);
    await createOwnershipRule(CLI_ACTOR, { team: "Storefront", clusterName: "prod-eu" });
    const cis = await db.finding.findFirstOrThrow({ where: { kind: "compliance" } });
    expect(cis.teamId).toBe(teams.Storefront);
    const before = await databaseFingerprint();
    await expectForbidden(await scan(tokens.Payments, "?cluster=prod-eu", KUBE_BENCH), /belongs to another team/);
    const clean = JSON.parse(KUBE_BENCH).map((c: { tests: { results: { status: string }[] }[] }) => ({ ...c, tests: c.tests.map((t) => ({ ...t, results: t.results.map((r) => ({ ...r, status: "PASS" })) })) }));
    await expectForbidden(await scan(tokens.Payments, "?cluster=prod-eu", JSON.stringify(clean)), /belongs to another team/);
    await expectForbidden(await events(tokens.Payments, "?cluster=prod-eu"), /belongs to another team/);
    expect(await databaseFingerprint()).toEqual(before);
    expect((await db.finding.findUniqueOrThrow({ where: { id: cis.id } })).status).toBe("open");
  });

  it("makes a cluster it brings into being its team's, so the team's engineers see its alerts", async () => {
    expect((await events(tokens.Payments, "?cluster=payments-dev")).status).toBe(202);
    const cluster = await db.cluster.findUniqueOrThrow({ where: { name: "payments-dev" } });
    expect(cluster.teamId).toBe(teams.Payments);
    const engineer = scopeOfViewer({ role: "engineer", teamIds: [teams.Payments] });
    const seen = await clusterDetail(engineer, cluster.id);
    expect(Object.keys(seen.summary.posture.byKind)).toEqual(["runtime"]);
    expect(seen.summary.posture.byKind.runtime).toBeGreaterThan(0);
    const alert = await db.finding.findFirstOrThrow({ where: { kind: "runtime", clusterId: cluster.id } });
    expect((await findingDetail(engineer, alert.id)).id).toBe(alert.id);
  });

  it("gets 403 for an image whose repository another team owns, by rule or by an earlier scan", async () => {
    await createOwnershipRule(CLI_ACTOR, { team: "Platform", repositoryPrefix: "registry.acme.dev/platform/" });
    const before = await databaseFingerprint();
    const report = fixtureText("trivy/trivy_alpine-310.json");
    await expectForbidden(await scan(tokens.Payments, "?image=registry.acme.dev/platform/auth-service:4.2.2", report), /belongs to another team/);
    expect(await databaseFingerprint()).toEqual(before);
    // Platform's own image, then another build of the same repository from a Payments token.
    expect((await scan(unbound, "?image=registry.acme.dev/other/api:1.0&team=Platform", report)).status).toBe(201);
    const digest = `sha256:${"a".repeat(64)}`;
    await expectForbidden(await scan(tokens.Payments, `?image=registry.acme.dev/other/api:1.1@${digest}`, report), /belongs to another team/);
    expect(await db.image.count({ where: { teamId: teams.Payments } })).toBe(0);
  });

  it("cannot write a namespace another team owns in a shared cluster, nor claim one nobody owns", async () => {
    await createOwnershipRule(CLI_ACTOR, { team: "Storefront", clusterName: "shared", namespace: "storefront" });
    await createOwnershipRule(CLI_ACTOR, { team: "Payments", clusterName: "shared", namespace: "payments" });
    expect((await scan(unbound, "", k8sReport("shared", [{ namespace: "storefront", name: "web", checks: 2 }]))).status).toBe(201);
    await expectForbidden(await scan(tokens.Payments, "", k8sReport("shared", [{ namespace: "storefront", name: "web", checks: 1 }])), /another team/);
    await expectForbidden(await scan(tokens.Payments, "", k8sReport("shared", [{ namespace: "kube-system", name: "dns", checks: 1 }])), /no team owns/);
    await expectForbidden(await scan(tokens.Payments, "?cluster=shared&namespace=storefront&workload=deployment/web", fixtureText("trivy/trivy_alpine-310.json")), /another team/);
    // Its own namespace in the shared cluster is fine.
    expect((await scan(tokens.Payments, "", k8sReport("shared", [{ namespace: "payments", name: "api", checks: 3 }]))).status).toBe(201);
  });
});

describe("cluster findings live per namespace covered", () => {
  it("a report covering some namespaces closes nothing in the others (a Payments token in a cluster no team owns)", async () => {
    await createOwnershipRule(CLI_ACTOR, { team: "Storefront", clusterName: "shared", namespace: "storefront" });
    await createOwnershipRule(CLI_ACTOR, { team: "Payments", clusterName: "shared", namespace: "payments" });
    const both = k8sReport("shared", [
      { namespace: "storefront", name: "web", checks: 2 },
      { namespace: "payments", name: "api", checks: 3 },
    ]);
    expect((await scan(unbound, "", both)).status).toBe(201);
    expect(await db.finding.count({ where: { status: "open", teamId: teams.Storefront } })).toBe(2);
    const paymentsOnly = await scan(tokens.Payments, "", k8sReport("shared", [{ namespace: "payments", name: "api", checks: 1 }]));
    expect(paymentsOnly.status).toBe(201);
    expect((await paymentsOnly.json()).findings).toMatchObject({ total: 1, unchanged: 1, fixed: 2 });
    expect(await db.finding.count({ where: { status: "open", teamId: teams.Storefront } })).toBe(2);
    // A run limited to namespace storefront (any token that may write it) speaks only for storefront.
    const storefrontOnly = await scan(unbound, "", k8sReport("shared", [{ namespace: "storefront", name: "web", checks: 1 }]));
    expect((await storefrontOnly.json()).findings).toMatchObject({ total: 1, fixed: 1 });
    expect(await db.finding.count({ where: { status: "open", teamId: teams.Payments } })).toBe(1);
  });
});

describe("ownership rules", () => {
  it("apply to clusters, namespaces, images and their findings that already exist, at once", async () => {
    expect((await events(unbound, "?cluster=prod-us")).status).toBe(202);
    expect((await scan(unbound, "?image=registry.acme.dev/data/etl:3.1", fixtureText("trivy/trivy_debian-buster.json"))).status).toBe(201);
    expect(await db.finding.count({ where: { teamId: { not: null } } })).toBe(0);
    await createOwnershipRule(CLI_ACTOR, { team: "Platform", clusterName: "prod-us" });
    await createOwnershipRule(CLI_ACTOR, { team: "Storefront", repositoryPrefix: "registry.acme.dev/data/" });
    expect((await db.cluster.findUniqueOrThrow({ where: { name: "prod-us" } })).teamId).toBe(teams.Platform);
    expect(await db.finding.count({ where: { kind: "runtime", teamId: { not: teams.Platform } } })).toBe(0);
    expect(await db.finding.count({ where: { kind: "vulnerability", teamId: { not: teams.Storefront } } })).toBe(0);
    expect((await db.image.findFirstOrThrow()).teamId).toBe(teams.Storefront);
  });

  it("apply on the next scan to a namespace created before the rule, even when written behind the app's back", async () => {
    const k8sAlerts = fixtureText("falco/falco-website_syscall-k8s-alerts.jsonl");
    expect((await events(unbound, "?cluster=prod-eu", k8sAlerts)).status).toBe(202);
    const namespace = await db.namespace.findFirstOrThrow({ where: { cluster: { name: "prod-eu" }, name: "default" } });
    expect(namespace.teamId).toBeNull();
    await db.ownershipRule.create({ data: { teamId: teams.Payments, clusterName: "prod-eu", namespace: namespace.name } });
    const body = k8sAlerts.split("\n").filter(Boolean).map((line) => JSON.stringify({ ...JSON.parse(line), time: new Date().toISOString() })).join("\n");
    expect((await events(unbound, "?cluster=prod-eu", body)).status).toBe(202);
    expect((await db.namespace.findUniqueOrThrow({ where: { id: namespace.id } })).teamId).toBe(teams.Payments);
    expect(await db.finding.count({ where: { namespaceId: namespace.id, teamId: { not: teams.Payments } } })).toBe(0);
  });

  it("cannot tie: a second rule for the same prefix, cluster or namespace is refused", async () => {
    await createOwnershipRule(CLI_ACTOR, { team: "Payments", repositoryPrefix: "registry.acme.dev/pay/" });
    await expect(createOwnershipRule(CLI_ACTOR, { team: "Storefront", repositoryPrefix: "registry.acme.dev/pay/" })).rejects.toThrow(/already/);
    await createOwnershipRule(CLI_ACTOR, { team: "Payments", clusterName: "prod", namespace: "pay" });
    await expect(createOwnershipRule(CLI_ACTOR, { team: "Storefront", clusterName: "prod", namespace: "pay" })).rejects.toThrow(/already/);
    expect(await db.ownershipRule.count()).toBe(2);
  });
});

describe("the vulnerability catalogue", () => {
  it("keeps what one team's report says about a CVE away from another team's findings", async () => {
    const report = fixtureJson<{ Results: { Vulnerabilities: { VulnerabilityID: string; Severity: string; Description: string }[] }[] }>("trivy/trivy_debian-buster.json");
    expect((await scan(tokens.Payments, "?image=registry.acme.dev/payments/api:1", JSON.stringify(report))).status).toBe(201);
    const original = { ...report.Results[0].Vulnerabilities[0] };
    for (const v of report.Results[0].Vulnerabilities) {
      v.Description = "INJECTED BY TEAM B TOKEN";
      v.Severity = "LOW";
    }
    expect((await scan(tokens.Storefront, "?image=registry.acme.dev/storefront/web:1", JSON.stringify(report))).status).toBe(201);
    const paymentsView = scopeOfViewer({ role: "engineer", teamIds: [teams.Payments] });
    const finding = await db.finding.findFirstOrThrow({ where: { teamId: teams.Payments, vulnerabilityId: original.VulnerabilityID } });
    const seen = await findingDetail(paymentsView, finding.id);
    expect(seen.vulnerability?.description).toBe(original.Description);
    expect(seen.severity).toBe(original.Severity.toLowerCase());
    const storefrontFinding = await db.finding.findFirstOrThrow({ where: { teamId: teams.Storefront, vulnerabilityId: original.VulnerabilityID }, include: { vulnerability: true } });
    expect(storefrontFinding.vulnerability?.description).toBe("INJECTED BY TEAM B TOKEN");
  });
});
