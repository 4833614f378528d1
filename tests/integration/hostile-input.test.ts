// Hostile, odd or empty input (reliability issue, defect 6): every one of these answered 500
// before. Each now gets findings or a 400 that says what was wrong, and a 400 changes nothing.
import { beforeEach, describe, expect, it } from "vitest";
import { POST as postScan } from "@/app/api/v1/scans/route";
import { POST as postEvents } from "@/app/api/v1/runtime-events/route";
import { GET as getFindings } from "@/app/api/v1/findings/route";
import { GET as getImages } from "@/app/api/v1/images/route";
import { db } from "@/lib/db";
import { describeError } from "@/lib/errors";
import { sqlPool } from "@/lib/sql";
import { triageOne } from "@/lib/triage/apply";
import { createApiToken } from "@/lib/tokens/api-tokens";
import { databaseFingerprint, resetDatabase } from "../support/db-state";
import { fixtureJson, fixtureText } from "../support/fixtures";

let token: string;

beforeEach(async () => {
  await resetDatabase();
  token = (await createApiToken({ name: "ci", scopes: ["ingest"] })).token;
});

function scan(body: string, query = "") {
  return postScan(new Request(`http://localhost/api/v1/scans${query}`, { method: "POST", body, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } }));
}

function events(body: string, query = "?cluster=prod") {
  return postEvents(new Request(`http://localhost/api/v1/runtime-events${query}`, { method: "POST", body, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } }));
}

type TrivyDoc = {
  Metadata: { Size?: number; ImageID?: string };
  Results: { Vulnerabilities: Record<string, unknown>[] }[];
};
const trivy = () => fixtureJson<TrivyDoc>("trivy/trivy_debian-buster.json");

