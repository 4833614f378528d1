// The living set of findings, scan by scan, against a real PostgreSQL.
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { POST as postScan } from "@/app/api/v1/scans/route";
import { db } from "@/lib/db";
import { ingestReport } from "@/lib/ingest/ingest-report";
import { findingHistory } from "@/lib/findings/history";
import { findFindings, findingQuerySchema } from "@/lib/findings/explore";
import { findingDetail } from "@/lib/posture/details";
import { ingestContextSchema, type IngestContext } from "@/lib/ingest/context";
import { databaseFingerprint, resetDatabase } from "../support/db-state";
import { fixtureJson, fixtureText } from "../support/fixtures";
import { createApiToken } from "@/lib/tokens/api-tokens";

const context: IngestContext = { format: "auto" };
const day = (n: number) => new Date(Date.UTC(2026, 9, 1 + n));

/** The real alpine report with some vulnerabilities left out, as an older or newer scan would be. */
function alpineWithout(...ids: string[]): string {
  const report = fixtureJson<{ Results: { Vulnerabilities: { VulnerabilityID: string }[] }[]; CreatedAt: string }>("trivy/trivy_alpine-310.json");
  report.Results[0].Vulnerabilities = report.Results[0].Vulnerabilities.filter((v) => !ids.includes(v.VulnerabilityID));
  report.CreatedAt = new Date().toISOString() + Math.random();
  return JSON.stringify(report);
}

beforeEach(resetDatabase);

describe("finding ids", () => {
  it("are time-ordered UUIDs, so a later scan's new findings sort after an earlier one's (they fill the indexes' right edge)", async () => {
    const first = await ingestReport({ body: fixtureText("trivy/trivy_ubuntu-1804.json"), context });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await ingestReport({ body: fixtureText("trivy/trivy_centos-7.json"), context });
    const ids = async (scanId: string) => (await db.finding.findMany({ where: { firstScanId: scanId }, select: { id: true } })).map((f) => f.id).sort();
    const [earlier, later] = [await ids(first.scanId), await ids(second.scanId)];
    expect(earlier.length).toBeGreaterThan(0);
    expect(later.length).toBeGreaterThan(0);
    for (const id of [...earlier, ...later]) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(earlier[earlier.length - 1] < later[0]).toBe(true);
  });
});

describe("ingesting every Trivy image fixture", () => {
  it.each([
    ["trivy_alpine-310.json", 4],
    ["trivy_alpine-distroless.json", 1],
    ["trivy_debian-buster.json", 2],
    ["trivy_ubuntu-1804.json", 5],
    ["trivy_centos-7.json", 3],
    ["trivy_distroless-base.json", 4],
    ["trivy_fluentd-gems.json", 2],
    ["trivy_spring4shell-jre11.json", 1],
  ])("%s lands with %i new findings", async (name, count) => {
    const result = await ingestReport({ body: fixtureText(`trivy/${name}`), context });
    expect(result).toMatchObject({ format: "trivy", duplicate: false, findings: { total: count, new: count, reopened: 0, fixed: 0, unchanged: 0 } });
    expect(await db.finding.count({ where: { kind: "vulnerability", status: "open" } })).toBe(count);
    expect(await db.finding.count({ where: { firstScanId: result.scanId } })).toBe(count);
  });

  it("stores severities, fixability and the catalogue entry", async () => {
    await ingestReport({ body: fixtureText("trivy/trivy_debian-buster.json"), context });
    const findings = await db.finding.findMany({ orderBy: { severity: "asc" }, include: { vulnerability: true } });
    expect(findings.map((f) => [f.severity, f.fixable])).toEqual([
      ["critical", true],
      ["low", false],
    ]);
    expect(findings[0].vulnerability?.id).toBe(findings[0].ruleId);
    expect(findings[0].dueAt?.getTime()).toBe(findings[0].firstSeenAt.getTime() + 7 * 24 * 3600 * 1000);
  });
});

