// Trivy Operator reports (issue 13): one resource, a kubectl list, the webhook body; labels tie
// them to workloads and images so the cluster pages show what runs where.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { ingestReport } from "@/lib/ingest/ingest-report";
import type { IngestContext } from "@/lib/ingest/context";
import { resetDatabase } from "../support/db-state";
import { fixtureJson } from "../support/fixtures";

beforeEach(resetDatabase);

const ingest = (doc: unknown, context: Partial<IngestContext> = { cluster: "prod" }) => ingestReport({ body: JSON.stringify(doc), context: { format: "auto", ...context } });
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const copy = (name: string): any => structuredClone(fixtureJson(`trivy-operator/${name}.json`));
const vulnerabilityReport = () => copy("vulnerabilityreport_coredns");
const configAudit = () => copy("configauditreport_cronjob-hello");
const rbac = () => copy("rbacassessmentreport_role-proxy");

/** Trivy in CI found two secrets in the coredns image the operator reports on (the secrets fixture, as that image). */
async function ciFoundSecretsInCoredns(): Promise<void> {
  const report = fixtureJson<Record<string, unknown>>("trivy/trivy_secrets.json");
  const result = await ingest({ ...report, ArtifactType: "container_image" }, { image: "k8s.gcr.io/coredns/coredns:v1.8.0" });
  expect(result.findings).toMatchObject({ total: 2, new: 2 });
}

const openKinds = async () => (await db.finding.findMany({ where: { status: "open" }, select: { kind: true } })).map((f) => f.kind).sort();

describe("Trivy Operator reports of an image close only what they look for", () => {
  it("a VulnerabilityReport leaves the secrets Trivy found in the image open, and still closes its own vulnerabilities", async () => {
    await ciFoundSecretsInCoredns();
    const first = await ingest(vulnerabilityReport());
    expect(first.findings).toMatchObject({ new: 1, fixed: 0 });
    expect(await openKinds()).toEqual(["secret", "secret", "vulnerability"]);
    const clean = vulnerabilityReport();
    clean.report.vulnerabilities = [];
    clean.report.updateTimestamp = "2026-11-01T00:00:00Z";
    expect((await ingest(clean)).findings).toMatchObject({ total: 0, fixed: 1 });
    expect(await openKinds()).toEqual(["secret", "secret"]);
  });

  it("an ExposedSecretReport closes the image's fixed secrets and leaves its vulnerabilities open", async () => {
    await ciFoundSecretsInCoredns();
    await ingest(vulnerabilityReport());
    const secrets = vulnerabilityReport();
    secrets.kind = "ExposedSecretReport";
    secrets.report = { ...secrets.report, vulnerabilities: undefined, secrets: [] };
    expect((await ingest(secrets)).findings).toMatchObject({ total: 0, fixed: 2 });
    expect(await openKinds()).toEqual(["vulnerability"]);
  });
});

