import { describe, expect, it } from "vitest";
import { detectAndParse, detectFormat } from "@/lib/ingest/detect";
import { fixtureJson } from "@/lib/ingest/testing/fixtures";

describe("format detection", () => {
  it.each([
    ["trivy/trivy_alpine-310.json", "trivy"],
    ["trivy/trivy_npm.json", "trivy"],
    ["trivy/thirdparty_zora_trivy-k8s-cluster-vuln.json", "trivy"],
    ["k8s-misconfig/trivy_helm_testchart_k8s-manifests.json", "trivy"],
    ["trivy/trivy_alpine-310.sarif.json", "sarif"],
    ["trivy/trivy_fluentd-multiple-lockfiles.cyclonedx.json", "cyclonedx"],
    ["grype/grype_keycloak-21.0.2_rhel9.json", "grype"],
    ["grype/grype_presenter-snapshot_image.json", "grype"],
    ["kube-bench/kube-bench_result_with-totals.json", "kube-bench"],
    ["kube-bench/kube-bench_result_no-totals.json", "kube-bench"],
  ])("%s is %s", (file, format) => {
    expect(detectFormat(fixtureJson(file))).toBe(format);
  });

  it("recognises the pre-0.20 Trivy array and its null", () => {
    expect(detectFormat([{ Target: "alpine:3.10 (alpine 3.10.2)", Vulnerabilities: null }])).toBe("trivy");
    expect(detectFormat(null)).toBe("trivy");
  });

  it("names the expected formats for an unknown shape", () => {
    expect(() => detectAndParse({ hello: "world" }, "auto")).toThrowError(/Expected one of: CycloneDX .*SARIF .*Grype .*kube-bench .*Trivy/);
    expect(() => detectAndParse([1, 2], "auto")).toThrowError(/Unrecognised report/);
  });

  it("refuses a named format that does not match the body", () => {
    expect(() => detectAndParse(fixtureJson("grype/grype_keycloak-21.0.2_rhel9.json"), "trivy")).toThrowError(
      "format=trivy was requested but the body is a grype report",
    );
  });
});