describe("lifecycle across scans of the same image", () => {
  it("is new, then unchanged, then fixed by the scan that no longer reports it, then reopened", async () => {
    const first = await ingestReport({ body: alpineWithout(), context, receivedAt: day(0) });
    expect(first.findings).toEqual({ total: 4, new: 4, reopened: 0, fixed: 0, unchanged: 0 });

    // CVE-2019-1549 affects two packages (libcrypto1.1 and libssl1.1): two findings go.
    const gone = "CVE-2019-1549";
    const second = await ingestReport({ body: alpineWithout(gone), context, receivedAt: day(1) });
    expect(second.findings).toEqual({ total: 2, new: 0, reopened: 0, fixed: 2, unchanged: 2 });
    const fixed = await db.finding.findMany({ where: { status: "fixed" } });
    expect(fixed.map((f) => [f.ruleId, f.fixedByScanId, f.fixedAt?.toISOString()])).toEqual([
      [gone, second.scanId, day(1).toISOString()],
      [gone, second.scanId, day(1).toISOString()],
    ]);

    const third = await ingestReport({ body: alpineWithout(), context, receivedAt: day(2) });
    expect(third.findings).toEqual({ total: 4, new: 0, reopened: 2, fixed: 0, unchanged: 2 });
    expect(await db.finding.count({ where: { status: "open" } })).toBe(4);
    const history = await findingHistory(fixed[0].id);
    expect(history.map((e) => [e.type, e.fromStatus, e.toStatus, e.scanId])).toEqual([
      ["created", null, "open", first.scanId],
      ["fixed", "open", "fixed", second.scanId],
      ["reopened", "fixed", "open", third.scanId],
    ]);
  });

  it("creates only the new identities of a rescan that also lists known ones, and keeps the known rows as they were", async () => {
    // The first scan lacks two findings (CVE-2019-1549 in two packages) that the second adds.
    const gone = "CVE-2019-1549";
    const first = await ingestReport({ body: alpineWithout(gone), context, receivedAt: day(0) });
    expect(first.findings).toEqual({ total: 2, new: 2, reopened: 0, fixed: 0, unchanged: 0 });
    const known = await db.finding.findMany({ orderBy: { id: "asc" }, select: { id: true, identityKey: true, firstSeenAt: true, firstScanId: true } });
    const second = await ingestReport({ body: alpineWithout(), context, receivedAt: day(1) });
    expect(second.findings).toEqual({ total: 4, new: 2, reopened: 0, fixed: 0, unchanged: 2 });
    const all = await db.finding.findMany({ orderBy: { id: "asc" }, include: { sighting: true } });
    expect(all).toHaveLength(4);
    expect(all.slice(0, 2).map((f) => ({ id: f.id, identityKey: f.identityKey, firstSeenAt: f.firstSeenAt, firstScanId: f.firstScanId }))).toEqual(known);
    expect(all.slice(2).map((f) => [f.ruleId, f.firstScanId, f.sighting?.lastScanId ?? f.lastScanId])).toEqual([
      [gone, second.scanId, second.scanId],
      [gone, second.scanId, second.scanId],
    ]);
    expect(all.slice(0, 2).map((f) => f.sighting?.lastScanId)).toEqual([second.scanId, second.scanId]);
  });

  it("records a rescan's sighting without rewriting unchanged findings, and rewrites those the scanner says something new of", async () => {
    await ingestReport({ body: alpineWithout(), context, receivedAt: day(0) });
    const versions = async () => new Map((await db.$queryRaw<{ id: string; v: string }[]>`SELECT id, xmin::text AS v FROM "Finding"`).map((r) => [r.id, r.v]));
    const before = await versions();
    const report = JSON.parse(alpineWithout()) as { Results: { Vulnerabilities: { VulnerabilityID: string; PkgName: string; Title?: string }[] }[] };
    const retitled = report.Results[0].Vulnerabilities[0];
    retitled.Title = "A title the scanner changed";
    const rescan = await ingestReport({ body: JSON.stringify(report), context, receivedAt: day(3) });
    expect(rescan.findings).toEqual({ total: 4, new: 0, reopened: 0, fixed: 0, unchanged: 4 });
    const after = await versions();
    const rewritten = [...after].filter(([id, v]) => before.get(id) !== v).map(([id]) => id);
    expect(rewritten).toHaveLength(1);
    expect((await db.finding.findUniqueOrThrow({ where: { id: rewritten[0] } })).title).toBe("A title the scanner changed");
    // Every finding it listed was seen by the rescan: in the list, the detail and the sighting.
    expect(await db.findingSighting.count({ where: { lastScanId: rescan.scanId, lastSeenAt: day(3) } })).toBe(4);
    const scope = { teamIds: null };
    const { rows } = await findFindings(scope, findingQuerySchema.parse({}));
    expect(rows.map((r) => r.lastSeenAt.toISOString())).toEqual(Array(4).fill(day(3).toISOString()));
    expect((await findingDetail(scope, rows[0].id)).lastSeenAt.toISOString()).toBe(day(3).toISOString());
  });

  it("keeps human decisions on findings that are still reported", async () => {
    await ingestReport({ body: alpineWithout(), context, receivedAt: day(0) });
    const [decided] = await db.finding.findMany({ take: 1 });
    await db.finding.update({ where: { id: decided.id }, data: { status: "false_positive" } });
    const rescan = await ingestReport({ body: alpineWithout(), context, receivedAt: day(1) });
    expect(rescan.findings.unchanged).toBe(4);
    expect((await db.finding.findUniqueOrThrow({ where: { id: decided.id } })).status).toBe("false_positive");
  });

  it("never touches findings of another image", async () => {
    const debian = await ingestReport({ body: fixtureText("trivy/trivy_debian-buster.json"), context });
    await ingestReport({ body: alpineWithout(), context });
    const rescan = await ingestReport({ body: alpineWithout("CVE-2019-1551"), context });
    expect(rescan.findings.fixed).toBeGreaterThan(0);
    const debianFindings = await db.finding.findMany({ where: { lastScanId: debian.scanId } });
    expect(debianFindings).toHaveLength(2);
    expect(debianFindings.every((f) => f.status === "open")).toBe(true);
  });
});

