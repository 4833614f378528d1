// GET /api/v1/gate through its route: the decision table of the policy (each rule, grace periods,
// approved exceptions, never scanned, a stale scan, a team's own policy, a named policy), token
// binding, JUnit output, bad input, and the record of each decision.
import { XMLParser } from "fast-xml-parser";
import { beforeEach, describe, expect, it } from "vitest";
import { GET } from "@/app/api/v1/gate/route";
import { createTeam } from "@/lib/admin/teams";
import { CLI_ACTOR, type UserActor } from "@/lib/authz/actor";
import { db } from "@/lib/db";
import { savePolicy, setTeamPolicy } from "@/lib/gate/store";
import { DEFAULT_RULES, type GateRule } from "@/lib/gate/policy";
import { gateResultSchema, type GateResult } from "@/lib/gate/schema";
import { ingestReport } from "@/lib/ingest/ingest-report";
import { createApiToken } from "@/lib/tokens/api-tokens";
import { requestException } from "@/lib/exceptions/request";
import { decideException } from "@/lib/exceptions/decide";
import { resetDatabase } from "../support/db-state";
import { fixtureText } from "../support/fixtures";
import { expectDocumented } from "../support/openapi";

const DIGEST = `sha256:${"cd".repeat(32)}`;
const IMAGE = `registry.acme.dev/payments/api@${DIGEST}`;
const DAY = 86_400_000;
let token: string;
let teams: Record<"payments" | "storefront", string>;

const gate = async (query: string, bearer = token) => {
  const url = `http://localhost/api/v1/gate?${query}`;
  const response = await GET(new Request(url, { headers: { authorization: `Bearer ${bearer}` } }));
  await expectDocumented("GET", url, response);
  return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
};
const decision = async (query: string, bearer = token): Promise<GateResult> => {
  const answer = await gate(query, bearer);
  expect(answer.status, answer.text).toBe(200);
  return gateResultSchema.parse(JSON.parse(answer.text));
};
const rules = (result: GateResult) => result.violations.map((v) => `${v.action}: ${v.rule}`);

async function lead(): Promise<UserActor> {
  const user = await db.user.create({ data: { email: "lee@acme.dev", name: "lee", role: "security_lead", emailVerified: true } });
  return { kind: "user", userId: user.id, email: user.email, name: "lee", role: "security_lead", teamIds: [], sourceIp: null };
}

/** Open findings of the image that a rule of the default policy counts: critical with a fix. */
const criticalWithFix = () => db.finding.findMany({ where: { imageId: { not: null }, severity: "critical", fixable: true, status: "open" } });

beforeEach(async () => {
  await resetDatabase();
  teams = { payments: (await createTeam(CLI_ACTOR, { name: "Payments" })).id, storefront: (await createTeam(CLI_ACTOR, { name: "Storefront" })).id };
  await ingestReport({ body: fixtureText("trivy/trivy_fluentd-gems.json"), context: { format: "auto", team: "Payments", image: IMAGE } });
  token = (await createApiToken({ name: "pipeline", scopes: ["read"] })).token;
});

