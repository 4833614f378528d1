// The posture read model equals a recount of the findings after any sequence of ingests, triage
// changes, ownership moves, retirements and deletions; and the SQL score equals computeScore.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createTeam } from "@/lib/admin/teams";
import { CLI_ACTOR } from "@/lib/authz/actor";
import { db } from "@/lib/db";
import { ingestReport } from "@/lib/ingest/ingest-report";
import { ingestRuntimeEvents } from "@/lib/ingest/falco/ingest-runtime-events";
import { listImages } from "@/lib/images/list-images";
import { computeScore } from "@/lib/posture/score";
import { posturesOf } from "@/lib/posture/read-model";
import { retireImages } from "@/lib/jobs/maintenance";
import { resetDatabase } from "../support/db-state";
import { fixtureJson, fixtureText } from "../support/fixtures";

const IMAGES = ["trivy_alpine-310.json", "trivy_debian-buster.json", "trivy_ubuntu-1804.json", "trivy_centos-7.json", "trivy_secrets.json"];
const TEAMS = ["Payments", "Storefront"];

/** An image report with some of its vulnerabilities left out (as a newer scan after fixes). */
function imageReport(name: string, keep: number, escalate = false): string {
  const report = fixtureJson<{ Results?: { Vulnerabilities?: { Severity?: string; FixedVersion?: string }[] | null }[]; CreatedAt: string }>(`trivy/${name}`);
  for (const result of report.Results ?? []) {
    if (!result.Vulnerabilities) continue;
    result.Vulnerabilities = result.Vulnerabilities.filter((_, i) => i % 4 < keep);
    // A rescan that rates the same vulnerabilities differently (and knows no fix any more).
    if (escalate) for (const v of result.Vulnerabilities) Object.assign(v, { Severity: "CRITICAL", FixedVersion: "" });
  }
  report.CreatedAt = `${new Date().toISOString()}-${Math.random()}`;
  return JSON.stringify(report);
}

type Step =
  | { kind: "scan"; image: number; keep: number; team: number; workload: boolean; escalate?: boolean }
  | { kind: "cluster" }
  | { kind: "bench" }
  | { kind: "runtime" }
  | { kind: "triage"; status: "in_progress" | "false_positive" | "risk_accepted" | "open"; pick: number }
  | { kind: "severity"; pick: number }
  | { kind: "move-team"; pick: number }
  | { kind: "retire" }
  | { kind: "unretire" }
  | { kind: "delete-image"; pick: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("scan" as const), image: fc.nat(IMAGES.length - 1), keep: fc.integer({ min: 0, max: 4 }), team: fc.nat(1), workload: fc.boolean(), escalate: fc.boolean() }) },
  fc.constant({ kind: "cluster" as const }),
  fc.constant({ kind: "bench" as const }),
  fc.constant({ kind: "runtime" as const }),
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("triage" as const), status: fc.constantFrom("in_progress" as const, "false_positive" as const, "risk_accepted" as const, "open" as const), pick: fc.nat(1000) }) },
  fc.record({ kind: fc.constant("severity" as const), pick: fc.nat(1000) }),
  fc.record({ kind: fc.constant("move-team" as const), pick: fc.nat(1000) }),
  fc.constant({ kind: "retire" as const }),
  fc.constant({ kind: "unretire" as const }),
  fc.record({ kind: fc.constant("delete-image" as const), pick: fc.nat(1000) }),
);

async function pickFindings(pick: number): Promise<string[]> {
  const ids = await db.finding.findMany({ select: { id: true }, orderBy: { id: "asc" } });
  return ids.filter((_, i) => (i + pick) % 3 === 0).map((f) => f.id);
}

