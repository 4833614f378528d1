// The remediation tracker against a real PostgreSQL: who may change what, bulk skip reporting,
// four-eyes exceptions, exceptions covering findings ingested later, expiry by date and by a fix
// (with an injected clock), and SLA due dates.
import { beforeEach, describe, expect, it } from "vitest";
import { createTeam } from "@/lib/admin/teams";
import { AccessDenied, CLI_ACTOR, type UserActor } from "@/lib/authz/actor";
import { db } from "@/lib/db";
import { ingestReport } from "@/lib/ingest/ingest-report";
import { triage, triageOne } from "@/lib/triage/apply";
import { requestException } from "@/lib/exceptions/request";
import { decideException, expireExceptions, revokeException } from "@/lib/exceptions/decide";
import { pendingImpact } from "@/lib/exceptions/impact";
import { slaState } from "@/lib/sla/state";
import { setSlaOptions, setTeamSla } from "@/lib/sla/policy";
import { setSlaDays } from "@/lib/admin/policy";
import type { Role } from "@/lib/generated/prisma/enums";
import { resetDatabase } from "../support/db-state";
import { fixtureJson } from "../support/fixtures";

const DAY = 86_400_000;
const T0 = new Date(Date.UTC(2026, 9, 1));
const at = (days: number) => new Date(T0.getTime() + days * DAY);

type Vuln = { VulnerabilityID: string; FixedVersion?: string };
/** The real alpine report, as another image of a repository, with its fixes removed or kept. */
function alpine(repo: string, options: { withoutFix?: boolean; only?: string[] } = {}): string {
  const report = fixtureJson<{ ArtifactName: string; Metadata: { RepoTags?: string[]; RepoDigests?: string[]; ImageID?: string }; Results: { Vulnerabilities: Vuln[] }[]; CreatedAt: string }>("trivy/trivy_alpine-310.json");
  report.ArtifactName = `registry.acme.dev/${repo}:1.0`;
  report.Metadata = { ...report.Metadata, RepoTags: [`registry.acme.dev/${repo}:1.0`], RepoDigests: [], ImageID: `sha256:${repo.padEnd(64, "0").slice(0, 64).replace(/[^0-9a-f]/g, "a")}` };
  let vulns = report.Results[0].Vulnerabilities;
  if (options.only) vulns = vulns.filter((v) => options.only!.includes(v.VulnerabilityID));
  if (options.withoutFix) vulns = vulns.map((v) => ({ ...v, FixedVersion: undefined, Status: "affected" }));
  report.Results[0].Vulnerabilities = vulns;
  report.CreatedAt = `${Math.random()}`;
  return JSON.stringify(report);
}

let teams: Record<"payments" | "storefront", string>;
const people: Record<string, UserActor> = {};

async function person(key: string, role: Role, teamIds: string[]): Promise<UserActor> {
  const user = await db.user.create({ data: { email: `${key}@acme.dev`, name: key, role, emailVerified: true, memberships: { create: teamIds.map((teamId) => ({ teamId })) } } });
  return { kind: "user", userId: user.id, email: user.email, name: key, role, teamIds, sourceIp: null };
}

async function ingest(body: string, team: string, now: Date, extra: Record<string, string> = {}) {
  return ingestReport({ body, context: { format: "auto", team, ...extra }, receivedAt: now });
}

const findingsOf = (teamId: string) => db.finding.findMany({ where: { teamId }, orderBy: { id: "asc" } });

beforeEach(async () => {
  await resetDatabase();
  teams = {
    payments: (await createTeam(CLI_ACTOR, { name: "Payments" })).id,
    storefront: (await createTeam(CLI_ACTOR, { name: "Storefront" })).id,
  };
  people.pat = await person("pat", "engineer", [teams.payments]);
  people.sam = await person("sam", "engineer", [teams.storefront]);
  people.lee = await person("lee", "security_lead", []);
  people.lou = await person("lou", "security_lead", []);
  people.ada = await person("ada", "admin", []);
  people.max = await person("max", "manager", [teams.payments]);
  await ingest(alpine("pay/api"), "Payments", at(0));
  await ingest(alpine("shop/web"), "Storefront", at(0));
});