describe("Trivy Operator reports", () => {
  it("takes a VulnerabilityReport: the image's findings, and the workload that runs it in the cluster", async () => {
    const result = await ingest(vulnerabilityReport());
    expect(result).toMatchObject({ format: "trivy-operator", findings: { total: 1, new: 1 }, skipped: [] });
    const image = await db.image.findFirstOrThrow({ include: { repository: true, workloads: { include: { workload: { include: { namespace: { include: { cluster: true } } } } } } } });
    expect([image.repository.name, image.tags]).toEqual(["k8s.gcr.io/coredns/coredns", ["v1.8.0"]]);
    // The ReplicaSet coredns-558bd4d5db is the Deployment coredns's.
    expect(image.workloads.map((w) => [w.workload.namespace.cluster.name, w.workload.namespace.name, w.workload.kind, w.workload.name])).toEqual([["prod", "kube-system", "Deployment", "coredns"]]);
    const finding = await db.finding.findFirstOrThrow();
    expect([finding.ruleId, finding.packageName, finding.installedVersion, finding.fixedVersion, finding.severity, finding.cvssScore]).toEqual(["CVE-2021-3121", "github.com/gogo/protobuf", "v1.3.1", "1.3.2", "high", 8.6]);
  });

  it("reads the labels live clusters carry, and an image by digest", async () => {
    const report = vulnerabilityReport();
    report.metadata.labels = { "trivy-operator.resource.kind": "StatefulSet", "trivy-operator.resource.name": "dns", "trivy-operator.resource.namespace": "infra", "trivy-operator.container.name": "coredns" };
    report.report.artifact.digest = `sha256:${"ab".repeat(32)}`;
    await ingest(report);
    const image = await db.image.findFirstOrThrow({ include: { workloads: { include: { workload: { include: { namespace: true } } } } } });
    expect(image.digest).toBe(`sha256:${"ab".repeat(32)}`);
    expect(image.workloads.map((w) => `${w.workload.namespace.name}/${w.workload.kind}/${w.workload.name}`)).toEqual(["infra/StatefulSet/dns"]);
  });

  it("takes a `kubectl get … -o json` list of several kinds at once", async () => {
    const list = { apiVersion: "v1", kind: "List", items: [vulnerabilityReport(), configAudit(), rbac()], metadata: { resourceVersion: "" } };
    const result = await ingest(list);
    expect(result.findings.total).toBe(6);
    const misconfigs = await db.finding.findMany({ where: { kind: "misconfiguration" }, include: { namespace: true, workload: true } });
    expect(misconfigs.map((f) => `${f.namespace?.name}/${f.workload?.kind}/${f.workload?.name} ${f.ruleId}`).sort()).toEqual([
      "default/CronJob/hello KSV-0001",
      "default/CronJob/hello KSV-0003",
      "default/CronJob/hello KSV-0012",
      "default/CronJob/hello KSV-0014",
      "default/Role/proxy KSV-0113",
    ]);
  });

  it("takes the webhook body; a newer report of one object closes only that object's fixed checks", async () => {
    await ingest({ verb: "update", operatorObject: rbac() });
    const audit = configAudit();
    expect((await ingest({ verb: "update", operatorObject: audit })).findings).toMatchObject({ total: 4, new: 4 });
    audit.report.checks[3].success = true;
    audit.metadata.generation = 2;
    expect((await ingest({ verb: "update", operatorObject: audit })).findings).toMatchObject({ total: 3, fixed: 1, unchanged: 3 });
    // The RBAC report's finding is another object's: untouched.
    expect(await db.finding.count({ where: { ruleId: "KSV-0113", status: "open" } })).toBe(1);
    // The operator's own report of the object (without the webhook wrapper) is the same thing.
    expect((await ingest(audit)).findings).toMatchObject({ total: 3, fixed: 0 });
  });

  it("turns a ClusterComplianceReport's failed controls into compliance findings of the cluster", async () => {
    // Shaped after the ClusterComplianceReport CRD (status.summaryReport.controlCheck); the goldens have none.
    const compliance = {
      apiVersion: "aquasecurity.github.io/v1alpha1",
      kind: "ClusterComplianceReport",
      metadata: { name: "k8s-cis-1.23" },
      spec: { compliance: { id: "k8s-cis-1.23", title: "CIS Kubernetes Benchmarks v1.23" } },
      status: { summaryReport: { id: "k8s-cis-1.23", controlCheck: [{ id: "1.1.1", name: "Ensure that the API server pod specification file permissions are set to 600 or more restrictive", severity: "HIGH", totalFail: 1 }, { id: "1.1.2", name: "Ensure that the API server pod specification file ownership is set to root:root", severity: "HIGH", totalFail: 0 }] } },
    };
    const result = await ingest(compliance);
    expect(result.findings.total).toBe(1);
    expect(await db.finding.findFirstOrThrow()).toMatchObject({ kind: "compliance", ruleId: "k8s-cis-1.23 1.1.1", severity: "high" });
  });

  it("asks for cluster=, refuses a deleted report, and lists a report without an image as skipped", async () => {
    await expect(ingest(configAudit(), {})).rejects.toThrow(/pass cluster=/);
    await expect(ingest({ verb: "delete", operatorObject: configAudit() })).rejects.toThrow(/deleted report/);
    const nameless = vulnerabilityReport();
    nameless.report.artifact.repository = "";
    const result = await ingest({ apiVersion: "v1", kind: "List", items: [configAudit(), nameless] });
    expect(result.skipped).toEqual([{ path: "$.items[1]", reason: expect.stringMatching(/names no image/) }]);
    expect(result.findings.total).toBe(4);
  });

  it("skips a bad entry inside a list or a webhook body, not the whole report", async () => {
    const report = vulnerabilityReport();
    report.report.vulnerabilities.push({ resource: "openssl", installedVersion: "1.1.1", severity: "HIGH" });
    const listed = await ingest({ apiVersion: "v1", kind: "List", items: [configAudit(), report] });
    expect(listed.skipped).toEqual([{ path: "$.items[1].report.vulnerabilities[1]", reason: expect.stringMatching(/^vulnerabilityID: /) }]);
    expect(listed.findings.total).toBe(5);
    const hooked = await ingest({ verb: "update", operatorObject: report });
    expect(hooked.skipped).toEqual([{ path: "$.operatorObject.report.vulnerabilities[1]", reason: expect.stringMatching(/^vulnerabilityID: /) }]);
  });

  it("is detected, and format=trivy-operator must match the body", async () => {
    expect((await ingest(rbac(), { cluster: "prod", format: "trivy-operator" })).format).toBe("trivy-operator");
    await expect(ingest(rbac(), { cluster: "prod", format: "trivy" })).rejects.toThrow(/format=trivy was requested but the body is a trivy-operator report/);
  });
});