describe("GET /api/v1/gate: the default policy", () => {
  it("fails an image with an open critical vulnerability that has a fix, listing each with its fixed version and the upgrade", async () => {
    const result = await decision(`image=${encodeURIComponent(IMAGE)}`);
    const expected = await criticalWithFix();
    expect(expected.length).toBeGreaterThan(0);
    expect(result.decision).toBe("fail");
    expect(result.policy).toEqual({ name: "default", version: 1 });
    const critical = result.violations.find((v) => v.rule === "open critical vulnerability with a fix")!;
    expect(critical.action).toBe("fail");
    expect(critical.count).toBe(expected.length);
    expect(critical.findings.map((f) => f.id).sort()).toEqual(expected.map((f) => f.id).sort());
    for (const f of critical.findings) expect(f.fixedVersion).toBeTruthy();
    expect(critical.remediation).toMatch(/^Upgrade .+ → /);
    // The summary is the image's open findings by severity.
    const open = await db.finding.groupBy({ by: ["severity"], where: { imageId: result.image.id, status: { in: ["open", "in_progress"] } }, _count: true });
    for (const row of open) expect(result.summary[row.severity]).toBe(row._count);
  });

  it("honours approved exceptions: accepted criticals no longer fail the build (a pending request still does)", async () => {
    const pat = await db.user.create({ data: { email: "pat@acme.dev", name: "pat", role: "engineer", emailVerified: true, memberships: { create: { teamId: teams.payments } } } });
    const engineer: UserActor = { kind: "user", userId: pat.id, email: pat.email, name: "pat", role: "engineer", teamIds: [teams.payments], sourceIp: null };
    const ids: string[] = [];
    for (const f of await criticalWithFix()) {
      const { exceptionId } = await requestException(engineer, { findingId: f.id, scope: "finding", terms: { reason: "not reachable", ends: "date", expiresAt: new Date(Date.now() + 20 * DAY) } });
      ids.push(exceptionId!);
    }
    expect(rules(await decision(`image=${encodeURIComponent(IMAGE)}`))).toContain("fail: open critical vulnerability with a fix");
    const approver = await lead();
    for (const exceptionId of ids) await decideException(approver, { exceptionId, decision: "approve" });
    const result = await decision(`image=${encodeURIComponent(IMAGE)}`);
    expect(rules(result)).not.toContain("fail: open critical vulnerability with a fix");
    expect(result.summary.accepted).toBe(ids.length);
    expect(result.summary.critical).toBe(0 + (await db.finding.count({ where: { severity: "critical", status: { in: ["open", "in_progress"] } } })));
  });

  it("warns on a high with a fix only after its 30-day grace period", async () => {
    const before = await decision(`image=${encodeURIComponent(IMAGE)}`);
    expect(rules(before)).not.toContain("warn: open high or critical vulnerability with a fix, first seen over 30 days ago");
    await db.finding.updateMany({ data: { firstSeenAt: new Date(Date.now() - 31 * DAY) } });
    const after = await decision(`image=${encodeURIComponent(IMAGE)}`);
    const warn = after.violations.find((v) => v.action === "warn")!;
    expect(warn.rule).toBe("open high or critical vulnerability with a fix, first seen over 30 days ago");
    expect(warn.count).toBe(await db.finding.count({ where: { severity: { in: ["critical", "high"] }, fixable: true } }));
    // Failures are listed first.
    expect(after.violations[0].action).toBe("fail");
  });

  it("fails an image never scanned, with the reason and how to scan it; the same for an image a team-bound token may not see", async () => {
    const unknown = await decision("image=registry.acme.dev/never/scanned:1.0");
    expect(unknown.decision).toBe("fail");
    expect(unknown.violations).toHaveLength(1);
    expect(unknown.violations[0]).toMatchObject({ rule: "image scanned", action: "fail" });
    expect(unknown.violations[0].remediation).toContain("/api/v1/scans");
    const storefront = (await createApiToken({ name: "storefront", scopes: ["read"], teamId: teams.storefront })).token;
    const other = await decision(`image=${encodeURIComponent(IMAGE)}`, storefront);
    expect(other.decision).toBe("fail");
    expect(other.image.id).toBeNull();
    expect(other.summary.critical).toBe(0);
    const payments = (await createApiToken({ name: "payments", scopes: ["read"], teamId: teams.payments })).token;
    expect((await decision(`image=${encodeURIComponent(IMAGE)}`, payments)).image.id).not.toBeNull();
  });

  it("fails an image whose last scan is older than the policy allows", async () => {
    await db.image.updateMany({ data: { lastScannedAt: new Date(Date.now() - 8 * DAY) } });
    const result = await decision(`image=${encodeURIComponent(IMAGE)}`);
    const stale = result.violations.find((v) => v.rule === "last scan at most 7 days old")!;
    expect(stale).toMatchObject({ action: "fail" });
    expect(stale.reason).toContain("8 days old");
  });

  it("fails an image with an open secret", async () => {
    await ingestReport({ body: fixtureText("trivy/trivy_secrets.json"), context: { format: "auto", team: "Payments", image: "registry.acme.dev/payments/worker:2" } });
    const result = await decision("image=registry.acme.dev/payments/worker:2");
    const secrets = result.violations.find((v) => v.rule === "open secret")!;
    expect(secrets.action).toBe("fail");
    expect(secrets.count).toBe(await db.finding.count({ where: { kind: "secret" } }));
    expect(secrets.count).toBeGreaterThan(0);
  });
});

