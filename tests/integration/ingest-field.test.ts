// Reports as they come from other people's pipelines (issue 13): shapes the fixtures do not have,
// each built from a real fixture the way the field changes it. Every entry becomes a finding or
// is listed in `skipped` with its JSON path and the reason.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { ingestReport } from "@/lib/ingest/ingest-report";
import type { IngestContext } from "@/lib/ingest/context";
import { resetDatabase } from "../support/db-state";
import { fixtureJson } from "../support/fixtures";

beforeEach(resetDatabase);

const ingest = (doc: unknown, context: Partial<IngestContext> = {}) => ingestReport({ body: JSON.stringify(doc), context: { format: "auto", ...context } });
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const copy = (file: string): any => structuredClone(fixtureJson(file));

describe("untagged images", () => {
  it("takes the image from image= when the Trivy report names none, and keeps the report's digest", async () => {
    const report = copy("trivy/trivy_alpine-310.json");
    report.ArtifactName = "";
    report.Metadata.RepoTags = [];
    report.Metadata.RepoDigests = [];
    const result = await ingest(report, { image: "registry.example/shop/api:1.4.2" });
    expect(result.findings.total).toBe(4);
    const image = await db.image.findFirstOrThrow({ include: { repository: true } });
    expect(image.repository.name).toBe("registry.example/shop/api");
    expect(image.tags).toEqual(["1.4.2"]);
  });

  it("keeps a digest-only report's digest when image= gives the name", async () => {
    const report = copy("trivy/trivy_alpine-310.json");
    report.ArtifactName = "";
    report.Metadata.RepoTags = [];
    report.Metadata.RepoDigests = [`localhost/build@sha256:${"cd".repeat(32)}`];
    await ingest(report, { image: "registry.example/shop/api:1.4.2" });
    const image = await db.image.findFirstOrThrow({ include: { repository: true } });
    expect([image.repository.name, image.digest]).toEqual(["registry.example/shop/api", `sha256:${"cd".repeat(32)}`]);
  });

  it("still says what is missing without image=", async () => {
    const report = copy("trivy/trivy_alpine-310.json");
    report.ArtifactName = "";
    report.Metadata.RepoTags = [];
    await expect(ingest(report)).rejects.toThrow(/names no image: pass image=/);
  });
});

describe("Grype", () => {
  it("accepts trimmed output (only `matches`) with image= and format=grype or auto", async () => {
    const { matches } = copy("grype/grype_presenter-snapshot_image.json");
    expect((await ingest({ matches }, { format: "grype", image: "registry.example/app:1" })).findings.total).toBe(2);
    await resetDatabase();
    expect((await ingest({ matches }, { image: "registry.example/app:1" })).findings.total).toBe(2);
  });

  it("keeps the same package at two paths as two findings (identity includes the path)", async () => {
    const report = copy("grype/grype_keycloak-21.0.2_rhel9.json");
    const twin = structuredClone(report.matches[0]);
    twin.artifact.locations = [{ path: "/opt/legacy/var/lib/rpm/rpmdb.sqlite" }];
    report.matches.push(twin);
    const result = await ingest(report);
    expect(result.findings.total).toBe(7);
    const paths = await db.finding.findMany({ where: { ruleId: report.matches[0].vulnerability.id, packageName: report.matches[0].artifact.name }, select: { packagePath: true } });
    expect(paths.map((p) => p.packagePath).sort()).toEqual(["opt/legacy/var/lib/rpm/rpmdb.sqlite", "var/lib/rpm/rpmdb.sqlite"]);
  });

  it("gives an OS package found once no path, so Trivy and Grype findings of one image still meet", async () => {
    await ingest(copy("grype/grype_keycloak-21.0.2_rhel9.json"));
    expect(await db.finding.count({ where: { packagePath: { not: null } } })).toBe(0);
  });
});