describe("one scanner's results in SARIF and in its own JSON", () => {
  it("are separate sources: neither closes, as fixed, the other's findings of the same image", async () => {
    const image: IngestContext = { format: "auto", image: "registry.example.com/shop/alpine:3.10" };
    const json = await ingestReport({ body: fixtureText("trivy/trivy_alpine-310.json"), context: image });
    expect(json.findings).toMatchObject({ total: 4, new: 4 });
    // The same scan as SARIF: its results are (rule, file) pairs, so it could never list the JSON's findings.
    const sarif = await ingestReport({ body: fixtureText("trivy/trivy_alpine-310.sarif.json"), context: image });
    expect(sarif.findings).toMatchObject({ total: 2, new: 2, fixed: 0 });
    expect(await db.finding.count({ where: { status: "open" } })).toBe(6);
    expect((await db.finding.findMany({ where: { firstScanId: sarif.scanId } })).map((f) => f.reportedBy)).toEqual([["trivy (sarif)"], ["trivy (sarif)"]]);
    // A newer JSON scan without CVE-2019-1549 closes the JSON's two findings of it, not the SARIF's.
    const newer = await ingestReport({ body: alpineWithout("CVE-2019-1549"), context: image });
    expect(newer.findings).toMatchObject({ total: 2, unchanged: 2, fixed: 2 });
    const open = await db.finding.findMany({ where: { status: "open" }, select: { ruleId: true, reportedBy: true } });
    expect(open.filter((f) => f.ruleId === "CVE-2019-1549").map((f) => f.reportedBy)).toEqual([["trivy (sarif)"]]);
  });

  it("can each be picked in the findings explorer by who reported them, whatever the tool calls itself", async () => {
    const image: IngestContext = { format: "auto", image: "registry.example.com/shop/alpine:3.10" };
    await ingestReport({ body: fixtureText("trivy/trivy_alpine-310.json"), context: image });
    const sarif = fixtureJson<{ runs: { tool: { driver: { name: string } } }[] }>("trivy/trivy_alpine-310.sarif.json");
    await ingestReport({ body: JSON.stringify(sarif), context: image });
    sarif.runs[0].tool.driver.name = "Semgrep OSS";
    await ingestReport({ body: JSON.stringify(sarif), context: { format: "auto", image: "registry.example.com/shop/other:1" } });
    const scope = { teamIds: null };
    const count = async (tool: string) => (await findFindings(scope, findingQuerySchema.parse({ tool }))).rows.length;
    expect([await count("trivy"), await count("trivy (sarif)"), await count("semgrep oss (sarif)")]).toEqual([4, 2, 2]);
  });

  it("are told apart in findings stored before they were (the migration relabels what SARIF alone vouched for)", async () => {
    const image: IngestContext = { format: "auto", image: "registry.example.com/shop/alpine:3.10" };
    await ingestReport({ body: fixtureText("trivy/trivy_alpine-310.json"), context: image });
    const sarif = await ingestReport({ body: fixtureText("trivy/trivy_alpine-310.sarif.json"), context: image });
    await db.$executeRawUnsafe(`UPDATE "Finding" SET "reportedBy" = ARRAY['trivy']`);
    await db.$executeRawUnsafe(readFileSync(path.resolve("prisma/migrations/20261125010000_carrier_format_sources/migration.sql"), "utf8"));
    const labels = await db.finding.findMany({ select: { firstScanId: true, reportedBy: true } });
    expect(labels.filter((f) => f.firstScanId === sarif.scanId).map((f) => f.reportedBy)).toEqual([["trivy (sarif)"], ["trivy (sarif)"]]);
    expect(labels.filter((f) => f.firstScanId !== sarif.scanId).map((f) => f.reportedBy)).toEqual(Array(4).fill(["trivy"]));
  });
});

