// GET /api/v1/vex through its route: OpenVEX documents that validate against the published
// schema and say what each decision means, a .trivyignore of accepted risks with exp: dates, and
// a team-bound token that sees only its team's images.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import Ajv from "ajv";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { beforeEach, describe, expect, it } from "vitest";
import { GET } from "@/app/api/v1/vex/route";
import { createTeam } from "@/lib/admin/teams";
import { CLI_ACTOR, type UserActor } from "@/lib/authz/actor";
import { db } from "@/lib/db";
import { ingestReport } from "@/lib/ingest/ingest-report";
import { createApiToken } from "@/lib/tokens/api-tokens";
import { triageOne } from "@/lib/triage/apply";
import { requestException } from "@/lib/exceptions/request";
import { decideException } from "@/lib/exceptions/decide";
import { resetDatabase } from "../support/db-state";
import { fixtureText } from "../support/fixtures";

const schema = JSON.parse(readFileSync(path.join(import.meta.dirname, "../fixtures/schemas/openvex_json_schema_0.2.0.json"), "utf8"));
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validOpenVex = ajv.compile(schema);

// CycloneDX 1.6 and the two schemas it references, under the names its $refs use.
const cdxSchema = (name: string) => JSON.parse(readFileSync(path.join(import.meta.dirname, "../fixtures/schemas/cyclonedx", name), "utf8"));
const cdxAjv = new Ajv({ allErrors: true, strict: false });
addFormats(cdxAjv);
for (const name of ["spdx.SNAPSHOT.schema.json", "jsf-0.82.SNAPSHOT.schema.json"]) cdxAjv.addSchema({ ...cdxSchema(name), $id: `http://cyclonedx.org/schema/${name}` });
const validCycloneDx = cdxAjv.compile(cdxSchema("bom-1.6.SNAPSHOT.schema.json"));

/** Compares with a golden file, times made fixed (UPDATE_GOLDENS=1 rewrites it, to be reviewed in the diff). */
function expectGolden(doc: unknown, name: string) {
  const file = path.join(import.meta.dirname, "../fixtures/vex", name);
  const normal = JSON.parse(
    JSON.stringify(doc, (_, value) =>
      typeof value === "string" ? value.replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, "<time>").replace(/\d{4}-\d{2}-\d{2}/g, "<date>").replace(/^https?:\/\/[^/]+\/api\//, "<base>/api/") : value,
    ),
  );
  const text = `${JSON.stringify(normal, null, 2)}\n`;
  if (process.env.UPDATE_GOLDENS) writeFileSync(file, text);
  expect(text).toBe(readFileSync(file, "utf8"));
}

const DIGEST = `sha256:${"ab".repeat(32)}`;
const IMAGE = `registry.acme.dev/payments/api@${DIGEST}`;
let token: string;
let people: Record<"pat" | "lee", UserActor>;

async function person(email: string, role: "engineer" | "security_lead", teamIds: string[]): Promise<UserActor> {
  const user = await db.user.create({ data: { email, name: email.split("@")[0], role, emailVerified: true, memberships: { create: teamIds.map((teamId) => ({ teamId })) } } });
  return { kind: "user", userId: user.id, email, name: user.name, role, teamIds, sourceIp: null };
}

const vex = (query: string, bearer = token) => GET(new Request(`http://localhost/api/v1/vex?${query}`, { headers: { authorization: `Bearer ${bearer}` } }));

beforeEach(async () => {
  await resetDatabase();
  const payments = await createTeam(CLI_ACTOR, { name: "Payments" });
  await createTeam(CLI_ACTOR, { name: "Storefront" });
  people = { pat: await person("pat@acme.dev", "engineer", [payments.id]), lee: await person("lee@acme.dev", "security_lead", []) };
  await ingestReport({ body: fixtureText("trivy/trivy_alpine-310.json"), context: { format: "auto", team: "Payments", image: IMAGE } });
  token = (await createApiToken({ name: "pipeline", scopes: ["read"] })).token;
});

async function decide() {
  const findings = await db.finding.findMany({ orderBy: [{ ruleId: "asc" }, { packageName: "asc" }] });
  const [a, b, c, d] = findings;
  await triageOne(people.pat, a.id, { type: "status", status: "not_affected", justification: "vulnerable_code_not_in_execute_path", comment: "no TLS here" });
  await triageOne(people.pat, b.id, { type: "status", status: "in_progress" });
  const { exceptionId } = await requestException(people.pat, { findingId: c.id, scope: "finding", terms: { reason: "internal only\nCVE-2099-0001", ends: "date", expiresAt: new Date(Date.now() + 20 * 86_400_000) } });
  await decideException(people.lee, { exceptionId: exceptionId!, decision: "approve" });
  return { a, b, c, d };
}