describe("input that answered 500", () => {
  let before: Record<string, string>;
  const unchanged = async () => expect(await databaseFingerprint()).toEqual(before);
  beforeEach(async () => {
    before = await databaseFingerprint();
  });

  async function expect400(response: Response, message: RegExp) {
    const body = await response.json();
    expect(response.status, JSON.stringify(body)).toBe(400);
    expect(body.error.message).toMatch(message);
    await unchanged();
  }

  it("a Falco event whose command line holds the text \\u0000 loses nothing of its batch of 100", async () => {
    const lines = Array.from({ length: 100 }, (_, i) =>
      JSON.stringify({ rule: "Terminal shell in container", priority: "Notice", time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), output: i === 50 ? "sh -c echo \\u0000 x" : `event ${i}`, output_fields: { "proc.cmdline": i === 50 ? "sh -c \\u0000" : "sh", "k8s.ns.name": "shop", "k8s.pod.name": "api-7d9f8b6c5d-x2k4p" } }),
    );
    const response = await events(lines.join("\n"));
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ accepted: 100, rejected: 0, alerts: 100 });
    const kept = await db.runtimeEvent.findFirstOrThrow({ where: { output: { contains: "echo" } } });
    expect(kept.output).toBe("sh -c echo \\u0000 x");
    expect((kept.fields as Record<string, string>)["proc.cmdline"]).toBe("sh -c \\u0000");
  });

  it("lone surrogates and NUL characters in text are stored as well-formed text", async () => {
    const response = await events(String.raw`{"rule":"Odd \ud800 rule","priority":"Warning","time":"2026-01-01T00:00:00Z","output":"a\udc00b\u0000c","output_fields":{"k\ud800":"v\udfff"}}`);
    expect(response.status).toBe(202);
    const event = await db.runtimeEvent.findFirstOrThrow();
    expect(event.output).toBe("a\ufffdbc");
    const report = trivy();
    report.Results[0].Vulnerabilities[0].Title = "broken \ud800 title";
    report.Results[0].Vulnerabilities[0].Description = "x\udc00y";
    expect((await scan(JSON.stringify(report))).status).toBe(201);
    expect((await db.finding.findFirstOrThrow({ where: { title: { startsWith: "broken" } } })).title).toBe("broken \ufffd title");
  });

  it("clean results are recorded: an empty trivy k8s report, resources without results, kube-bench without controls", async () => {
    for (const [body, query] of [
      [JSON.stringify({ ClusterName: "prod", Resources: [] }), ""],
      [JSON.stringify({ ClusterName: "prod", Resources: [{ Namespace: "shop", Kind: "Deployment", Name: "web", Results: [] }] }), ""],
      [JSON.stringify({ Controls: [] }), "?cluster=prod"],
    ]) {
      const response = await scan(body, query);
      expect(response.status, await response.clone().text()).toBe(201);
      expect((await response.json()).findings).toEqual({ total: 0, new: 0, reopened: 0, fixed: 0, unchanged: 0 });
    }
    expect(await db.scan.count()).toBe(3);
  });

  it("numbers out of range or fractional are refused (the frame) or their entry skipped, naming the path", async () => {
    const fractional = fixtureJson<{ Results: { Misconfigurations: { CauseMetadata: { StartLine: number } }[] }[] }>("trivy/trivy_dockerfile.json");
    fractional.Results[0].Misconfigurations[0].CauseMetadata = { StartLine: 1.5 };
    const skippedEntry = await scan(JSON.stringify(fractional));
    expect(await skippedEntry.json()).toMatchObject({ findings: { total: 0 }, skipped: [{ path: "$.Results[0].Misconfigurations[0]", reason: "CauseMetadata.StartLine: must be a whole number" }] });
    before = await databaseFingerprint();
    const huge = trivy();
    huge.Metadata.Size = 1e300;
    await expect400(await scan(JSON.stringify(huge)), /Metadata\.Size: (must be a whole number|is too large)/);
    const negative = trivy();
    negative.Metadata.Size = -1;
    await expect400(await scan(JSON.stringify(negative)), /Metadata\.Size: must not be negative/);
    const cvss = trivy();
    cvss.Results[0].Vulnerabilities[0].CVSS = { nvd: { V3Score: 11 } };
    expect(await (await scan(JSON.stringify(cvss))).json()).toMatchObject({ skipped: [{ path: "$.Results[0].Vulnerabilities[0]", reason: "CVSS.nvd.V3Score: a CVSS score is between 0 and 10" }] });
  });

  it("dates in year 0 or before are taken as unknown", async () => {
    const report = trivy();
    report.Results[0].Vulnerabilities[0].PublishedDate = "0000-01-01T00:00:00Z";
    report.Results[0].Vulnerabilities[1].PublishedDate = "-000001-06-01T00:00:00Z";
    expect((await scan(JSON.stringify(report))).status).toBe(201);
    expect(await db.vulnerability.count({ where: { publishedAt: { not: null } } })).toBe(0);
  });

  it("identifiers too long for an index, or with NUL in them, are refused with what was wrong", async () => {
    const long = trivy();
    long.Results[0].Vulnerabilities[0].VulnerabilityID = `CVE-${"9".repeat(9000)}`;
    await expect400(await scan(JSON.stringify(long)), /vulnerability id of finding 1 of target 1 is 9004 bytes long; at most 256/);
    const imageId = trivy();
    imageId.Metadata.ImageID = `sha256:${"a".repeat(9000)}`;
    await expect400(await scan(JSON.stringify(imageId)), /image id .* at most 256/);
    const nul = trivy();
    nul.Results[0].Vulnerabilities[0].VulnerabilityID = "CVE-2020-1\u0000";
    await expect400(await scan(JSON.stringify(nul)), /control character/);
    const cluster = { ClusterName: "c".repeat(9000), Resources: [{ Namespace: "n", Kind: "Deployment", Name: "x", Results: [{ Class: "config", Misconfigurations: [{ ID: "KSV-0001", Status: "FAIL" }] }] }] };
    await expect400(await scan(JSON.stringify(cluster)), /cluster name is 9000 bytes/);
    cluster.ClusterName = "prod";
    cluster.Resources[0].Namespace = "n".repeat(9000);
    await expect400(await scan(JSON.stringify(cluster)), /namespace .* 9000 bytes/);
    await expect400(await scan(fixtureText("trivy/trivy_debian-buster.json"), "?cluster=a%01b"), /control characters/);
    const falco = await events(JSON.stringify({ rule: "r", priority: "Notice", time: "2026-01-01T00:00:00Z", output_fields: { "k8s.ns.name": "n".repeat(300) } }));
    expect(await falco.json()).toMatchObject({ accepted: 0, rejected: 1, errors: [expect.stringMatching(/namespace .* 300 bytes/)] });
  });

  it("an empty Falco batch is accepted as nothing, and says so", async () => {
    const response = await events("[]");
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: 0, rejected: 0, alerts: 0, duplicates: 0, ignored: 0, errors: [] });
    await unchanged();
  });

  it("Grype and SARIF reports that name no target need image= or artifact=", async () => {
    const grype = fixtureJson<{ source?: unknown; descriptor?: unknown }>("grype/grype_chainguard-ruby_wolfi.json");
    grype.source = { type: "directory", target: "" };
    await expect400(await scan(JSON.stringify(grype)), /names no target: pass image=.* or artifact=/);
    const sarif = fixtureJson<{ runs: { properties?: unknown }[] }>("trivy/trivy_alpine-310.sarif.json");
    for (const run of sarif.runs) delete run.properties;
    await expect400(await scan(JSON.stringify(sarif)), /names no target/);
    expect((await scan(JSON.stringify(sarif), "?artifact=github.com/acme/shop")).status).toBe(201);
    expect((await scan(JSON.stringify(grype), "?image=registry.example.com/ruby:3")).status).toBe(201);
    const targets = await db.scan.findMany({ select: { targetName: true }, orderBy: { receivedAt: "asc" } });
    expect(targets.map((t) => t.targetName)).toEqual(["github.com/acme/shop", "registry.example.com/ruby:3"]);
  });

  it("a NUL (%00) in a query parameter of the read API or of an ingest is a 400 that names it", async () => {
    const read = (await createApiToken({ name: "reader", scopes: ["read"] })).token;
    before = await databaseFingerprint();
    for (const [route, query] of [[getFindings, "rule=CVE%00"], [getFindings, "tool=trivy%00"], [getFindings, "vuln=%00"], [getImages, "q=debian%00"]] as const) {
      await expect400(await route(new Request(`http://localhost/api/v1/x?${query}`, { headers: { authorization: `Bearer ${read}` } })), /query parameter "(rule|tool|vuln|q)" holds a NUL character/);
    }
    await expect400(await scan(fixtureText("trivy/trivy_debian-buster.json"), "?cluster=prod%00"), /query parameter "cluster" holds a NUL/);
  });

  it("text with a NUL that reaches PostgreSQL (a comment, a name) is a 400 that says so, by every way to the database", async () => {
    const nul = "a\u0000b";
    const refusal = async (work: Promise<unknown>) => {
      const error = await work.then(() => null, (e: unknown) => e);
      expect(error).not.toBeNull();
      return describeError(error);
    };
    const said = { status: 400, message: expect.stringMatching(/holds a NUL character/) };
    expect(await refusal(db.team.create({ data: { name: nul } }))).toMatchObject(said); // Prisma, a model
    expect(await refusal(db.$executeRawUnsafe(`SELECT $1::text`, nul))).toMatchObject(said); // Prisma, raw
    expect(await refusal(sqlPool().query(`SELECT $1::text`, [nul]))).toMatchObject(said); // node-postgres
    // A comment through the tracker, as the finding page's form sends it: refused, nothing stored.
    expect((await scan(fixtureText("trivy/trivy_debian-buster.json"))).status).toBe(201);
    const finding = await db.finding.findFirstOrThrow();
    const lead = await db.user.create({ data: { email: "lee@acme.dev", name: "lee", role: "security_lead", emailVerified: true } });
    before = await databaseFingerprint();
    const actor = { kind: "user" as const, userId: lead.id, email: lead.email, name: "lee", role: "security_lead" as const, teamIds: [], sourceIp: null };
    expect(await refusal(triageOne(actor, finding.id, { type: "comment", body: `note ${nul}` }))).toMatchObject(said);
    await unchanged();
  });

  it("a format= that does not match the body is a 400, even after the body was ingested", async () => {
    const body = fixtureText("trivy/trivy_debian-buster.json");
    expect((await scan(body)).status).toBe(201);
    before = await databaseFingerprint();
    await expect400(await scan(body, "?format=grype"), /format=grype was requested but the body is a trivy report/);
  });
});