describe("the workflow", () => {
  it("lets an engineer move their team's finding open → in progress → fixed, and records each step", async () => {
    const [finding] = await findingsOf(teams.payments);
    await triageOne(people.pat, finding.id, { type: "status", status: "in_progress" }, at(1));
    await triageOne(people.pat, finding.id, { type: "status", status: "fixed" }, at(2));
    const stored = await db.finding.findUniqueOrThrow({ where: { id: finding.id }, include: { events: { orderBy: { id: "asc" } } } });
    expect(stored.status).toBe("fixed");
    expect(stored.fixedAt).toEqual(at(2));
    expect(stored.events.map((e) => [e.type, e.fromStatus, e.toStatus, e.actorUserId])).toEqual([
      ["status_changed", "open", "in_progress", people.pat.userId],
      ["status_changed", "in_progress", "fixed", people.pat.userId],
    ]);
    expect(await db.auditLog.count({ where: { action: "finding.status_changed", actorUserId: people.pat.userId } })).toBe(2);
  });

  it("refuses another team's finding, a manager, and risk accepted without an exception", async () => {
    const [theirs] = await findingsOf(teams.storefront);
    await expect(triageOne(people.pat, theirs.id, { type: "status", status: "in_progress" })).rejects.toThrow(/not found, or not visible/i);
    await expect(triageOne(people.max, theirs.id, { type: "status", status: "in_progress" })).rejects.toBeInstanceOf(AccessDenied);
    await expect(triageOne(people.lee, theirs.id, { type: "status", status: "risk_accepted" })).rejects.toThrow(/invalid option|expected one of/i);
    await triageOne(people.lee, theirs.id, { type: "status", status: "in_progress" });
    expect((await db.finding.findUniqueOrThrow({ where: { id: theirs.id } })).status).toBe("in_progress");
  });

  it.each([
    ["open", "in_progress", true],
    ["open", "fixed", true],
    ["in_progress", "open", true],
    ["fixed", "in_progress", false],
    ["false_positive", "open", true],
    ["fixed", "false_positive", false],
    ["risk_accepted", "open", false],
    ["risk_accepted", "false_positive", false],
  ] as const)("from %s to %s is allowed: %s", async (from, to, allowed) => {
    const [finding] = await findingsOf(teams.payments);
    await db.finding.update({ where: { id: finding.id }, data: { status: from } });
    const action = to === "false_positive" ? { type: "status", status: to, justification: "component_not_present", comment: "not shipped" } : { type: "status", status: to };
    const result = await triage(people.pat, { ids: [finding.id] }, action);
    expect(result.changed).toBe(allowed ? 1 : 0);
    expect((await db.finding.findUniqueOrThrow({ where: { id: finding.id } })).status).toBe(allowed ? to : from);
  });

  it("needs a VEX justification and a comment for false positive and not affected", async () => {
    const [finding] = await findingsOf(teams.payments);
    await expect(triageOne(people.pat, finding.id, { type: "status", status: "not_affected", comment: "x" })).rejects.toThrow(/justification/);
    await expect(triageOne(people.pat, finding.id, { type: "status", status: "not_affected", justification: "vulnerable_code_not_in_execute_path" })).rejects.toThrow(/comment/);
    await triageOne(people.pat, finding.id, { type: "status", status: "not_affected", justification: "vulnerable_code_not_in_execute_path", comment: "we never call `d2i_X509`" });
    const stored = await db.finding.findUniqueOrThrow({ where: { id: finding.id }, include: { comments: true } });
    expect(stored).toMatchObject({ status: "not_affected", justification: "vulnerable_code_not_in_execute_path" });
    expect(stored.comments.map((c) => c.body)).toEqual(["we never call `d2i_X509`"]);
  });

  it("assigns only to someone who can work on the finding, and lets an engineer claim", async () => {
    const [ours] = await findingsOf(teams.payments);
    await expect(triageOne(people.pat, ours.id, { type: "assign", assigneeId: people.sam.userId })).rejects.toThrow(/not in the owning team/);
    await expect(triageOne(people.lee, ours.id, { type: "assign", assigneeId: people.max.userId })).rejects.toThrow(/manager/);
    await triageOne(people.pat, ours.id, { type: "assign", assigneeId: people.pat.userId });
    await triageOne(people.lee, ours.id, { type: "assign", assigneeId: people.lou.userId });
    const events = await db.findingEvent.findMany({ where: { findingId: ours.id, type: "assigned" }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.note)).toEqual(["claimed by pat", "assigned to lou"]);
    expect((await db.finding.findUniqueOrThrow({ where: { id: ours.id } })).assigneeId).toBe(people.lou.userId);
  });
});

