import { describe, expect, it } from "vitest";
import { parseCycloneDx } from "@/lib/ingest/formats/cyclonedx";
import { fixtureJson, severityHistogram } from "@/lib/ingest/testing/fixtures";

const bom = () => fixtureJson<Record<string, any>>("trivy/trivy_fluentd-multiple-lockfiles.cyclonedx.json"); // eslint-disable-line @typescript-eslint/no-explicit-any

describe("parseCycloneDx", () => {
  it("turns affected components into findings with Trivy's chosen severities", () => {
    const report = parseCycloneDx(bom());
    expect(report.tool).toBe("trivy");
    const findings = report.groups[0].findings;
    expect(severityHistogram(findings)).toEqual({ critical: 1, high: 1, low: 1 });
    expect(findings.find((f) => f.ruleId === "CVE-2020-8165")).toMatchObject({
      packageName: "activesupport",
      installedVersion: "6.0.2.1",
      packagePath: "var/lib/gems/2.5.0/specifications/activesupport-6.0.2.1.gemspec",
      fixedVersion: "6.0.3.1, 5.2.4.3",
    });
  });

  it("keeps components as the package inventory of the image", () => {
    const group = parseCycloneDx(bom()).groups[0];
    expect(group.target).toMatchObject({ kind: "image", configId: "sha256:5a992077baba51b97f27591a10d54d2f2723dc9c81a3fe419e261023f2554933" });
    expect(group.packages.map((p) => p.name).sort()).toEqual(["activesupport", "bash", "libidn2-0"]);
  });

  it("keeps a VEX analysis as the initial decision", () => {
    const doc = bom();
    doc.vulnerabilities[0].analysis = { state: "not_affected", justification: "code_not_reachable" };
    doc.vulnerabilities[1].analysis = { state: "resolved" };
    doc.vulnerabilities[2].analysis = { state: "in_triage" };
    expect(parseCycloneDx(doc).groups[0].findings.map((f) => f.initialStatus)).toEqual(["not_affected", "fixed", null]);
  });

  it("accepts 1.4 to 1.7 and rejects other versions", () => {
    expect(() => parseCycloneDx({ ...bom(), specVersion: "1.4" })).not.toThrow();
    expect(() => parseCycloneDx({ ...bom(), specVersion: "1.2" })).toThrowError(/specVersion must be 1.4, 1.5, 1.6 or 1.7/);
  });
});