describe("the same report twice", () => {
  it("answers duplicate and changes nothing", async () => {
    const body = fixtureText("trivy/trivy_ubuntu-1804.json");
    const first = await ingestReport({ body, context });
    const before = await databaseFingerprint();
    const again = await ingestReport({ body, context });
    expect({ ...again, timings: undefined }).toEqual({ ...first, timings: undefined, duplicate: true });
    expect(await databaseFingerprint()).toEqual(before);
  });

  it("serialises concurrent ingests of the same report into one scan", async () => {
    const body = fixtureText("trivy/trivy_centos-7.json");
    const results = await Promise.all([1, 2, 3].map(() => ingestReport({ body, context })));
    expect(new Set(results.map((r) => r.scanId)).size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await db.scan.count()).toBe(1);
    expect(await db.finding.count()).toBe(3);
  });
});

describe("concurrent scans of the same image", () => {
  it("are applied one after the other: no duplicate findings, no lost update", async () => {
    const scans = await Promise.all([alpineWithout(), alpineWithout("CVE-2019-1549"), alpineWithout("CVE-2019-1551")].map((body) => ingestReport({ body, context })));
    expect(new Set(scans.map((s) => s.scanId)).size).toBe(3);
    expect(await db.finding.count()).toBe(4);
    // Whatever the order, the open findings are exactly those of the scan applied last.
    const open = await db.finding.findMany({ where: { status: "open" }, include: { sighting: true } });
    // The last scan that listed a finding: its sighting, or the scan that created it.
    const lastIds = new Set(open.map((f) => f.sighting?.lastScanId ?? f.lastScanId));
    expect(lastIds.size).toBe(1);
    const last = scans.find((s) => s.scanId === [...lastIds][0])!;
    expect(open).toHaveLength(last.findings.total);
    expect(await db.finding.count({ where: { firstScanId: { in: scans.map((s) => s.scanId) } } })).toBe(4);
    for (const scan of scans) expect(scan.findings.new + scan.findings.reopened + scan.findings.unchanged).toBe(scan.findings.total);
  });
});

