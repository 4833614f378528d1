// Trend reports against a hand-built history with known answers (every number of the report
// checked), a property test (for random histories, the rollups equal an independent count of
// the same history, and an incremental rebuild equals a full one; episodes from the trigger equal
// episodes from the events), and scoping (a manager of team A sees no number of team B).
import fc from "fast-check";
import pg from "pg";
import { beforeEach, describe, expect, it } from "vitest";
import { createTeam } from "@/lib/admin/teams";
import { CLI_ACTOR } from "@/lib/authz/actor";
import { db, disconnectDb } from "@/lib/db";
import { ingestReport } from "@/lib/ingest/ingest-report";
import type { FindingStatus, Severity } from "@/lib/generated/prisma/enums";
import { loadReport, reportQuerySchema } from "@/lib/reports/report";
import { rebuildRollups } from "@/lib/reports/rollups";
import { recomputeDueDates } from "@/lib/sla/policy";
import { loadSlaSettings } from "@/lib/sla/settings";
import { resetDatabase } from "../support/db-state";
import { fixtureText } from "../support/fixtures";

const DAY = 86_400_000;
const NOW = new Date();
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
const dayAgo = (days: number) => ago(days).toISOString().slice(0, 10);

interface Step {
  daysAgo: number;
  status: FindingStatus;
  dueInDays?: number | null;
}
interface Planned {
  key: string;
  team: string;
  severity: Severity;
  firstSeen: number;
  dueInDays: number | null;
  steps: Step[];
}

let teams: Record<"a" | "b", string>;
let image: Record<"a" | "b", string>;

async function setUp() {
  await resetDatabase();
  teams = { a: (await createTeam(CLI_ACTOR, { name: "Alpha" })).id, b: (await createTeam(CLI_ACTOR, { name: "Beta" })).id };
  const repository = await db.imageRepository.create({ data: { name: "registry.acme.dev/x" } });
  image = {
    a: (await db.image.create({ data: { identityKey: "a", repositoryId: repository.id, tags: ["a"], teamId: teams.a } })).id,
    b: (await db.image.create({ data: { identityKey: "b", repositoryId: repository.id, tags: ["b"], teamId: teams.b } })).id,
  };
}

/** Creates a finding and plays its steps as the app would: a status change with its time (and a new due date when reopening), and the event that records it. */
async function play(p: Planned) {
  const teamId = teams[p.team as "a" | "b"];
  const created = await db.finding.create({
    data: {
      identityKey: p.key, kind: "vulnerability", targetKey: `image:${p.team}`, reportedBy: ["trivy"], imageId: image[p.team as "a" | "b"], teamId,
      ruleId: `CVE-${p.key}`, vulnerabilityId: `CVE-${p.key}`, title: p.key, severity: p.severity, status: "open",
      statusChangedAt: ago(p.firstSeen), firstSeenAt: ago(p.firstSeen), lastSeenAt: ago(p.firstSeen), dueAt: p.dueInDays === null ? null : ago(p.firstSeen - p.dueInDays),
    },
  });
  let status: FindingStatus = "open";
  for (const step of p.steps) {
    const at = ago(step.daysAgo);
    await db.finding.update({
      where: { id: created.id },
      data: { status: step.status, statusChangedAt: at, fixedAt: step.status === "fixed" ? at : null, ...(step.dueInDays !== undefined ? { dueAt: step.dueInDays === null ? null : ago(step.daysAgo - step.dueInDays) } : {}) },
    });
    await db.findingEvent.create({ data: { findingId: created.id, type: step.status === "fixed" ? "fixed" : step.status === "open" ? "reopened" : "status_changed", fromStatus: status, toStatus: step.status, at } });
    status = step.status;
  }
  return created.id;
}

const lead = { role: "security_lead" as const, teamIds: [] as string[] };
const report = (viewer: { role: "security_lead" | "manager" | "engineer"; teamIds: string[] }, query: Record<string, string>) => loadReport(viewer, reportQuerySchema.parse(query), NOW);

