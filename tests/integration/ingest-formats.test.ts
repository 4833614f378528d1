// Every fixture through the real ingest path and database: counts, kinds, severities, context.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { ingestReport } from "@/lib/ingest/ingest-report";
import type { IngestContext } from "@/lib/ingest/context";
import { databaseFingerprint, resetDatabase } from "../support/db-state";
import { fixtureJson, fixtureText } from "../support/fixtures";

const auto: IngestContext = { format: "auto" };

async function openBySeverity(where: object = {}): Promise<Record<string, number>> {
  const rows = await db.finding.groupBy({ by: ["severity"], where: { status: "open", ...where }, _count: { _all: true } });
  return Object.fromEntries(rows.map((r) => [r.severity, r._count._all]));
}

beforeEach(resetDatabase);

describe("every fixture ingests with tested counts, kinds and severities", () => {
  it.each([
    ["trivy/trivy_npm.json", auto, 1, { vulnerability: 1 }, { medium: 1 }],
    ["trivy/trivy_gomod.json", auto, 5, { vulnerability: 5 }, { unknown: 4, medium: 1 }],
    ["trivy/trivy_secrets.json", auto, 2, { secret: 2 }, { critical: 1, high: 1 }],
    ["trivy/trivy_dockerfile.json", auto, 1, { misconfiguration: 1 }, { high: 1 }],
    ["k8s-misconfig/trivy_helm_testchart_k8s-manifests.json", auto, 6, { misconfiguration: 6 }, { high: 1, medium: 3, low: 2 }],
    ["trivy/thirdparty_zora_trivy-k8s-cluster-vuln.json", auto, 12, { vulnerability: 12 }, { critical: 2, high: 6, medium: 2, low: 1, unknown: 1 }],
    ["trivy/trivy_alpine-310.sarif.json", auto, 2, { vulnerability: 2 }, { medium: 2 }],
    ["trivy/trivy_fluentd-multiple-lockfiles.cyclonedx.json", auto, 3, { vulnerability: 3 }, { critical: 1, high: 1, low: 1 }],
    ["grype/grype_keycloak-21.0.2_rhel9.json", auto, 6, { vulnerability: 6 }, { low: 6 }],
    ["grype/grype_chainguard-ruby_wolfi.json", auto, 3, { vulnerability: 3 }, { high: 3 }],
    ["grype/grype_anchore-test-images_java-ghsa.json", auto, 2, { vulnerability: 2 }, { medium: 2 }],
    ["grype/grype_presenter-snapshot_image.json", auto, 2, { vulnerability: 2 }, { critical: 1, low: 1 }],
    ["kube-bench/kube-bench_result_with-totals.json", { format: "auto", cluster: "prod" }, 1, { compliance: 1 }, { low: 1 }],
    ["kube-bench/kube-bench_result_no-totals.json", { format: "kube-bench", cluster: "prod" }, 1, { compliance: 1 }, { low: 1 }],
    ["kube-bench/kube-bench_all-passed_no-totals.json", { format: "auto", cluster: "prod" }, 1, { compliance: 1 }, { low: 1 }],
  ] as const)("%s", async (file, context, total, kinds, severities) => {
    const result = await ingestReport({ body: fixtureText(file), context: context as IngestContext });
    expect(result.findings).toEqual({ total, new: total, reopened: 0, fixed: 0, unchanged: 0 });
    const byKind = await db.finding.groupBy({ by: ["kind"], _count: { _all: true } });
    expect(Object.fromEntries(byKind.map((r) => [r.kind, r._count._all]))).toEqual(kinds);
    expect(await openBySeverity()).toEqual(severities);
    const again = await ingestReport({ body: fixtureText(file), context: context as IngestContext });
    expect(again.duplicate).toBe(true);
  });
});

