import { describe, expect, it } from "vitest";
import { parseGrype } from "@/lib/ingest/formats/grype";
import { distinctByIdentity } from "@/lib/findings/merge";
import { fixtureJson, severityHistogram } from "@/lib/ingest/testing/fixtures";

const parse = (name: string) => parseGrype(fixtureJson(`grype/${name}`));

describe("parseGrype", () => {
  it.each([
    ["grype_keycloak-21.0.2_rhel9.json", { low: 6 }],
    ["grype_chainguard-ruby_wolfi.json", { high: 3 }],
    ["grype_anchore-test-images_java-ghsa.json", { medium: 2 }],
    ["grype_presenter-snapshot_image.json", { critical: 1, low: 1 }],
  ])("%s has the documented severities", (name, expected) => {
    expect(severityHistogram(parse(name).groups[0].findings)).toEqual(expected);
  });

  it("reads the image from source.target", () => {
    expect(parse("grype_chainguard-ruby_wolfi.json").groups[0].target).toMatchObject({
      kind: "image",
      repository: "cgr.dev/chainguard/ruby",
      tags: ["latest-3.0"],
      configId: "sha256:2f88265cfbc43ca35cd327347a9f59375b9f29ef998b8a54a882e31111266640",
      osFamily: "wolfi",
    });
    expect(parse("grype_anchore-test-images_java-ghsa.json").groups[0].target).toMatchObject({
      repository: "anchore/test_images",
      digest: "sha256:10008791acbc5866de04108746a02a0c4029ce3a4400a9b3dad45d7f2245f9da",
    });
  });

  it("takes CVSS from related vulnerabilities when the match has none, and keeps the CVE as an alias", () => {
    const ghsa = parse("grype_anchore-test-images_java-ghsa.json").groups[0].findings.find((f) => f.ruleId.startsWith("GHSA"))!;
    expect(ghsa.cvssScore).toBeGreaterThan(0);
    expect(ghsa.vulnerability?.aliases).toContain("CVE-2014-3577");
    expect(ghsa.fixedVersion).toBe("4.3.5");
  });

  it("keeps wont-fix matches without a fixed version, and gives each package its own identity", () => {
    const findings = parse("grype_keycloak-21.0.2_rhel9.json").groups[0].findings;
    expect(findings.every((f) => f.ruleId === "CVE-2020-12413" && f.fixedVersion === null && f.scannerStatus === "wont-fix")).toBe(true);
    expect(distinctByIdentity(findings)).toHaveLength(6);
  });

  it("uses the package's own path for language packages only", () => {
    const findings = parse("grype_chainguard-ruby_wolfi.json").groups[0].findings;
    expect(findings.find((f) => f.details?.packageType === "apk")?.packagePath).toBeNull();
    expect(findings.filter((f) => f.details?.packageType === "gem").every((f) => f.packagePath && !f.packagePath.startsWith("/"))).toBe(true);
  });
});