describe("GET /api/v1/gate: policies", () => {
  const strict: GateRule[] = [
    { type: "findings", action: "fail", kind: "vulnerability", minSeverity: "medium", fixAvailable: false, graceDays: 0 },
    { type: "end_of_life_os", action: "warn" },
    { type: "root_or_privileged", action: "fail" },
  ];

  it("judges by the team's own policy, a named one when asked, and records every decision with its version", async () => {
    const actor = await lead();
    await savePolicy(actor, { name: "strict", rules: strict });
    await setTeamPolicy(actor, "Payments", "strict");
    const result = await decision(`image=${encodeURIComponent(IMAGE)}`);
    expect(result.policy).toEqual({ name: "strict", version: 1 });
    expect(rules(result)).toEqual(["fail: open medium or critical vulnerability"]);
    expect(result.violations[0].count).toBe(await db.finding.count({ where: { imageId: result.image.id, severity: { in: ["critical", "high", "medium"] }, status: "open" } }));
    // The end-of-life Alpine 3.10 of another of the team's images is a warning under this policy.
    await ingestReport({ body: fixtureText("trivy/trivy_alpine-310.json"), context: { format: "auto", team: "Payments", image: "registry.acme.dev/payments/base:3.10" } });
    const base = await decision("image=registry.acme.dev/payments/base:3.10");
    expect(rules(base)).toEqual(["fail: open medium or critical vulnerability", "warn: operating system still supported"]);
    expect(base.violations[1].reason).toBe("alpine 3.10.2 no longer gets security updates");

    // A misconfiguration that runs the image as root fails it.
    const one = await db.finding.findFirstOrThrow({ where: { imageId: result.image.id, severity: { not: "critical" } } });
    await db.finding.update({ where: { id: one.id }, data: { kind: "misconfiguration", ruleId: "DS-0002" } });
    expect(rules(await decision(`image=${encodeURIComponent(IMAGE)}`))).toContain("fail: no root or privileged misconfiguration");

    const saved = await savePolicy(actor, { name: "strict", rules: strict.slice(1) });
    expect(saved.version).toBe(2);
    expect((await decision(`image=${encodeURIComponent(IMAGE)}`)).policy).toEqual({ name: "strict", version: 2 });
    expect((await decision(`image=${encodeURIComponent(IMAGE)}&policy=default`)).policy.name).toBe("default");

    const recorded = await db.gateDecision.findMany({ orderBy: { id: "asc" } });
    expect(recorded.map((d) => `${d.policyName}@${d.policyVersion}:${d.decision}`)).toEqual(["strict@1:fail", "strict@1:fail", "strict@1:fail", "strict@2:fail", "default@1:fail"]);
    expect(await db.auditLog.count({ where: { action: "gate.policy_saved" } })).toBe(2);
    expect(await db.gatePolicyVersion.count({ where: { policy: { name: "strict" } } })).toBe(2);
  });

  it("refuses a policy that does not validate, and leaves the stored one as it was", async () => {
    const actor = await lead();
    await expect(savePolicy(actor, { name: "default", rules: [{ type: "findings", action: "block", kind: "vulnerability", minSeverity: "high", fixAvailable: true, graceDays: 0 }] })).rejects.toThrow(/action is fail or warn/);
    await expect(savePolicy(actor, { name: "Bad Name", rules: DEFAULT_RULES })).rejects.toThrow(/lowercase/);
    await expect(savePolicy(actor, { name: "x", rules: [{ type: "scan_age", action: "fail", maxDays: 3 }, { type: "scan_age", action: "warn", maxDays: 9 }] })).rejects.toThrow(/at most once/);
    expect((await decision(`image=${encodeURIComponent(IMAGE)}`)).policy).toEqual({ name: "default", version: 1 });
    await expect(savePolicy({ kind: "user", userId: "u", email: "m@x", name: "m", role: "manager", teamIds: [], sourceIp: null }, { name: "default", rules: [] })).rejects.toThrow();
  });
});

describe("GET /api/v1/gate: the request", () => {
  it("answers a JUnit report with one failure per failing rule", async () => {
    const answer = await gate(`image=${encodeURIComponent(IMAGE)}&format=junit`);
    expect(answer.status).toBe(200);
    expect(answer.type).toContain("application/xml");
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(answer.text);
    const suite = xml.testsuites.testsuite;
    expect(suite.name).toContain("registry.acme.dev/payments/api");
    expect(Number(suite.failures)).toBeGreaterThanOrEqual(1);
    const cases = [suite.testcase].flat();
    expect(cases.find((c: { name: string }) => c.name === "open critical vulnerability with a fix").failure.message).toMatch(/^\d+ findings?: /);
  });

  it("answers 400 with what was wrong, 401 without a token, 403 for an ingest-only token", async () => {
    expect(JSON.parse((await gate("")).text).error.message).toMatch(/image is required/);
    expect((await gate("image=sha256:abc")).status).toBe(400);
    expect(JSON.parse((await gate(`image=${encodeURIComponent(IMAGE)}&policy=nope`)).text).error.message).toMatch(/No gate policy is named "nope"/);
    expect((await gate(`image=${encodeURIComponent(IMAGE)}&format=sarif`)).status).toBe(400);
    expect((await gate(`image=x`, "not-a-token")).status).toBe(401);
    const ingestOnly = (await createApiToken({ name: "ci", scopes: ["ingest"] })).token;
    expect((await gate(`image=${encodeURIComponent(IMAGE)}`, ingestOnly)).status).toBe(403);
    expect(await db.gateDecision.count()).toBe(0);
  });
});