describe("GET /api/v1/vex", () => {
  it("answers an OpenVEX document that validates against the published schema and maps each decision", async () => {
    const { a, b, c } = await decide();
    const response = await vex(`image=${encodeURIComponent(IMAGE)}`);
    expect(response.status).toBe(200);
    const doc = await response.json();
    expect(validOpenVex(doc), JSON.stringify(validOpenVex.errors)).toBe(true);
    // The schema is really checked: a document with a wrong status does not pass.
    expect(validOpenVex({ ...doc, statements: [{ ...doc.statements[0], status: "ignored" }] })).toBe(false);
    const product = `pkg:oci/api@sha256%3A${"ab".repeat(32)}?repository_url=registry.acme.dev%2Fpayments%2Fapi`;
    type Statement = { vulnerability: { name: string }; products: { subcomponents: { "@id": string }[] }[] };
    const decided = Object.fromEntries(doc.statements.map((s: Statement) => [`${s.vulnerability.name} ${s.products[0].subcomponents[0]["@id"]}`, s]));
    const of = (f: { ruleId: string; purl: string | null }) => decided[`${f.ruleId} ${f.purl}`];
    expect(doc.statements).toHaveLength(3);
    expect(doc.statements.every((s: { products: { "@id": string }[] }) => s.products[0]["@id"] === product)).toBe(true);
    expect(of(a)).toMatchObject({ vulnerability: { name: a.ruleId }, status: "not_affected", justification: "vulnerable_code_not_in_execute_path" });
    expect(of(b)).toMatchObject({ status: "under_investigation" });
    expect(of(c)).toMatchObject({ status: "affected", action_statement: expect.stringMatching(/^Risk accepted until \d{4}-\d{2}-\d{2}: internal only/) });
    expectGolden({ ...doc, "@id": doc["@id"].replace(/[0-9a-f]{16}$/, "<hash>") }, "openvex-alpine.golden.json");
    // The same decisions give the same document (a pipeline can cache it).
    expect(await (await vex(`image=${encodeURIComponent(DIGEST)}`)).json()).toEqual(doc);
  });

  it("answers accepted risks as a .trivyignore with exp: dates, one line per entry whatever the reason says", async () => {
    const { c } = await decide();
    const response = await vex(`image=${encodeURIComponent(IMAGE)}&format=trivyignore`);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    const lines = (await response.text()).trim().split("\n").filter((l) => !l.startsWith("#"));
    const exception = await db.riskException.findFirstOrThrow({ where: { findingId: c.id } });
    expect(lines).toEqual([`${c.ruleId} exp:${exception.expiresAt!.toISOString().slice(0, 10)}`]);
  });

  it("refuses a team-bound token another team's image, an unknown image and a bad query, clearly", async () => {
    await decide();
    const storefront = await db.team.findFirstOrThrow({ where: { name: "Storefront" } });
    const bound = (await createApiToken({ name: "storefront-ci", scopes: ["read"], teamId: storefront.id })).token;
    expect((await vex(`image=${encodeURIComponent(IMAGE)}`, bound)).status).toBe(404);
    expect((await vex(`image=registry.acme.dev/nothing:1`)).status).toBe(404);
    const bad = await vex(`image=`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/image is required/);
    expect((await vex(`image=${encodeURIComponent(IMAGE)}&format=spdx`)).status).toBe(400);
    const shortDigest = await vex(`image=sha256:abc`);
    expect(shortDigest.status).toBe(400);
    expect((await shortDigest.json()).error.message).toMatch(/64 lowercase hex/);
    const ingestOnly = (await createApiToken({ name: "ingest", scopes: ["ingest"] })).token;
    expect((await vex(`image=${encodeURIComponent(IMAGE)}`, ingestOnly)).status).toBe(403);
  });

  it("answers a CycloneDX VEX linked by BOM-Link to the ingested SBOM, valid against the 1.6 schema", async () => {
    const image = `registry.acme.dev/payments/fluentd@sha256:${"cd".repeat(32)}`;
    await ingestReport({ body: fixtureText("trivy/trivy_fluentd-multiple-lockfiles.cyclonedx.json"), context: { format: "auto", team: "Payments", image } });
    const asked = await vex(`image=${encodeURIComponent(image)}&format=cyclonedx`);
    expect(asked.status).toBe(404);
    expect((await asked.json()).error.message).toMatch(/No triage decision on a component/);
    const libidn = await db.finding.findFirstOrThrow({ where: { ruleId: "CVE-2019-18224", image: { digest: `sha256:${"cd".repeat(32)}` } } });
    await triageOne(people.pat, libidn.id, { type: "status", status: "not_affected", justification: "vulnerable_code_not_in_execute_path", comment: "no IDN input" });
    const response = await vex(`image=${encodeURIComponent(image)}&format=cyclonedx`);
    expect(response.status).toBe(200);
    const doc = await response.json();
    expect(validCycloneDx(doc), JSON.stringify(validCycloneDx.errors?.slice(0, 3))).toBe(true);
    expect(validCycloneDx({ ...doc, vulnerabilities: [{ ...doc.vulnerabilities[0], analysis: { state: "ignored" } }] })).toBe(false);
    expectGolden({ ...doc, serialNumber: "<content uuid>" }, "cyclonedx-fluentd.golden.json");
    expect(doc.vulnerabilities).toEqual([
      {
        id: "CVE-2019-18224",
        analysis: { state: "not_affected", justification: "code_not_reachable", lastUpdated: expect.any(String) },
        affects: [{ ref: `urn:cdx:3ff14136-e09f-4df9-80ea-000000000006/1#${encodeURIComponent("pkg:deb/debian/libidn2-0@2.0.5-1?distro=debian-10.2")}` }],
      },
    ]);
    // Without an SBOM of the image, there is nothing to link to: said so.
    const noSbom = await vex(`image=${encodeURIComponent(IMAGE)}&format=cyclonedx`);
    expect(noSbom.status).toBe(404);
    expect((await noSbom.json()).error.message).toMatch(/No CycloneDX SBOM/);
  });

  it("says so when there is no decision to export", async () => {
    const response = await vex(`image=${encodeURIComponent(IMAGE)}`);
    expect(response.status).toBe(404);
    expect((await response.json()).error.message).toMatch(/No triage decision/);
  });
});