describe("CycloneDX", () => {
  const bom = () => copy("trivy/trivy_fluentd-multiple-lockfiles.cyclonedx.json");

  it("derives the severity from a CVSS score when no rating names one, and keeps unrated ones as unknown", async () => {
    const report = bom();
    report.vulnerabilities[0].ratings = [{ score: 10.0, method: "CVSSv3" }];
    report.vulnerabilities[1].ratings = [];
    report.vulnerabilities[2].ratings = [{ score: 5.0, method: "CVSSv31" }, { score: 3.1, method: "CVSSv2" }];
    const result = await ingest(report);
    expect(result.findings.total).toBe(3);
    const bySeverity = await db.finding.findMany({ select: { ruleId: true, severity: true }, orderBy: { ruleId: "asc" } });
    expect(bySeverity).toEqual([
      { ruleId: report.vulnerabilities[0].id, severity: "critical" },
      { ruleId: report.vulnerabilities[1].id, severity: "unknown" },
      { ruleId: report.vulnerabilities[2].id, severity: "medium" },
    ]);
  });

  it("keeps findings whose affects ref is a PURL missing from components, or a BOM-Link", async () => {
    const report = bom();
    report.components = report.components.filter((c: { name: string }) => c.name !== "libidn2-0");
    report.vulnerabilities[1].affects = [{ ref: `urn:cdx:${"3e671687-395b-41f5-a30f-a58921a69b79"}/1#pkg:npm/%40scope/left-pad@1.3.0` }];
    const result = await ingest(report);
    expect(result.findings.total).toBe(3);
    expect(result.skipped).toEqual([]);
    const packages = await db.finding.findMany({ select: { packageName: true, installedVersion: true }, orderBy: { packageName: "asc" } });
    expect(packages).toContainEqual({ packageName: "libidn2-0", installedVersion: "2.0.5-1" });
    expect(packages).toContainEqual({ packageName: "@scope/left-pad", installedVersion: "1.3.0" });
  });

  it("keeps a finding whose ref names nothing it can read, under the ref itself", async () => {
    const report = bom();
    report.vulnerabilities[0].affects = [{ ref: "component-7f3a" }];
    const result = await ingest(report);
    expect(result.findings.total).toBe(3);
    expect(await db.finding.count({ where: { packageName: "component-7f3a" } })).toBe(1);
  });
});

describe("SARIF without ruleId or locations", () => {
  // The shape of Gitleaks 8.0's SARIF: the rule is in the message and the file in properties.
  const leak = (file: string, line: number) => ({
    message: { text: "AWS Access Key secret detected" },
    properties: { commit: "0123abcd", file, line, tags: "key, AWS" },
  });
  const gitleaks = (results: unknown[]) => ({
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [{ tool: { driver: { name: "gitleaks", semanticVersion: "v8.0.0", rules: [] } }, results }],
  });

  it("makes one finding per leaked key, the rule taken from the message and the file from properties", async () => {
    const result = await ingest(gitleaks([leak("deploy/prod.env", 3), leak("deploy/prod.env", 9), leak("ci/publish.sh", 12), leak("README.md", 40)]), { artifact: "github.com/acme/shop" });
    expect(result.findings.total).toBe(4);
    const rows = await db.finding.findMany({ select: { kind: true, ruleId: true, location: true, startLine: true }, orderBy: [{ location: "asc" }, { startLine: "asc" }] });
    expect(rows).toEqual([
      { kind: "secret", ruleId: "AWS Access Key secret detected", location: "README.md", startLine: 40 },
      { kind: "secret", ruleId: "AWS Access Key secret detected", location: "ci/publish.sh", startLine: 12 },
      { kind: "secret", ruleId: "AWS Access Key secret detected", location: "deploy/prod.env", startLine: 3 },
      { kind: "secret", ruleId: "AWS Access Key secret detected", location: "deploy/prod.env", startLine: 9 },
    ]);
  });

  it("takes the rule from rule.index, and tells results apart by their fingerprints when nothing else differs", async () => {
    const report = gitleaks([
      { rule: { index: 0 }, message: { text: "found" }, partialFingerprints: { commitSha: "a1" } },
      { rule: { index: 0 }, message: { text: "found" }, partialFingerprints: { commitSha: "b2" } },
    ]);
    report.runs[0].tool.driver.rules = [{ id: "aws-access-token" }] as never[];
    const result = await ingest(report, { artifact: "github.com/acme/shop" });
    expect(result.findings.total).toBe(2);
    expect(await db.finding.count({ where: { ruleId: "aws-access-token", location: null } })).toBe(2);
  });
});