describe("cluster reports", () => {
  it("records a trivy k8s report's cluster, namespaces, workloads and the images they run", async () => {
    await ingestReport({ body: fixtureText("trivy/thirdparty_zora_trivy-k8s-cluster-vuln.json"), context: auto });
    const cluster = await db.cluster.findUniqueOrThrow({ where: { name: "kind-kind" }, include: { namespaces: { include: { workloads: { include: { images: true } } } } } });
    expect(cluster.namespaces.map((n) => n.name).sort()).toEqual(["apps", "default", "kube-system"]);
    const app1 = cluster.namespaces.find((n) => n.name === "apps")!.workloads.find((w) => w.name === "app1")!;
    expect(app1.images).toHaveLength(2);
    expect(await db.image.count()).toBe(6);
    // The sidecar image runs in two workloads but its vulnerabilities are counted once.
    const sidecar = await db.image.findFirstOrThrow({ where: { repository: { name: "quay.io/kiwigrid/k8s-sidecar" } }, include: { findings: true, workloads: true } });
    expect(sidecar.findings).toHaveLength(4);
    expect(sidecar.workloads).toHaveLength(2);
  });

  it("ties a cluster's misconfigurations to their namespace and workload, and closes them per cluster", async () => {
    const report = {
      ClusterName: "prod",
      Resources: [
        {
          Namespace: "payments",
          Kind: "Deployment",
          Name: "api",
          Results: [{ Target: "Deployment/api", Class: "config", Misconfigurations: [{ ID: "KSV-0012", Title: "Runs as root", Severity: "MEDIUM", Status: "FAIL" }, { ID: "KSV-0001", Title: "Privilege escalation", Severity: "MEDIUM", Status: "FAIL" }] }],
        },
      ],
    };
    await ingestReport({ body: JSON.stringify(report), context: auto });
    const finding = await db.finding.findFirstOrThrow({ where: { ruleId: "KSV-0012" }, include: { namespace: true, workload: true, cluster: true } });
    expect([finding.cluster?.name, finding.namespace?.name, finding.workload?.kind, finding.workload?.name]).toEqual(["prod", "payments", "Deployment", "api"]);
    report.Resources[0].Results[0].Misconfigurations.pop();
    const rescan = await ingestReport({ body: JSON.stringify(report), context: auto });
    expect(rescan.findings).toMatchObject({ total: 1, fixed: 1, unchanged: 1 });
  });

  it("closes kube-bench findings only for the node types the newer run checked", async () => {
    const bench = fixtureJson<{ node_type: string; tests: { results: { status: string; test_number: string }[] }[] }[]>("kube-bench/kube-bench_result_no-totals.json");
    bench[0].tests[0].results[0].status = "FAIL"; // a master check fails
    await ingestReport({ body: JSON.stringify(bench), context: { format: "auto", cluster: "prod" } });
    expect(await db.finding.count({ where: { status: "open" } })).toBe(2);
    // A run on a worker node (node type "controlplane" only, all passing) closes nothing of master's.
    const workerRun = [{ ...bench[2], tests: bench[2].tests.map((t) => ({ ...t, results: t.results.map((r) => ({ ...r, status: "PASS" })) })) }];
    const worker = await ingestReport({ body: JSON.stringify(workerRun), context: { format: "auto", cluster: "prod" } });
    expect(worker.findings).toMatchObject({ total: 0, fixed: 1 });
    const open = await db.finding.findMany({ where: { status: "open" } });
    expect(open.map((f) => f.ruleId)).toEqual(["CIS 1.1.1"]);
  });
});