async function apply(s: Step, teams: string[]): Promise<void> {
  switch (s.kind) {
    case "scan": {
      const context = { format: "auto" as const, team: TEAMS[s.team], ...(s.workload ? { cluster: "prod", namespace: TEAMS[s.team].toLowerCase(), workload: "deployment/api" } : {}) };
      await ingestReport({ body: imageReport(IMAGES[s.image], s.keep, s.escalate), context });
      return;
    }
    case "cluster":
      await ingestReport({ body: fixtureText("trivy/thirdparty_zora_trivy-k8s-cluster-vuln.json"), context: { format: "auto", cluster: "prod" } });
      return;
    case "bench":
      await ingestReport({ body: fixtureText("kube-bench/kube-bench_result_no-totals.json"), context: { format: "auto", cluster: "prod" } });
      return;
    case "runtime":
      await ingestRuntimeEvents({ body: fixtureText("falco/falco-website_syscall-k8s-alerts.jsonl"), cluster: "prod" });
      return;
    case "triage":
      await db.finding.updateMany({ where: { id: { in: await pickFindings(s.pick) } }, data: { status: s.status } });
      return;
    case "severity":
      await db.finding.updateMany({ where: { id: { in: await pickFindings(s.pick) } }, data: { severity: "critical", fixable: true } });
      return;
    case "move-team":
      await db.finding.updateMany({ where: { id: { in: await pickFindings(s.pick) } }, data: { teamId: teams[s.pick % teams.length] } });
      return;
    case "retire":
      await db.workloadImage.deleteMany({});
      await db.image.updateMany({ data: { lastScannedAt: new Date(Date.now() - 90 * 24 * 3600 * 1000) } });
      await retireImages();
      return;
    case "unretire":
      await db.image.updateMany({ where: { retiredAt: { not: null } }, data: { retiredAt: null } });
      return;
    case "delete-image": {
      const images = await db.image.findMany({ select: { id: true }, orderBy: { id: "asc" } });
      if (images.length) await db.image.delete({ where: { id: images[s.pick % images.length].id } });
      return;
    }
  }
}

/** Rows of the read model that differ from a recount of the findings (none when it is right). */
async function drift(): Promise<unknown[]> {
  const targets = await db.$queryRaw<unknown[]>`
    WITH recount AS (
      SELECT "targetKey", kind, severity, fixable, COALESCE("teamId", '') AS "teamId", COALESCE("namespaceId", '') AS "namespaceId", count(*)::int AS n
      FROM "Finding" WHERE status IN ('open', 'in_progress') GROUP BY 1, 2, 3, 4, 5, 6),
    kept AS (SELECT "targetKey", kind, severity, fixable, "teamId", "namespaceId", open AS n FROM "OpenFindingCount" WHERE open <> 0)
    (SELECT 'missing' AS problem, * FROM recount EXCEPT SELECT 'missing', * FROM kept)
    UNION ALL (SELECT 'extra', * FROM kept EXCEPT SELECT 'extra', * FROM recount)`;
  const vulnerabilities = await db.$queryRaw<unknown[]>`
    WITH recount AS (
      SELECT f."vulnerabilityId", t.team AS "teamId", f.severity, f.fixable, i."retiredAt" IS NULL AS active, count(*)::int AS n
      FROM "Finding" f LEFT JOIN "Image" i ON i.id = f."imageId", LATERAL (VALUES (COALESCE(f."teamId", '')), ('*')) AS t(team)
      WHERE f.status IN ('open', 'in_progress') AND f."vulnerabilityId" IS NOT NULL GROUP BY 1, 2, 3, 4, 5),
    kept AS (SELECT "vulnerabilityId", "teamId", severity, fixable, active, open AS n FROM "OpenVulnerabilityCount" WHERE open <> 0)
    (SELECT 'missing vulnerability' AS problem, * FROM recount EXCEPT SELECT 'missing vulnerability', * FROM kept)
    UNION ALL (SELECT 'extra vulnerability', * FROM kept EXCEPT SELECT 'extra vulnerability', * FROM recount)`;
  const images = await db.$queryRaw<unknown[]>`
    WITH recount AS (
      SELECT i.id, COALESCE(i."teamId", '') AS team, i."retiredAt" IS NOT NULL AS retired,
        EXISTS (SELECT 1 FROM "WorkloadImage" wi WHERE wi."imageId" = i.id) AS running,
        count(f.id) FILTER (WHERE f.severity = 'critical')::int AS c, count(f.id) FILTER (WHERE f.severity = 'high')::int AS h,
        count(f.id) FILTER (WHERE f.severity = 'medium')::int AS m, count(f.id) FILTER (WHERE f.severity = 'low')::int AS l,
        count(f.id) FILTER (WHERE f.severity = 'unknown')::int AS u, count(f.id) FILTER (WHERE f.fixable)::int AS fixable
      FROM "Image" i LEFT JOIN "Finding" f ON f."imageId" = i.id AND f.status IN ('open', 'in_progress') GROUP BY i.id),
    kept AS (
      SELECT i.id, p."teamId", p.retired, p.running, p.critical, p.high, p.medium, p.low, p.unknown,
        p."criticalFixable" + p."highFixable" + p."mediumFixable" + p."lowFixable" + p."unknownFixable"
      FROM "Image" i LEFT JOIN "ImagePosture" p ON p."imageId" = i.id)
    (SELECT 'image row missing or wrong' AS problem, * FROM recount EXCEPT SELECT 'image row missing or wrong', * FROM kept)
    UNION ALL (SELECT 'image row kept', * FROM kept EXCEPT SELECT 'image row kept', * FROM recount)`;
  return [...targets, ...vulnerabilities, ...images];
}