describe("bounded text", () => {
  it("stores a 1 MB title and description cut to their bounds, and the finding in full otherwise", async () => {
    const report = trivy();
    report.Results[0].Vulnerabilities[0].Title = "t".repeat(1_000_000);
    report.Results[0].Vulnerabilities[0].Description = "d".repeat(1_000_000);
    expect((await scan(JSON.stringify(report))).status).toBe(201);
    const finding = await db.finding.findFirstOrThrow({ where: { title: { startsWith: "ttt" } }, include: { vulnerability: true } });
    expect(finding.title.length).toBe(1000);
    expect(finding.title.endsWith("…")).toBe(true);
    expect(finding.vulnerability!.description!.length).toBe(20_000);
  });
});

describe("found by the property tests", () => {
  it("an OS name with NUL in it and an overlong kube-bench node type", async () => {
    const report = trivy() as TrivyDoc & { Metadata: { OS?: { Family: string; Name: string } } };
    report.Metadata.OS = { Family: "debian\u0000", Name: "10.1\u0000" };
    expect((await scan(JSON.stringify(report))).status).toBe(201);
    const bench = fixtureJson<{ node_type: string }[]>("kube-bench/kube-bench_result_no-totals.json");
    bench[0].node_type = "n".repeat(5000);
    const refused = await scan(JSON.stringify(bench), "?cluster=prod");
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.message).toMatch(/kube-bench node type\) is 5011 bytes long/);
  });
});