describe("images across formats", () => {
  it("keeps a CycloneDX VEX decision and the SBOM's package inventory", async () => {
    const bom = fixtureJson<{ vulnerabilities: { analysis?: object }[] }>("trivy/trivy_fluentd-multiple-lockfiles.cyclonedx.json");
    bom.vulnerabilities[0].analysis = { state: "not_affected", justification: "code_not_reachable" };
    await ingestReport({ body: JSON.stringify(bom), context: { format: "auto", image: "registry.example.com/fluentd:1.0" } });
    const decided = await db.finding.findFirstOrThrow({ where: { ruleId: "CVE-2019-18224" }, include: { events: true } });
    expect(decided.status).toBe("not_affected");
    expect(decided.events.map((e) => [e.type, e.fromStatus, e.toStatus])).toEqual([["status_changed", "open", "not_affected"]]);
    const image = await db.image.findFirstOrThrow({ include: { packages: true } });
    expect(image.packages.map((p) => p.name).sort()).toEqual(["activesupport", "bash", "libidn2-0"]);
  });

  it("merges Trivy and Grype reports of the same image into one set, each tool closing only its own", async () => {
    const image = { format: "auto", image: "registry.example.com/shop/api:1.0" } as const;
    await ingestReport({ body: fixtureText("trivy/trivy_debian-buster.json"), context: image });
    await ingestReport({ body: fixtureText("grype/grype_presenter-snapshot_image.json"), context: image });
    expect(await db.image.count()).toBeGreaterThanOrEqual(1);
    const before = await db.finding.count({ where: { status: "open" } });
    // An empty Grype rescan closes Grype's findings and leaves Trivy's open.
    const grype = fixtureJson<{ matches: unknown[] }>("grype/grype_presenter-snapshot_image.json");
    grype.matches = [];
    const rescan = await ingestReport({ body: JSON.stringify(grype), context: image });
    expect(rescan.findings.fixed).toBe(2);
    expect(await db.finding.count({ where: { status: "open" } })).toBe(before - 2);
  });

  it("stores text from reports as data, even with NUL characters and markup in it", async () => {
    const report = fixtureJson<{ Results: { Vulnerabilities: { Title: string; Description: string }[] }[] }>("trivy/trivy_debian-buster.json");
    report.Results[0].Vulnerabilities[0].Title = "<script>alert(1)</script>\u0000 overflow";
    report.Results[0].Vulnerabilities[0].Description = "a\u0000b";
    const result = await ingestReport({ body: JSON.stringify(report), context: auto });
    expect(result.findings.new).toBe(2);
    const finding = await db.finding.findFirstOrThrow({ where: { title: { startsWith: "<script>" } }, include: { vulnerability: true } });
    expect(finding.title).toBe("<script>alert(1)</script> overflow");
    expect(finding.vulnerability?.description).toBe("ab");
  });

  it("stores a vulnerability's links once each, none empty, at most 100, each bounded", async () => {
    type Entry = { VulnerabilityID: string; PrimaryURL?: string; References?: string[] };
    const report = fixtureJson<{ Results: { Vulnerabilities: Entry[] }[] }>("trivy/trivy_debian-buster.json");
    const [first, second] = report.Results[0].Vulnerabilities;
    // The primary link again among the references, a repeat and an empty one.
    first.PrimaryURL = "https://avd.aquasec.com/nvd/one";
    first.References = ["https://example.com/a", "https://avd.aquasec.com/nvd/one", "", "https://example.com/a", "https://example.com/b"];
    second.PrimaryURL = undefined;
    second.References = [...Array.from({ length: 150 }, (_, i) => `https://example.com/${i}`), `https://example.com/${"x".repeat(3000)}`];
    await ingestReport({ body: JSON.stringify(report), context: auto });
    const stored = async (id: string) => (await db.vulnerability.findFirstOrThrow({ where: { id } })).references;
    expect(await stored(first.VulnerabilityID)).toEqual(["https://avd.aquasec.com/nvd/one", "https://example.com/a", "https://example.com/b"]);
    const many = await stored(second.VulnerabilityID);
    expect(many).toHaveLength(100);
    expect(many.slice(0, 2)).toEqual(["https://example.com/0", "https://example.com/1"]);
  });

  it("needs image= for a pre-0.20 report that names no image, and changes nothing without it", async () => {
    const before = await databaseFingerprint();
    await expect(ingestReport({ body: "null", context: auto })).rejects.toThrowError(/pass image=/);
    expect(await databaseFingerprint()).toEqual(before);
    const named = await ingestReport({ body: "null", context: { format: "auto", image: "legacy/app:1" } });
    expect(named.findings.total).toBe(0);
  });
});
