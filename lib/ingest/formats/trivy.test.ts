import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { normaliseCheckId, parseTrivy } from "@/lib/ingest/formats/trivy";
import { ReportError } from "@/lib/ingest/errors";
import { distinctByIdentity } from "@/lib/findings/merge";

const fixture = (name: string) => JSON.parse(readFileSync(path.join(import.meta.dirname, "../../../fixtures/trivy", name), "utf8"));

const severities = (name: string) => {
  const counts: Record<string, number> = {};
  for (const f of parseTrivy(fixture(name)).groups[0].findings) counts[f.severity] = (counts[f.severity] ?? 0) + 1;
  return counts;
};

describe("parseTrivy on real image reports", () => {
  it.each([
    ["trivy_alpine-310.json", { medium: 4 }],
    ["trivy_alpine-distroless.json", { medium: 1 }],
    ["trivy_debian-buster.json", { critical: 1, low: 1 }],
    ["trivy_ubuntu-1804.json", { medium: 4, low: 1 }],
    ["trivy_centos-7.json", { medium: 1, low: 2 }],
    ["trivy_distroless-base.json", { medium: 2, low: 2 }],
    ["trivy_fluentd-gems.json", { critical: 1, high: 1 }],
    ["trivy_spring4shell-jre11.json", { critical: 1 }],
  ])("%s has the documented severities", (name, expected) => {
    expect(severities(name)).toEqual(expected);
  });

  it("reads the image: repository, tag, config id and OS", () => {
    const report = parseTrivy(fixture("trivy_fluentd-gems.json"));
    expect(report.groups[0].target).toMatchObject({
      kind: "image",
      repository: "ghcr.io/aquasecurity/trivy-test-images",
      tags: ["fluentd-multiple-lockfiles"],
      digest: null,
      configId: "sha256:5a992077baba51b97f27591a10d54d2f2723dc9c81a3fe419e261023f2554933",
      osFamily: "debian",
      osName: "10.2",
    });
    expect(report.tool).toBe("trivy");
    expect(report.reportCreatedAt?.toISOString()).toBe("2021-08-25T12:20:30.000Z");
  });

  it("normalises a language-package vulnerability with its path, PURL, CVSS and several fixed versions", () => {
    const ruby = parseTrivy(fixture("trivy_fluentd-gems.json")).groups[0].findings.find((f) => f.packageName === "activesupport")!;
    expect(ruby).toMatchObject({
      kind: "vulnerability",
      ruleId: "CVE-2020-8165",
      severity: "high",
      installedVersion: "6.0.2.1",
      packagePath: "var/lib/gems/2.5.0/specifications/activesupport-6.0.2.1.gemspec",
      purl: "pkg:gem/activesupport@6.0.2.1",
      fixedVersion: "6.0.3.1, 5.2.4.3",
      scannerStatus: "fixed",
    });
    // SeveritySource is ghsa, which has no CVSS entry here, so NVD's v3 score is used.
    expect(ruby.vulnerability).toMatchObject({ cvssScore: 9.8, cvssVersion: "3", cwes: ["CWE-502"] });
  });

  it("keeps a vulnerability without a fix as not fixable", () => {
    const noFix = parseTrivy(fixture("trivy_debian-buster.json")).groups[0].findings.find((f) => f.severity === "low")!;
    expect(noFix.fixedVersion).toBeNull();
    expect(noFix.scannerStatus).toBe("affected");
  });

  it("gives every finding of a report a distinct identity", () => {
    for (const name of ["trivy_alpine-310.json", "trivy_ubuntu-1804.json", "trivy_centos-7.json"]) {
      const findings = parseTrivy(fixture(name)).groups[0].findings;
      expect(distinctByIdentity(findings)).toHaveLength(findings.length);
    }
  });

  it("treats absent, null and empty result lists alike", () => {
    const base = fixture("trivy_alpine-distroless.json");
    expect(parseTrivy({ ...base, Results: undefined }).groups[0].findings).toEqual([]);
    expect(parseTrivy({ ...base, Results: null }).groups[0].findings).toEqual([]);
    expect(parseTrivy({ ...base, Results: [{ Target: "x", Vulnerabilities: null }] }).groups[0].findings).toEqual([]);
  });

  it("skips an entry with a wrongly typed field, naming where it is; the others stay", () => {
    const bad = fixture("trivy_alpine-310.json");
    bad.Results[0].Vulnerabilities[2].PkgName = 42;
    const report = parseTrivy(bad);
    expect(report.skipped).toEqual([{ path: "$.Results[0].Vulnerabilities[2]", reason: "PkgName: Invalid input: expected string, received number" }]);
    expect(report.groups[0].findings).toHaveLength(3);
  });

  it("rejects a wrongly typed field in the report's frame, naming where it is", () => {
    const bad = fixture("trivy_alpine-310.json");
    bad.Metadata.OS = "alpine";
    expect(() => parseTrivy(bad)).toThrowError(ReportError);
    expect(() => parseTrivy(bad)).toThrowError("$.Metadata.OS");
  });

  it("reads a repository scan as an artifact target", () => {
    const report = parseTrivy(fixture("trivy_npm.json"));
    expect(report.groups[0].target).toEqual({ kind: "artifact", name: expect.any(String), artifactType: "repository" });
    expect(report.groups[0].findings).toHaveLength(1);
    expect(report.groups[0].packages).toHaveLength(12);
  });
});