describe("bulk actions", () => {
  it("change what the user may edit in one go and count what they skipped, and why", async () => {
    const ours = await findingsOf(teams.payments);
    const theirs = await findingsOf(teams.storefront);
    await db.finding.update({ where: { id: ours[0].id }, data: { status: "in_progress" } });
    const result = await triage(people.pat, { ids: [...ours, ...theirs].map((f) => f.id) }, { type: "status", status: "in_progress" });
    expect(result.changed).toBe(ours.length - 1);
    expect(result.skipped).toEqual(expect.arrayContaining([{ reason: "already in progress", count: 1 }, { reason: "not found, or not visible to you", count: theirs.length }]));
    // A lead may comment on both teams' findings, by filter.
    const lead = await triage(people.lee, { filter: "severity=medium" }, { type: "comment", body: "patch window Friday" });
    expect(lead).toEqual({ matched: ours.length + theirs.length, changed: ours.length + theirs.length, skipped: [] });
  });

  it("act on every finding matching a filter, in one transaction", async () => {
    const result = await triage(people.lee, { filter: "q=libssl1.1" }, { type: "assign", assigneeId: people.lou.userId });
    const libssl = await db.finding.count({ where: { packageName: "libssl1.1" } });
    expect(result).toEqual({ matched: libssl, changed: libssl, skipped: [] });
    expect(await db.finding.count({ where: { assigneeId: people.lou.userId } })).toBe(libssl);
    expect(await db.auditLog.count({ where: { action: "finding.assigned" } })).toBe(1);
  });
});