async function freshTeams(): Promise<string[]> {
  await resetDatabase();
  const teams = [];
  for (const name of TEAMS) teams.push((await createTeam(CLI_ACTOR, { name })).id);
  return teams;
}

/** Every kind of step once, in an order where each has something to act on. */
const EVERY_STEP: Step[] = [
  { kind: "scan", image: 0, keep: 4, team: 0, workload: true },
  { kind: "scan", image: 1, keep: 4, team: 1, workload: false },
  { kind: "cluster" },
  { kind: "bench" },
  { kind: "runtime" },
  { kind: "scan", image: 0, keep: 2, team: 0, workload: true },
  { kind: "scan", image: 0, keep: 2, team: 1, workload: true, escalate: true },
  { kind: "triage", status: "in_progress", pick: 1 },
  { kind: "triage", status: "false_positive", pick: 2 },
  { kind: "severity", pick: 0 },
  { kind: "move-team", pick: 1 },
  { kind: "retire" },
  { kind: "unretire" },
  { kind: "retire" },
  { kind: "scan", image: 1, keep: 3, team: 0, workload: true },
  { kind: "triage", status: "open", pick: 2 },
  { kind: "delete-image", pick: 0 },
];

describe("the posture read model", () => {
  it("equals a recount after every kind of change", async () => {
    const teams = await freshTeams();
    let changedSomething = 0;
    for (const s of EVERY_STEP) {
      const before = await db.openFindingCount.aggregate({ _sum: { open: true } });
      const vulnerabilitiesBefore = await db.openVulnerabilityCount.groupBy({ by: ["active"], _sum: { open: true } });
      await apply(s, teams);
      expect({ after: s, drift: await drift() }).toEqual({ after: s, drift: [] });
      const after = await db.openFindingCount.aggregate({ _sum: { open: true } });
      const vulnerabilitiesAfter = await db.openVulnerabilityCount.groupBy({ by: ["active"], _sum: { open: true } });
      if (before._sum.open !== after._sum.open || JSON.stringify(vulnerabilitiesBefore) !== JSON.stringify(vulnerabilitiesAfter)) changedSomething++;
    }
    // The steps really moved the counts (an empty or frozen read model would also "equal" nothing).
    expect(changedSomething).toBeGreaterThanOrEqual(10);
    expect(await db.openVulnerabilityCount.count({ where: { active: false, open: { gt: 0 } } })).toBeGreaterThan(0);
  }, 120_000);

  it("equals a recount after any sequence of ingests and changes", async () => {
    let stepsWithOpenCounts = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 4, maxLength: 12 }), async (steps) => {
        const teams = await freshTeams();
        for (const s of steps) {
          await apply(s, teams);
          expect({ after: s, drift: await drift() }).toEqual({ after: s, drift: [] });
          if ((await db.openFindingCount.count({ where: { open: { gt: 0 } } })) > 0) stepsWithOpenCounts++;
        }
      }),
      { numRuns: 10, endOnFailure: true },
    );
    // Something was counted at all (the property would hold trivially on an empty database). One
    // sequence can rightly end with nothing open (a scan that keeps nothing, then deletions), so
    // this is asserted over all the sequences.
    expect(stepsWithOpenCounts).toBeGreaterThan(10);
  }, 300_000);

  it("scores images in SQL exactly as computeScore does", async () => {
    await resetDatabase();
    await createTeam(CLI_ACTOR, { name: "Payments" });
    for (const [i, name] of IMAGES.entries()) {
      await ingestReport({ body: imageReport(name, 4), context: { format: "auto", team: "Payments", ...(i % 2 ? { cluster: "prod", namespace: "pay", workload: `deployment/app${i}` } : {}) } });
    }
    const scope = { teamIds: null };
    const { rows } = await listImages(scope, { page: 1, sort: "score", state: "all" });
    const postures = await posturesOf(scope, "image");
    expect(rows.length).toBe(await db.image.count());
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const row of rows) {
      const posture = postures.get(row.id);
      expect({ image: row.repository, score: row.score }).toEqual({ image: row.repository, score: posture?.score.value ?? 100 });
      expect(row.critical + row.high + row.medium + row.low + row.unknown).toBe(posture?.total ?? 0);
    }
    // Not a trivial agreement: the images differ, and at least one scores below 100.
    expect(new Set(rows.map((r) => r.score)).size).toBeGreaterThan(1);
    expect(computeScore([]).value).toBe(100);
  });
});