describe("normaliseCheckId", () => {
  it("maps old and new Trivy check ids to one form", () => {
    expect(normaliseCheckId("KSV001", "AVD-KSV-0001")).toBe("KSV-0001");
    expect(normaliseCheckId("KSV001")).toBe("KSV-0001");
    expect(normaliseCheckId("KSV-0118")).toBe("KSV-0118");
    expect(normaliseCheckId("DS-0002")).toBe("DS-0002");
  });
});

describe("parseTrivy on other shapes", () => {
  it("reads a trivy k8s cluster report: one group per image, with the workloads that run it", () => {
    const report = parseTrivy(fixture("thirdparty_zora_trivy-k8s-cluster-vuln.json"));
    // A vulnerability-only run says nothing about the cluster's misconfigurations: it covers no namespace.
    const [cluster, ...images] = report.groups;
    expect(cluster).toMatchObject({ target: { kind: "cluster", name: "kind-kind", covers: { namespaces: [], clusterScoped: false } }, findings: [] });
    expect(images.every((g) => g.target.kind === "image")).toBe(true);
    const sidecar = report.groups.find((g) => g.target.kind === "image" && g.target.repository === "quay.io/kiwigrid/k8s-sidecar")!;
    expect(sidecar.workloads).toEqual([
      { namespace: "apps", kind: "Deployment", name: "app1" },
      { namespace: "apps", kind: "Deployment", name: "app2" },
    ]);
    expect(sidecar.target).toMatchObject({ digest: "sha256:eaa478cdd0b8e1be7a4813bc1b01948b838e2feaa6d999e60c997dc823013824" });
    const findings = report.groups.flatMap((g) => distinctByIdentity(g.findings));
    expect(findings).toHaveLength(12);
    expect(findings.every((f) => f.kind === "vulnerability")).toBe(true);
  });

  it("reads the older k8s shapes: Metadata as an object, and Vulnerabilities/Misconfigurations lists", () => {
    const current = fixture("thirdparty_zora_trivy-k8s-cluster-vuln.json");
    const withObjects = { ...current, Resources: current.Resources.map((r: { Metadata?: unknown[] }) => ({ ...r, Metadata: r.Metadata?.[0] })) };
    expect(parseTrivy(withObjects).groups).toEqual(parseTrivy(current).groups);
    const misconfig = {
      Namespace: "apps",
      Kind: "Deployment",
      Name: "app1",
      Results: [{ Target: "Deployment/app1", Class: "config", Misconfigurations: [{ ID: "KSV012", AVDID: "AVD-KSV-0012", Title: "Runs as root", Severity: "MEDIUM", Status: "FAIL" }] }],
    };
    const legacy = parseTrivy({ ClusterName: "prod", Vulnerabilities: current.Resources, Misconfigurations: [misconfig] });
    const cluster = legacy.groups.find((g) => g.target.kind === "cluster")!;
    // It looked at the configuration of namespace apps, and only there.
    expect(cluster.target).toEqual({ kind: "cluster", name: "prod", covers: { namespaces: ["apps"], clusterScoped: false } });
    expect(cluster.findings).toMatchObject([{ kind: "misconfiguration", ruleId: "KSV-0012", resource: { namespace: "apps", kind: "Deployment", name: "app1" } }]);
  });

  it("keeps cluster-scoped objects at the cluster, and counts a clean or empty report as covering what it listed", () => {
    const check = { ID: "KSV-0041", Title: "Manage secrets", Severity: "CRITICAL", Status: "FAIL" };
    const report = parseTrivy({
      ClusterName: "prod",
      Resources: [
        { Namespace: "", Kind: "ClusterRole", Name: "admin", Results: [{ Target: "ClusterRole/admin", Class: "config", Misconfigurations: [check] }] },
        { Namespace: "shop", Kind: "Deployment", Name: "web", Results: [{ Target: "Deployment/web", Class: "config", Misconfigurations: [] }] },
      ],
    });
    expect(report.groups[0].target).toEqual({ kind: "cluster", name: "prod", covers: { namespaces: ["shop"], clusterScoped: true } });
    expect(report.groups[0].findings).toMatchObject([{ location: "ClusterRole/admin", resource: { namespace: "", kind: "ClusterRole", name: "admin" } }]);
    for (const empty of [{ ClusterName: "prod", Resources: [] }, { ClusterName: "prod", Resources: [{ Namespace: "shop", Kind: "Pod", Name: "x", Results: [] }] }]) {
      expect(parseTrivy(empty).groups).toEqual([{ target: { kind: "cluster", name: "prod", covers: { namespaces: [], clusterScoped: false } }, findings: [], packages: [], workloads: [] }]);
    }
  });

  it("reads the pre-0.20 array, and its null, as a report about one image", () => {
    const modern = fixture("trivy_alpine-310.json");
    const legacy = parseTrivy([{ ...modern.Results[0], Target: "alpine:3.10 (alpine 3.10.2)" }]);
    expect(legacy.groups[0].target).toMatchObject({ kind: "image", repository: "alpine", tags: ["3.10"] });
    expect(legacy.groups[0].findings).toHaveLength(4);
    expect(parseTrivy(null).groups[0].findings).toEqual([]);
  });

  it("reads misconfigurations of a Helm chart and secrets of a repository", () => {
    const helm = parseTrivy(JSON.parse(readFileSync(path.join(import.meta.dirname, "../../../fixtures/k8s-misconfig/trivy_helm_testchart_k8s-manifests.json"), "utf8")));
    expect(helm.groups[0].findings.map((f) => f.kind)).toEqual(Array(6).fill("misconfiguration"));
    expect(helm.groups[0].findings.find((f) => f.severity === "high")?.ruleId).toBe("KSV-0118");
    const secrets = parseTrivy(fixture("trivy_secrets.json")).groups[0].findings;
    expect(secrets.map((f) => [f.kind, f.ruleId, f.severity])).toEqual([
      ["secret", "aws-access-key-id", "critical"],
      ["secret", "mysecret", "high"],
    ]);
  });
});

describe("entries skipped in bulk", () => {
  it("takes 20,000 bad entries out of a report at once, keeping the good ones in order", () => {
    const report = fixture("trivy_alpine-310.json");
    const good = report.Results[0].Vulnerabilities;
    const bad = { PkgName: "x", InstalledVersion: "1" };
    report.Results[0].Vulnerabilities = Array.from({ length: 20_000 }, (_, i) => (i % 5000 === 0 ? good[i / 5000] : bad));
    const parsed = parseTrivy(report);
    expect(parsed.skipped).toHaveLength(19_996);
    expect(parsed.groups[0].findings.map((f) => f.ruleId)).toEqual(good.map((v: { VulnerabilityID: string }) => v.VulnerabilityID));
  });
});