describe("exceptions", () => {
  it("need four eyes, also for an admin, and make the finding risk accepted when approved", async () => {
    const [finding] = await findingsOf(teams.payments);
    const { exceptionId } = await requestException(people.pat, { findingId: finding.id, scope: "finding", terms: { reason: "internal only, no TLS exposure", ends: "date", expiresAt: at(30) } }, at(1));
    expect(exceptionId).toBeTruthy();
    await expect(decideException(people.pat, { exceptionId: exceptionId!, decision: "approve" }, at(1))).rejects.toBeInstanceOf(AccessDenied);
    // An admin's own request cannot be approved by that admin.
    const [other] = (await findingsOf(teams.payments)).slice(1);
    const own = await requestException(people.ada, { findingId: other.id, scope: "finding", terms: { reason: "decommissioned next week", ends: "date", expiresAt: at(10) } }, at(1));
    await expect(decideException(people.ada, { exceptionId: own.exceptionId!, decision: "approve" }, at(1))).rejects.toThrow(/four eyes/i);
    await decideException(people.lee, { exceptionId: exceptionId!, decision: "approve", note: "ok until the rebuild" }, at(2));
    const stored = await db.finding.findUniqueOrThrow({ where: { id: finding.id } });
    expect(stored).toMatchObject({ status: "risk_accepted", exceptionId });
    await expect(decideException(people.lou, { exceptionId: exceptionId!, decision: "reject", note: "late" }, at(2))).rejects.toThrow(/already approved/);
  });

  it("expire by date through the job, reopening what they covered, with the SLA clock paused meanwhile", async () => {
    const [finding] = await findingsOf(teams.payments);
    const dueBefore = finding.dueAt!;
    expect(dueBefore).toEqual(at(90)); // medium: 90 days from first seen
    const { exceptionId } = await requestException(people.pat, { findingId: finding.id, scope: "finding", terms: { reason: "vendor patch pending", ends: "date", expiresAt: at(20) } }, at(1));
    await decideException(people.lee, { exceptionId: exceptionId!, decision: "approve" }, at(5));
    expect(await expireExceptions(at(15))).toEqual({ expired: 0, reopened: 0, lapsedRequests: 0 });
    const run = await expireExceptions(at(21));
    expect(run).toEqual({ expired: 1, reopened: 1, lapsedRequests: 0 });
    expect(await expireExceptions(at(21))).toEqual({ expired: 0, reopened: 0, lapsedRequests: 0 });
    const stored = await db.finding.findUniqueOrThrow({ where: { id: finding.id }, include: { events: { orderBy: { id: "asc" } } } });
    expect(stored.status).toBe("open");
    expect(stored.exceptionId).toBeNull();
    expect(stored.dueAt).toEqual(new Date(dueBefore.getTime() + 16 * DAY)); // accepted from day 5 to day 21
    expect(stored.events.map((e) => e.type)).toEqual(["exception_requested", "exception_approved", "exception_expired"]);
    expect((await db.riskException.findUniqueOrThrow({ where: { id: exceptionId! } })).status).toBe("expired");
  });

  it("as a rule cover matching findings ingested later, and a revocation reopens them all", async () => {
    const [finding] = (await findingsOf(teams.payments)).filter((f) => f.ruleId === "CVE-2019-1551");
    const { exceptionId } = await requestException(people.pat, { findingId: finding.id, scope: "team", terms: { reason: "openssl rebuild scheduled for Q1", ends: "date", expiresAt: at(60) } }, at(1));
    expect(await db.finding.count({ where: { status: "risk_accepted" } })).toBe(0);
    await decideException(people.lee, { exceptionId: exceptionId!, decision: "approve" }, at(2));
    expect(await db.finding.count({ where: { status: "risk_accepted", teamId: teams.payments } })).toBe(2); // libssl and libcrypto
    expect(await db.finding.count({ where: { status: "risk_accepted", teamId: teams.storefront } })).toBe(0);
    // A new image of the team, scanned later, with the same CVE: covered at ingest.
    await ingest(alpine("pay/worker"), "Payments", at(3));
    expect(await db.finding.count({ where: { status: "risk_accepted", teamId: teams.payments, ruleId: "CVE-2019-1551" } })).toBe(4);
    const { reopened } = await revokeException(people.lou, exceptionId!, "the rebuild slipped; fix now", at(4));
    expect(reopened).toBe(4);
    expect(await db.finding.count({ where: { status: "risk_accepted" } })).toBe(0);
  });

  it("show the lead, before deciding, the open findings approval would cover: as many as it then covers, by severity and fix", async () => {
    const payments = await findingsOf(teams.payments);
    // Alpine 3.10's report has two CVEs, each in libssl and libcrypto.
    const [rule, single] = payments.filter((f) => f.ruleId === "CVE-2019-1551");
    const team = await requestException(people.pat, { findingId: rule.id, scope: "team", terms: { reason: "openssl rebuild scheduled for Q1", ends: "date", expiresAt: at(60) } }, at(1));
    const one = await requestException(people.pat, { findingId: single.id, scope: "finding", terms: { reason: "internal only", ends: "date", expiresAt: at(30) } }, at(1));
    // Until a fix is available, across the team: the batch image's two unfixed findings, never
    // the api image's two fixable ones.
    await ingest(alpine("pay/batch", { withoutFix: true, only: ["CVE-2019-1549"] }), "Payments", at(1));
    const unfixed = await db.finding.findFirstOrThrow({ where: { image: { repository: { name: "registry.acme.dev/pay/batch" } } } });
    const untilFix = await requestException(people.pat, { findingId: unfixed.id, scope: "team", terms: { reason: "waiting for upstream", ends: "fix" } }, at(1));
    const impact = await pendingImpact([team.exceptionId!, one.exceptionId!, untilFix.exceptionId!]);
    expect(impact.get(team.exceptionId!)).toEqual({ findings: 2, bySeverity: { critical: 0, high: 0, medium: 2, low: 0, unknown: 0 }, fixable: 2 });
    expect(impact.get(one.exceptionId!)).toMatchObject({ findings: 1, fixable: 1 });
    expect(impact.get(one.exceptionId!)!.bySeverity[single.severity]).toBe(1);
    expect(impact.get(untilFix.exceptionId!)).toMatchObject({ findings: 2, fixable: 0 });
    expect(await db.finding.count({ where: { teamId: teams.payments, ruleId: "CVE-2019-1549", fixable: true } })).toBe(2);
    const { covered } = await decideException(people.lee, { exceptionId: team.exceptionId!, decision: "approve" }, at(2));
    expect(covered).toBe(2);
    // Decided: no longer pending, so no impact to show.
    expect((await pendingImpact([team.exceptionId!])).get(team.exceptionId!)!.findings).toBe(0);
  });

  it("refuse an engineer's rule beyond their teams", async () => {
    const [finding] = await findingsOf(teams.payments);
    await expect(requestException(people.pat, { findingId: finding.id, scope: "everywhere", terms: { reason: "the CVE does not apply to alpine", ends: "date", expiresAt: at(30) } }, at(1))).rejects.toThrow(/only within your teams/);
    await expect(requestException(people.pat, { findingId: finding.id, scope: "finding", terms: { reason: "longer than allowed", ends: "date", expiresAt: at(200) } }, at(1))).rejects.toThrow(/at most 90 days/);
  });

  it("ending when a fix is available: a later scan that reports a fix reopens the findings", async () => {
    await ingest(alpine("pay/batch", { withoutFix: true, only: ["CVE-2019-1549"] }), "Payments", at(1));
    const [unfixed] = await db.finding.findMany({ where: { image: { repository: { name: "registry.acme.dev/pay/batch" } }, fixable: false } });
    expect(unfixed).toBeTruthy();
    const { exceptionId } = await requestException(people.pat, { findingId: unfixed.id, scope: "repository", terms: { reason: "no upstream fix yet", ends: "fix" } }, at(1));
    await decideException(people.lee, { exceptionId: exceptionId!, decision: "approve" }, at(2));
    expect(await db.finding.count({ where: { exceptionId } })).toBe(2);
    await ingest(alpine("pay/batch", { only: ["CVE-2019-1549"] }), "Payments", at(8));
    expect((await db.riskException.findUniqueOrThrow({ where: { id: exceptionId! } })).endReason).toBe("a fix is available");
    const reopened = await db.finding.findMany({ where: { image: { repository: { name: "registry.acme.dev/pay/batch" } } } });
    expect(reopened.map((f) => [f.status, f.fixable, f.fixAvailableAt])).toEqual(reopened.map(() => ["open", true, at(8)]));
  });
});