describe("a hand-built history", () => {
  beforeEach(async () => {
    await setUp();
    // firstSeen and step times are days ago; due dates are days after first seen (or after a reopening).
    await play({ key: "f1", team: "a", severity: "critical", firstSeen: 20, dueInDays: 7, steps: [{ daysAgo: 10, status: "fixed" }] });
    await play({ key: "f2", team: "a", severity: "critical", firstSeen: 25, dueInDays: 7, steps: [{ daysAgo: 22, status: "fixed" }, { daysAgo: 15, status: "open", dueInDays: 7 }, { daysAgo: 5, status: "fixed" }] });
    await play({ key: "f3", team: "a", severity: "high", firstSeen: 40, dueInDays: 30, steps: [] });
    await play({ key: "f4", team: "a", severity: "high", firstSeen: 5, dueInDays: 30, steps: [] });
    await play({ key: "f5", team: "a", severity: "medium", firstSeen: 70, dueInDays: null, steps: [{ daysAgo: 8, status: "risk_accepted" }] });
    await play({ key: "f6", team: "a", severity: "low", firstSeen: 100, dueInDays: null, steps: [{ daysAgo: 3, status: "false_positive" }] });
    await play({ key: "f7", team: "a", severity: "medium", firstSeen: 12, dueInDays: 90, steps: [{ daysAgo: 11, status: "fixed" }] });
    await play({ key: "g1", team: "b", severity: "critical", firstSeen: 6, dueInDays: 7, steps: [] });
    await rebuildRollups("all", NOW);
  });

  it("gives every number of the 30-day report of team Alpha", async () => {
    const r = await report(lead, { scope: `team:${teams.a}`, period: "30" });
    expect(r.window).toEqual({ from: dayAgo(29), to: dayAgo(0), days: 30 });
    expect(r.current).toEqual({
      open: 2, critical: 0, high: 2, accepted: 1,
      new: 4, reopened: 1, fixed: 4, closedOther: 1, acceptedNew: 1,
      // final fixes: f1 after 10 days, f2 after 20 (its first fix does not count), f7 after 1
      medianDaysToFix: 10, reopenRate: 25, closureCompliance: 50, backlogCompliance: 50, breached: 1, atRisk: 0,
    });
    expect(r.timeToRemediate.find((t) => t.severity === "critical")).toEqual({ severity: "critical", fixes: 2, median: 10, mean: 15, p90: 20, reopenRate: 33.3 });
    expect(r.timeToRemediate.find((t) => t.severity === "medium")).toMatchObject({ fixes: 1, median: 1, p90: 1 });
    expect(r.openAge).toEqual([{ bucket: "under 30 days", count: 1 }, { bucket: "31–60 days", count: 1 }, { bucket: "61–90 days", count: 0 }, { bucket: "over 90 days", count: 0 }]);
    // Ten days ago: f2 (reopened), f3, f5 (not yet accepted) and f6 were open; f1 was fixed that day.
    expect(r.openOverTime.find((p) => p.day === dayAgo(10))).toEqual({ day: dayAgo(10), accepted: 0, critical: 1, high: 1, medium: 1, low: 1, unknown: 0 });
    expect(r.openOverTime.find((p) => p.day === dayAgo(0))).toEqual({ day: dayAgo(0), accepted: 1, critical: 0, high: 2, medium: 0, low: 0, unknown: 0 });
    const weekly = r.weekly.reduce((sum, w) => ({ new: sum.new + w.new, fixed: sum.fixed + w.fixed, reopened: sum.reopened + w.reopened }), { new: 0, fixed: 0, reopened: 0 });
    expect(weekly).toEqual({ new: 4, fixed: 4, reopened: 1 });
    // The previous 30 days: f3, f5, f6 open at its end (f3 first seen 40 days ago).
    expect(r.before).toMatchObject({ open: 3, new: 1, fixed: 0 });
  });

  it("counts the organisation for a lead, only the manager's team for a manager", async () => {
    const org = await report(lead, { scope: "org", period: "30" });
    expect(org.current).toMatchObject({ open: 3, critical: 1, new: 5 });
    expect(org.teams?.map((t) => [t.name, t.critical, t.high])).toEqual([["Alpha", 0, 2], ["Beta", 1, 0]]);
    const manager = { role: "manager" as const, teamIds: [teams.a] };
    const mine = await report(manager, { scope: "org", period: "30" });
    expect(mine.current).toMatchObject({ open: 2, critical: 0, new: 4 });
    expect(mine.teams?.map((t) => t.name)).toEqual(["Alpha"]);
    expect(mine.scopeLabel).toBe("your teams");
    await expect(report(manager, { scope: `team:${teams.b}`, period: "30" })).rejects.toThrow(/not found/);
  });

  it("takes a deleted image's findings out of the history, episodes and all", async () => {
    const episodes = () => db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "FindingEpisode"`.then(([r]) => r.n);
    expect(await episodes()).toBe(9);
    await db.image.delete({ where: { id: image.b } });
    expect(await episodes()).toBe(8);
    await rebuildRollups("all", NOW);
    expect((await report(lead, { scope: "org", period: "30" })).current).toMatchObject({ open: 2, critical: 0, new: 4 });
  });
});

// ---------------------------------------------------------------- property: rollups = an independent count

const STATUSES: FindingStatus[] = ["open", "fixed", "risk_accepted", "false_positive", "not_affected", "in_progress"];
const history = fc.array(
  fc.record({
    severity: fc.constantFrom<Severity>("critical", "high", "medium", "low"),
    team: fc.constantFrom("a", "b"),
    firstSeen: fc.integer({ min: 1, max: 60 }),
    dueInDays: fc.option(fc.integer({ min: 1, max: 40 }), { nil: null }),
    changes: fc.array(fc.record({ gap: fc.integer({ min: 0, max: 9 }), status: fc.constantFrom(...STATUSES) }), { maxLength: 5 }),
  }),
  { minLength: 1, maxLength: 12 },
);

const isOpen = (s: FindingStatus) => s === "open" || s === "in_progress";

/** What each day's end should show, counted straight from the plan (not from the database). */
function expected(plans: Planned[], day: string) {
  const end = Date.parse(`${day}T00:00:00Z`) + DAY;
  const count = { open: 0, accepted: 0, breached: 0, new: 0, fixed: 0, reopened: 0 };
  for (const p of plans) {
    const times = [{ at: ago(p.firstSeen).getTime(), status: "open" as FindingStatus, due: p.dueInDays === null ? null : ago(p.firstSeen - p.dueInDays).getTime() }];
    for (const s of p.steps) times.push({ at: ago(s.daysAgo).getTime(), status: s.status, due: s.dueInDays === undefined ? times.at(-1)!.due : s.dueInDays === null ? null : ago(s.daysAgo - s.dueInDays).getTime() });
    const current = [...times].reverse().find((t) => t.at < end);
    if (current && isOpen(current.status)) {
      count.open += 1;
      if (current.due !== null && current.due < end) count.breached += 1;
    }
    if (current?.status === "risk_accepted") count.accepted += 1;
    const inDay = (t: number) => new Date(t).toISOString().slice(0, 10) === day;
    if (inDay(times[0].at)) count.new += 1;
    times.forEach((t, i) => {
      if (i === 0 || !inDay(t.at)) return;
      const before = times[i - 1].status;
      if (t.status === "fixed" && isOpen(before)) count.fixed += 1;
      if (isOpen(t.status) && before === "fixed") count.reopened += 1;
    });
  }
  return count;
}

describe("rollups, for random histories", () => {
  it("equal an independent count of the same history, however they were rebuilt", async () => {
    await fc.assert(
      fc.asyncProperty(history, async (generated) => {
        await setUp();
        const plans: Planned[] = generated.map((g, i) => {
          let daysAgo = g.firstSeen;
          let due = g.dueInDays;
          const steps: Step[] = [];
          let status: FindingStatus = "open";
          for (const c of g.changes) {
            daysAgo -= c.gap;
            // Only transitions the app makes (from a closed status: reopening, or false positive ↔ not affected), none in the future.
            const other = (x: FindingStatus) => x === "false_positive" || x === "not_affected";
            const closedToClosed = !isOpen(status) && !isOpen(c.status) && !(other(status) && other(c.status));
            if (daysAgo < 1 || c.status === status || (isOpen(c.status) && isOpen(status)) || closedToClosed) continue;
            steps.push({ daysAgo: daysAgo - 0.01 * steps.length, status: c.status, ...(isOpen(c.status) ? { dueInDays: due } : {}) });
            status = c.status;
            due = g.dueInDays;
          }
          return { key: `p${i}`, team: g.team, severity: g.severity, firstSeen: g.firstSeen, dueInDays: g.dueInDays, steps };
        });
        for (const p of plans) await play(p);
        await rebuildRollups("all", NOW);
        const rows = await db.$queryRaw<{ day: string; open: number; accepted: number; breached: number; new: number; fixed: number; reopened: number }[]>`
          SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(open)::int AS open, sum(accepted)::int AS accepted, sum(breached)::int AS breached,
            sum(new)::int AS new, sum(fixed)::int AS fixed, sum(reopened)::int AS reopened
          FROM "PostureDaily" WHERE "teamId" = '*' AND "clusterId" = '' GROUP BY day`;
        for (let d = 62; d >= 0; d--) {
          const day = dayAgo(d);
          const got = rows.find((r) => r.day === day) ?? { day, open: 0, accepted: 0, breached: 0, new: 0, fixed: 0, reopened: 0 };
          expect({ ...got, day }, day).toEqual({ day, ...expected(plans, day) });
        }
        // An incremental rebuild of yesterday and today gives the same rows as the full one.
        const full = await db.$queryRaw<unknown[]>`SELECT * FROM "PostureDaily" ORDER BY 1, 2, 3, 4, 5`;
        await rebuildRollups("recent", NOW);
        expect(await db.$queryRaw<unknown[]>`SELECT * FROM "PostureDaily" ORDER BY 1, 2, 3, 4, 5`).toEqual(full);
        // The trigger's episodes are the ones the events tell.
        const fromTrigger = await db.$queryRaw<unknown[]>`SELECT "findingId", "openedAt", "closedAt", "closedAs"::text, reopened FROM "FindingEpisode" ORDER BY 1, 2`;
        const fromEvents = await db.$queryRaw<unknown[]>`SELECT "findingId", "openedAt", "closedAt", "closedAs"::text, reopened FROM finding_episodes_from_events() ORDER BY 1, 2`;
        expect(fromTrigger).toEqual(fromEvents);
      }),
      { numRuns: 25, endOnFailure: true },
    );
  }, 240_000);
});

// ---------------------------------------------------------------- today, kept by the transactions

type TodayOp =
  | { op: "new"; severity: Severity; team: "a" | "b"; inCluster: boolean }
  | { op: "status"; pick: number; status: FindingStatus }
  | { op: "due"; pick: number; inDays: number }
  | { op: "severity"; pick: number; severity: Severity }
  | { op: "team"; pick: number }
  | { op: "place"; image: "a" | "b" }
  | { op: "unplace"; image: "a" | "b" }
  | { op: "sla"; team: "a" | "b"; days: number };

const todayOps: fc.Arbitrary<TodayOp[]> = fc.array(
  fc.oneof(
    fc.record({ op: fc.constant("new" as const), severity: fc.constantFrom<Severity>("critical", "high", "low"), team: fc.constantFrom<"a" | "b">("a", "b"), inCluster: fc.boolean() }),
    fc.record({ op: fc.constant("status" as const), pick: fc.nat(), status: fc.constantFrom<FindingStatus>(...STATUSES) }),
    fc.record({ op: fc.constant("status" as const), pick: fc.nat(), status: fc.constantFrom<FindingStatus>("fixed", "open") }),
    fc.record({ op: fc.constant("due" as const), pick: fc.nat(), inDays: fc.integer({ min: -20, max: 20 }) }),
    fc.record({ op: fc.constant("severity" as const), pick: fc.nat(), severity: fc.constantFrom<Severity>("critical", "medium") }),
    fc.record({ op: fc.constant("team" as const), pick: fc.nat() }),
    fc.record({ op: fc.constant("place" as const), image: fc.constantFrom<"a" | "b">("a", "b") }),
    fc.record({ op: fc.constant("unplace" as const), image: fc.constantFrom<"a" | "b">("a", "b") }),
    fc.record({ op: fc.constant("sla" as const), team: fc.constantFrom<"a" | "b">("a", "b"), days: fc.integer({ min: 1, max: 60 }) }),
  ),
  { minLength: 1, maxLength: 10 },
);

/** The rows a rebuild would store for today and tomorrow (all-zero rows left out: a transaction may leave one behind). */
async function rollupsFromToday() {
  const posture = await db.$queryRaw<Record<string, unknown>[]>`
    SELECT * FROM "PostureDaily" WHERE day >= (now() AT TIME ZONE 'UTC')::date
      AND (open, accepted, breached, "atRisk", age30, age60, age90, new, reopened, fixed, "fixedWithDue", "fixedOnTime", "closedOther", "acceptedNew") <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    ORDER BY 1, 2, 3, 4, 5`;
  const durations = await db.$queryRaw<Record<string, unknown>[]>`
    SELECT * FROM "FixDurationDaily" WHERE day >= (now() AT TIME ZONE 'UTC')::date AND fixes <> 0 ORDER BY 1, 2, 3, 4, 5`;
  return { posture, durations };
}

describe("today's rollups", () => {
  it("are kept by each transaction that changes findings: they equal a rebuild after any of today's changes", async () => {
    await fc.assert(
      fc.asyncProperty(history, todayOps, async (generated, ops) => {
        await setUp();
        const cluster = await db.cluster.create({ data: { name: "prod" } });
        const namespace = await db.namespace.create({ data: { clusterId: cluster.id, name: "shop" } });
        const workload = await db.workload.create({ data: { namespaceId: namespace.id, kind: "Deployment", name: "web" } });
        // A past history (as the first property test plays it, without today), counted by a full rebuild.
        const ids: string[] = [];
        for (const [i, g] of generated.entries()) {
          ids.push(await play({ key: `h${i}`, team: g.team, severity: g.severity, firstSeen: g.firstSeen, dueInDays: g.dueInDays, steps: g.changes.length > 0 ? [{ daysAgo: Math.max(1, g.firstSeen - g.changes[0].gap - 1), status: g.changes[0].status === "open" ? "fixed" : g.changes[0].status }] : [] }));
        }
        await db.workloadImage.create({ data: { workloadId: workload.id, imageId: image.a, firstSeenAt: ago(30) } });
        await rebuildRollups("all", NOW);
        // Then today's changes, each in its own statement, at times of today before now.
        const startOfToday = Date.parse(`${dayAgo(0)}T00:00:00Z`);
        const at = (k: number) => new Date(startOfToday + ((Date.now() - startOfToday) * (k + 1)) / (ops.length + 2));
        for (const [k, o] of ops.entries()) {
          const when = at(k);
          const target = ids.length > 0 && "pick" in o ? await db.finding.findUnique({ where: { id: ids[o.pick % ids.length] } }) : null;
          if (o.op === "new") {
            const created = await db.finding.create({
              data: {
                identityKey: `t${k}`, kind: "vulnerability", targetKey: `image:${o.team}`, reportedBy: ["trivy"], imageId: image[o.team], teamId: teams[o.team],
                clusterId: o.inCluster ? cluster.id : null, ruleId: `CVE-t${k}`, title: `t${k}`, severity: o.severity, status: "open",
                statusChangedAt: when, firstSeenAt: when, lastSeenAt: when, dueAt: new Date(when.getTime() + 3 * DAY),
              },
            });
            ids.push(created.id);
          } else if (o.op === "status" && target && o.status !== target.status && !(isOpen(o.status) && isOpen(target.status))) {
            await db.finding.update({ where: { id: target.id }, data: { status: o.status, statusChangedAt: when, fixedAt: o.status === "fixed" ? when : null } });
          } else if (o.op === "due" && target && isOpen(target.status)) {
            await db.finding.update({ where: { id: target.id }, data: { dueAt: new Date(when.getTime() + o.inDays * DAY) } });
          } else if (o.op === "severity" && target) {
            await db.finding.update({ where: { id: target.id }, data: { severity: o.severity } });
          } else if (o.op === "team" && target) {
            await db.finding.update({ where: { id: target.id }, data: { teamId: target.teamId === teams.a ? teams.b : teams.a } });
          } else if (o.op === "place") {
            await db.workloadImage.createMany({ data: [{ workloadId: workload.id, imageId: image[o.image], firstSeenAt: when }], skipDuplicates: true });
          } else if (o.op === "sla") {
            // A team's new SLA days: its open findings' due dates move (breached and at-risk follow).
            for (const severity of ["critical", "high", "medium", "low"] as const) {
              await db.teamSlaPolicy.upsert({ where: { teamId_severity: { teamId: teams[o.team], severity } }, create: { teamId: teams[o.team], severity, days: o.days }, update: { days: o.days } });
            }
            await db.$transaction(async (tx) => recomputeDueDates(tx, await loadSlaSettings(tx), teams[o.team]));
          } else if (o.op === "unplace") {
            await db.workloadImage.deleteMany({ where: { workloadId: workload.id, imageId: image[o.image] } });
          }
        }
        // Every open episode carries its finding's due date, however it was set.
        expect(await db.$queryRaw`SELECT f.id FROM "Finding" f JOIN "FindingEpisode" e ON e."findingId" = f.id AND e."closedAt" IS NULL WHERE e."dueAt" IS DISTINCT FROM f."dueAt"`).toEqual([]);
        const kept = await rollupsFromToday();
        await rebuildRollups("all", NOW);
        expect(kept).toEqual(await rollupsFromToday());
      }),
      { numRuns: 30, endOnFailure: true },
    );
  }, 300_000);
});

// ---------------------------------------------------------------- the hourly rebuild, while reports arrive

const onRealServer = Boolean(process.env.TEST_DATABASE_URL);
// The embedded server runs one transaction at a time, so it cannot hold one open while another waits.
if (!onRealServer && process.env.CI) throw new Error("the rebuild's concurrency test needs TEST_DATABASE_URL in CI");

describe.skipIf(!onRealServer)("the hourly rebuild", () => {
  it("holds up no ingest, and counts what an ingest changed while it ran exactly once", async () => {
    await setUp();
    await play({ key: "c1", team: "a", severity: "critical", firstSeen: 3, dueInDays: 7, steps: [] });
    await play({ key: "h1", team: "b", severity: "high", firstSeen: 2, dueInDays: 30, steps: [{ daysAgo: 1, status: "fixed" }] });
    await rebuildRollups("all", NOW);
    // A drift for the rebuild to repair: team Alpha's open criticals of today, off by 5.
    const today = dayAgo(0);
    const drifted = db.$executeRaw`UPDATE "PostureDaily" SET open = open + 5 WHERE day = ${today}::date AND "teamId" = ${teams.a} AND "clusterId" = '' AND severity = 'critical'`;
    expect(await drifted).toBe(1);
    // Another session holds that row, so the rebuild stops between reading its snapshot and writing.
    const holder = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query(`SELECT 1 FROM "PostureDaily" WHERE day = $1::date AND "teamId" = $2 AND "clusterId" = '' AND severity = 'critical' FOR UPDATE`, [today, teams.a]);
      const rebuild = rebuildRollups("recent", NOW);
      // (Asked on another connection: a transaction sees the activity as it was at its first look.)
      const rebuildWaits = async () =>
        (await db.$queryRaw<unknown[]>`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'SELECT posture_daily_rebuild(%'`).length === 1;
      await until(rebuildWaits);
      // A report of a new image meanwhile: it must land without waiting for the rebuild.
      const ingest = ingestReport({ body: fixtureText("trivy/trivy_alpine-310.json"), context: { format: "auto" } });
      const landed = await Promise.race([ingest.then(() => "landed"), new Promise((resolve) => setTimeout(() => resolve("waited for the rebuild"), 10_000))]);
      await holder.query("ROLLBACK");
      await rebuild;
      const { findings } = await ingest;
      expect(landed).toBe("landed");
      expect(findings.new).toBe(4);
      // Counted once: the drift repaired, the report's four new findings counted by its own
      // transaction and not again by the rebuild, and every row what a rebuild from scratch gives.
      const [org] = await db.$queryRaw<{ new: number; open: number }[]>`
        SELECT sum(new)::int AS new, sum(open)::int AS open FROM "PostureDaily" WHERE day = ${today}::date AND "teamId" = '*' AND "clusterId" = ''`;
      expect(org).toEqual({ new: 4, open: 5 });
      const kept = await rollupsFromToday();
      await rebuildRollups("all", NOW);
      expect(kept).toEqual(await rollupsFromToday());
    } finally {
      await holder.end();
    }
  });
});

describe.skipIf(!onRealServer)("a rollup rebuild", () => {
  it("is not cancelled by the pages' statement and lock timeouts (at scale it takes longer than they allow)", async () => {
    await setUp();
    await play({ key: "c1", team: "a", severity: "critical", firstSeen: 3, dueInDays: 7, steps: [] });
    await rebuildRollups("all", NOW);
    const today = dayAgo(0);
    await db.$executeRaw`UPDATE "PostureDaily" SET open = open + 5 WHERE day = ${today}::date AND "teamId" = ${teams.a} AND "clusterId" = '' AND severity = 'critical'`;
    // The rebuild's write waits for this row 2 s, twice what the pages may take here.
    const holder = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    await holder.query("BEGIN");
    await holder.query(`SELECT 1 FROM "PostureDaily" WHERE day = $1::date AND "teamId" = $2 AND "clusterId" = '' AND severity = 'critical' FOR UPDATE`, [today, teams.a]);
    await disconnectDb();
    process.env.DATABASE_STATEMENT_TIMEOUT_SECONDS = "1";
    try {
      const rebuild = rebuildRollups("recent", NOW);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await holder.query("ROLLBACK");
      await expect(rebuild).resolves.toMatchObject({ from: dayAgo(1) });
      const [row] = await db.$queryRaw<{ open: number }[]>`SELECT open FROM "PostureDaily" WHERE day = ${today}::date AND "teamId" = ${teams.a} AND "clusterId" = '' AND severity = 'critical'`;
      expect(row.open).toBe(1);
    } finally {
      delete process.env.DATABASE_STATEMENT_TIMEOUT_SECONDS;
      await disconnectDb();
      await holder.end();
    }
  });
});

async function until(condition: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the condition");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