describe("entries that cannot become findings are listed, never dropped", () => {
  it("skips a legacy Trivy entry without VulnerabilityID and keeps the rest", async () => {
    const results = [
      {
        Target: "registry.example/old:1 (debian 9.9)",
        Type: "debian",
        Vulnerabilities: [
          { VulnerabilityID: "CVE-2019-0001", PkgName: "libc6", InstalledVersion: "2.24-11", Severity: "HIGH" },
          { PkgName: "openssl", InstalledVersion: "1.1.0", Severity: "CRITICAL" },
          { VulnerabilityID: "CVE-2019-0003", PkgName: "zlib1g", InstalledVersion: "1.2.8", Severity: "LOW" },
        ],
      },
    ];
    const result = await ingest(results);
    expect(result.findings.total).toBe(2);
    expect(result.skipped).toEqual([{ path: "$[0].Vulnerabilities[1]", reason: expect.stringMatching(/VulnerabilityID/) }]);
    expect(await db.finding.count()).toBe(2);
  });

  it("lists skipped entries again on a duplicate", async () => {
    const report = copy("grype/grype_presenter-snapshot_image.json");
    delete report.matches[1].vulnerability.id;
    const first = await ingest(report);
    expect(first.findings.total).toBe(1);
    expect(first.skipped).toEqual([{ path: "$.matches[1]", reason: expect.stringMatching(/vulnerability\.id/) }]);
    const again = await ingest(report);
    expect(again).toMatchObject({ duplicate: true, skipped: first.skipped });
  });

  it("still refuses a report whose frame is wrong (not an entry): nothing is stored", async () => {
    const report = copy("grype/grype_presenter-snapshot_image.json");
    report.matches = "none";
    await expect(ingest(report)).rejects.toThrow(/Not a valid Grype report|Unrecognised report/);
    expect(await db.scan.count()).toBe(0);
  });
});

describe("a report that skipped entries closes nothing", () => {
  it("keeps open what it does not list, since a skipped entry may be one of them, and says so", async () => {
    const report = copy("grype/grype_keycloak-21.0.2_rhel9.json");
    await ingest(report);
    report.matches.pop();
    delete report.matches[0].vulnerability.id;
    const rescan = await ingest(report);
    expect(rescan.findings).toMatchObject({ total: 4, fixed: 0 });
    expect(rescan.warnings).toEqual([expect.stringMatching(/closed no findings/)]);
    expect(await db.finding.count({ where: { status: "open" } })).toBe(6);
    report.matches.shift();
    expect((await ingest(report)).findings).toMatchObject({ total: 4, fixed: 2 });
  });
});

describe("trivy k8s: an image without a name", () => {
  it("is listed as skipped with its resource's path, and the rest of the cluster report lands", async () => {
    const report = copy("trivy/thirdparty_zora_trivy-k8s-cluster-vuln.json");
    const whole = await ingest(structuredClone(report));
    await resetDatabase();
    const coredns = report.Resources[2];
    for (const m of coredns.Metadata) Object.assign(m, { RepoTags: [], RepoDigests: [] });
    const result = await ingest(report);
    expect(result.skipped).toEqual([{ path: "$.Resources[2]", reason: expect.stringMatching(/image has no name/) }]);
    expect(result.findings.total).toBe(whole.findings.total - 1);
  });
});