describe("SLA", () => {
  it("counts from first seen by severity, with a team's own days, and does not restart on reopen by default", async () => {
    await db.teamSlaPolicy.create({ data: { teamId: teams.storefront, severity: "medium", days: 14 } });
    await ingest(alpine("shop/api"), "Storefront", at(3));
    const shop = await db.finding.findFirstOrThrow({ where: { image: { repository: { name: "registry.acme.dev/shop/api" } } } });
    expect(shop.dueAt).toEqual(at(17));
    // Gone, then back: due from first seen still.
    await ingest(alpine("shop/api", { only: [] }), "Storefront", at(4));
    await ingest(alpine("shop/api"), "Storefront", at(5));
    expect((await db.finding.findUniqueOrThrow({ where: { id: shop.id } })).dueAt).toEqual(at(17));
    expect(slaState({ status: "open", dueAt: at(17) }, at(11))).toBe("at_risk");
    expect(slaState({ status: "open", dueAt: at(17) }, at(18))).toBe("breached");
    expect(slaState({ status: "risk_accepted", dueAt: at(17) }, at(18))).toBe("paused");
  });

  it("applies a policy change to open findings at once: organisation days, a team's days, the fix-available clock", async () => {
    const [finding] = await findingsOf(teams.payments);
    expect(finding.dueAt).toEqual(at(90));
    await setSlaDays(CLI_ACTOR, { critical: 7, high: 30, medium: 60, low: 120, unknown: "" });
    expect((await db.finding.findUniqueOrThrow({ where: { id: finding.id } })).dueAt).toEqual(at(60));
    await setTeamSla(CLI_ACTOR, "Payments", { medium: 10 });
    expect((await db.finding.findUniqueOrThrow({ where: { id: finding.id } })).dueAt).toEqual(at(10));
    expect((await findingsOf(teams.storefront))[0].dueAt).toEqual(at(60));
    // Under "clock starts when a fix exists", a vulnerability without a fix has no due date yet.
    await ingest(alpine("pay/nofix", { withoutFix: true }), "Payments", at(2));
    await setSlaOptions(CLI_ACTOR, { reopenRestartsClock: false, clockStartsAtFix: true, maxExceptionDays: 30 });
    const unfixed = await db.finding.findFirstOrThrow({ where: { image: { repository: { name: "registry.acme.dev/pay/nofix" } } } });
    expect(unfixed.dueAt).toBeNull();
    await ingest(alpine("pay/nofix"), "Payments", at(5));
    expect((await db.finding.findUniqueOrThrow({ where: { id: unfixed.id } })).dueAt).toEqual(at(15));
    expect(await db.auditLog.count({ where: { action: { in: ["policy.sla_changed", "policy.team_sla_changed", "policy.sla_options_changed"] } } })).toBe(3);
  });
});

