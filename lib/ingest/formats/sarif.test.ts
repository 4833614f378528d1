import { describe, expect, it } from "vitest";
import { parseSarif } from "@/lib/ingest/formats/sarif";
import { distinctByIdentity } from "@/lib/findings/merge";
import { fixtureJson } from "@/lib/ingest/testing/fixtures";

type Sarif = { version: string; runs: { tool: { driver: { name: string; rules?: unknown[] } }; results: unknown[]; properties?: unknown }[] };

describe("parseSarif", () => {
  it("reads Trivy's SARIF: the image from run properties, the package from the message", () => {
    const report = parseSarif(fixtureJson("trivy/trivy_alpine-310.sarif.json"));
    expect(report.tool).toBe("trivy");
    expect(report.groups[0].target).toMatchObject({ kind: "image", repository: "ghcr.io/aquasecurity/trivy-test-images", tags: ["alpine-310"] });
    const [first] = report.groups[0].findings;
    expect(first).toMatchObject({ kind: "vulnerability", ruleId: "CVE-2019-1549", severity: "medium", packageName: "libcrypto1.1", installedVersion: "1.1.1c-r0", fixedVersion: "1.1.1d-r0" });
  });

  it("identifies a result by (tool, rule, uri, line), so Trivy's per-package results collapse", () => {
    const findings = parseSarif(fixtureJson("trivy/trivy_alpine-310.sarif.json")).groups[0].findings;
    expect(findings).toHaveLength(4);
    expect(distinctByIdentity(findings)).toHaveLength(2);
  });

  it("maps any tool's results by security-severity, then level", () => {
    const doc = {
      version: "2.1.0",
      runs: [
        {
          tool: { driver: { name: "Checkov", rules: [{ id: "CKV_K8S_1", properties: { "security-severity": "9.1" } }, { id: "CKV_K8S_2" }] } },
          versionControlProvenance: [{ repositoryUri: "https://git.example.com/acme/deploy" }],
          results: [
            { ruleId: "CKV_K8S_1", level: "error", message: { text: "privileged" }, locations: [{ physicalLocation: { artifactLocation: { uri: "k8s/app.yaml" }, region: { startLine: 12 } } }] },
            { ruleId: "CKV_K8S_2", level: "note", message: { text: "probe" }, locations: [{ physicalLocation: { artifactLocation: { uri: "k8s/app.yaml" }, region: { startLine: 30 } } }] },
            { ruleId: "CKV_K8S_2", level: "none", message: { text: "not a problem" } },
          ],
        },
      ],
    };
    const report = parseSarif(doc);
    expect(report.groups[0].target).toEqual({ kind: "artifact", name: "https://git.example.com/acme/deploy", artifactType: "sarif" });
    expect(report.groups[0].findings.map((f) => [f.kind, f.severity, f.location, f.startLine])).toEqual([
      ["misconfiguration", "critical", "k8s/app.yaml", 12],
      ["misconfiguration", "low", "k8s/app.yaml", 30],
    ]);
  });

  it("treats Gitleaks results as secrets", () => {
    const doc = { version: "2.1.0", runs: [{ tool: { driver: { name: "gitleaks" } }, results: [{ ruleId: "aws-access-token", message: { text: "AWS key" }, locations: [{ physicalLocation: { artifactLocation: { uri: ".env" }, region: { startLine: 3 } } }] }] }] } satisfies Sarif;
    expect(parseSarif(doc).groups[0].findings[0]).toMatchObject({ kind: "secret", severity: "medium", ruleId: "aws-access-token" });
  });

  it("rejects another SARIF version, saying which", () => {
    expect(() => parseSarif({ version: "2.0.0", runs: [] })).toThrowError(/\$\.version: SARIF version must be "2.1.0"/);
  });
});