describe("context parameters", () => {
  it("records cluster, namespace and workload as where the image runs, and the named team as owner", async () => {
    await db.team.create({ data: { name: "Payments" } });
    await ingestReport({
      body: fixtureText("trivy/trivy_fluentd-gems.json"),
      context: { format: "auto", cluster: "prod-eu", namespace: "payments", workload: "deployment/checkout", team: "Payments", image: "registry.acme.dev/payments/checkout:2.4.1" },
    });
    const image = await db.image.findFirstOrThrow({ include: { repository: true, team: true, workloads: { include: { workload: { include: { namespace: { include: { cluster: true } } } } } } } });
    expect(image.repository.name).toBe("registry.acme.dev/payments/checkout");
    expect(image.tags).toEqual(["2.4.1"]);
    expect(image.team?.name).toBe("Payments");
    const [run] = image.workloads;
    expect([run.workload.namespace.cluster.name, run.workload.namespace.name, run.workload.kind, run.workload.name]).toEqual(["prod-eu", "payments", "deployment", "checkout"]);
    expect(await db.finding.count({ where: { team: { name: "Payments" } } })).toBe(2);
  });
});

describe("a scan that did not look for every kind (scanners=)", () => {
  /** The alpine report with the two secrets of the secrets fixture found in the image as well: Trivy's default scan (vuln,secret). */
  function alpineWithSecrets(): string {
    const report = fixtureJson<{ Results: unknown[] }>("trivy/trivy_alpine-310.json");
    report.Results.push(fixtureJson<{ Results: unknown[] }>("trivy/trivy_secrets.json").Results[0]);
    return JSON.stringify(report);
  }
  const image = "registry.example.com/shop/alpine:3.10";
  const openKinds = async () => (await db.finding.findMany({ where: { status: "open" }, select: { kind: true } })).map((f) => f.kind).sort();

  it("closes only the kinds it looked for: `trivy --scanners vuln` leaves the secrets an earlier scan found open", async () => {
    expect((await ingestReport({ body: alpineWithSecrets(), context: { format: "auto", image } })).findings).toMatchObject({ total: 6, new: 6 });
    const vulnOnly = await ingestReport({ body: alpineWithout("CVE-2019-1549"), context: { format: "auto", image, scanners: ["vulnerability"] } });
    expect(vulnOnly.findings).toMatchObject({ total: 2, unchanged: 2, fixed: 2 });
    expect(await openKinds()).toEqual(["secret", "secret", "vulnerability", "vulnerability"]);
    // Without scanners=, a report is taken to have looked for everything (Trivy's default for an image).
    expect((await ingestReport({ body: alpineWithout("CVE-2019-1549"), context: { format: "auto", image } })).findings).toMatchObject({ fixed: 2 });
    expect(await openKinds()).toEqual(["vulnerability", "vulnerability"]);
  });

  it("still closes what it lists kinds of: a report with secrets looked for them, whatever scanners= says", async () => {
    await ingestReport({ body: alpineWithSecrets(), context: { format: "auto", image } });
    const report = fixtureJson<{ Results: { Secrets?: unknown[] }[] }>("trivy/trivy_alpine-310.json");
    const secrets = fixtureJson<{ Results: { Secrets: unknown[] }[] }>("trivy/trivy_secrets.json").Results[0];
    report.Results.push({ ...secrets, Secrets: secrets.Secrets.slice(0, 1) });
    const result = await ingestReport({ body: JSON.stringify(report), context: { format: "auto", image, scanners: ["vulnerability"] } });
    expect(result.findings).toMatchObject({ total: 5, unchanged: 5, fixed: 1 });
    expect(await openKinds()).toEqual(["secret", "vulnerability", "vulnerability", "vulnerability", "vulnerability"]);
  });

  it("is read from the query as Trivy names its scanners, and a name it does not know is a 400 that stores nothing", async () => {
    expect(ingestContextSchema.parse({ scanners: "vuln,misconfig" }).scanners).toEqual(["vulnerability", "misconfiguration"]);
    expect(ingestContextSchema.parse({ scanners: "secret,config,license" }).scanners).toEqual(["secret", "misconfiguration"]);
    const { token } = await createApiToken({ name: "ci", scopes: ["ingest"] });
    const post = (query: string) =>
      postScan(new Request(`http://localhost/api/v1/scans?${query}`, { method: "POST", body: alpineWithSecrets(), headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } }));
    const refused = await post("scanners=vuln,rootkit");
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.message).toMatch(/'rootkit' is not one of Trivy's scanners: vuln, misconfig, secret, license \(scanners\)/);
    expect(await db.finding.count()).toBe(0);
    expect((await post("scanners=vuln")).status).toBe(201);
  });
});
