// A trend report: every number of /reports and its CSV, read from the daily rollups (never from
// the findings), for the organisation, a team or a cluster, over a period and the one before it.
// Managers and engineers see only their teams: their "organisation" is their teams together.
import { z } from "zod";
import { db, Prisma } from "@/lib/db";
import { NotVisible } from "@/lib/authz/errors";
import { scopeOfViewer, seesAllTeams } from "@/lib/authz/policy";
import { SEVERITIES, type Severity } from "@/lib/findings/model";
import { visibleClusterIds } from "@/lib/posture/choices";
import type { Role } from "@/lib/generated/prisma/enums";
import { addDays, daysBetween, durationStats, percent, weekOf } from "@/lib/reports/stats";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((d) => !Number.isNaN(Date.parse(d)));
export const reportQuerySchema = z.object({
  scope: z.string().regex(/^(org|team:[A-Za-z0-9_-]{1,64}|cluster:[A-Za-z0-9_-]{1,64})$/).catch("org"),
  period: z.enum(["30", "90", "365", "custom"]).catch("90"),
  from: day.optional().catch(undefined),
  to: day.optional().catch(undefined),
});
export type ReportQuery = z.infer<typeof reportQuerySchema>;

export interface ReportViewer {
  role: Role;
  teamIds: string[];
}

export interface Window {
  from: string;
  to: string;
  days: number;
}

interface DayRow {
  day: string;
  severity: Severity;
  open: number;
  accepted: number;
  breached: number;
  atRisk: number;
  age30: number;
  age60: number;
  age90: number;
  new: number;
  reopened: number;
  fixed: number;
  fixedWithDue: number;
  fixedOnTime: number;
  closedOther: number;
  acceptedNew: number;
}

export interface Headline {
  open: number;
  critical: number;
  high: number;
  accepted: number;
  new: number;
  reopened: number;
  fixed: number;
  closedOther: number;
  acceptedNew: number;
  medianDaysToFix: number | null;
  reopenRate: number | null;
  closureCompliance: number | null;
  backlogCompliance: number | null;
  breached: number;
  atRisk: number;
}

export interface Report {
  window: Window;
  previous: Window;
  scopeLabel: string;
  asOf: string;
  current: Headline;
  before: Headline;
  openOverTime: ({ day: string; accepted: number } & Record<Severity, number>)[];
  weekly: { week: string; new: number; reopened: number; fixed: number; closedOther: number; acceptedNew: number; closureCompliance: number | null; backlogCompliance: number | null }[];
  timeToRemediate: { severity: Severity; fixes: number; median: number | null; mean: number | null; p90: number | null; reopenRate: number | null }[];
  openAge: { bucket: string; count: number }[];
  exceptions: { active: number; requested: number; expiringIn30Days: number };
  teams: { id: string; name: string; critical: number; high: number; criticalHighBefore: number; medianDaysToFix: number | null; closureCompliance: number | null; backlogCompliance: number | null }[] | null;
}

/** The period asked for, ending today (UTC) unless a custom one is given; the previous one has the same length. */
export function windowOf(query: ReportQuery, now = new Date()): { window: Window; previous: Window } {
  const today = now.toISOString().slice(0, 10);
  let from: string;
  let to = today;
  if (query.period === "custom" && query.from && query.to && query.from <= query.to) {
    from = query.from;
    to = query.to > today ? today : query.to;
    if (daysBetween(from, to) > 731) from = addDays(to, -730);
  } else {
    from = addDays(today, -(Number(query.period === "custom" ? "90" : query.period) - 1));
  }
  const days = daysBetween(from, to);
  return { window: { from, to, days }, previous: { from: addDays(from, -days), to: addDays(from, -1), days } };
}

interface Resolved {
  teams: Prisma.Sql;
  cluster: string;
  label: string;
  /** for the team comparison: which teams (null: every team) */
  teamIds: string[] | null;
}

/** Which rollup rows a viewer's scope reads; NotVisible for a team or cluster they may not see. */
async function resolveScope(viewer: ReportViewer, scope: string): Promise<Resolved> {
  const all = seesAllTeams(viewer.role);
  const [kind, id] = scope.split(":");
  const own = viewer.teamIds;
  const teamsSql = all ? Prisma.sql`r."teamId" = '*'` : own.length ? Prisma.sql`r."teamId" = ANY(${own}::text[])` : Prisma.sql`FALSE`;
  if (kind === "team") {
    if (!all && !own.includes(id)) throw new NotVisible("Team");
    const team = await db.team.findUnique({ where: { id }, select: { name: true } });
    if (!team) throw new NotVisible("Team");
    return { teams: Prisma.sql`r."teamId" = ${id}`, cluster: "", label: `team ${team.name}`, teamIds: [id] };
  }
  if (kind === "cluster") {
    if (!(await visibleClusterIds(scopeOfViewer(viewer), [id])).has(id)) throw new NotVisible("Cluster");
    const cluster = await db.cluster.findUnique({ where: { id }, select: { name: true } });
    if (!cluster) throw new NotVisible("Cluster");
    return { teams: teamsSql, cluster: id, label: `cluster ${cluster.name}${all ? "" : " (your teams)"}`, teamIds: all ? null : own };
  }
  return { teams: teamsSql, cluster: "", label: all ? "the organisation" : "your teams", teamIds: all ? null : own };
}

const zero = (): Omit<DayRow, "day" | "severity"> => ({ open: 0, accepted: 0, breached: 0, atRisk: 0, age30: 0, age60: 0, age90: 0, new: 0, reopened: 0, fixed: 0, fixedWithDue: 0, fixedOnTime: 0, closedOther: 0, acceptedNew: 0 });

async function dailyRows(r: Resolved, from: string, to: string): Promise<DayRow[]> {
  return db.$queryRaw<DayRow[]>`
    SELECT to_char(r.day, 'YYYY-MM-DD') AS day, r.severity, sum(r.open)::int AS open, sum(r.accepted)::int AS accepted, sum(r.breached)::int AS breached,
      sum(r."atRisk")::int AS "atRisk", sum(r.age30)::int AS age30, sum(r.age60)::int AS age60, sum(r.age90)::int AS age90, sum(r.new)::int AS new,
      sum(r.reopened)::int AS reopened, sum(r.fixed)::int AS fixed, sum(r."fixedWithDue")::int AS "fixedWithDue", sum(r."fixedOnTime")::int AS "fixedOnTime",
      sum(r."closedOther")::int AS "closedOther", sum(r."acceptedNew")::int AS "acceptedNew"
    FROM "PostureDaily" r
    WHERE ${r.teams} AND r."clusterId" = ${r.cluster} AND r.day BETWEEN ${from}::date AND ${to}::date
    GROUP BY r.day, r.severity`;
}

async function durations(r: Resolved, from: string, to: string): Promise<{ severity: Severity; days: number; fixes: number }[]> {
  return db.$queryRaw`
    SELECT r.severity, r.days, sum(r.fixes)::int AS fixes FROM "FixDurationDaily" r
    WHERE ${r.teams} AND r."clusterId" = ${r.cluster} AND r.day BETWEEN ${from}::date AND ${to}::date
    GROUP BY 1, 2`;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function sumRows(rows: DayRow[]): Omit<DayRow, "day" | "severity"> {
  const total = zero();
  for (const row of rows) for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += row[key];
  return total;
}

function headline(rows: DayRow[], window: Window, fixes: { severity: Severity; days: number; fixes: number }[]): Headline {
  const end = rows.filter((r) => r.day === window.to);
  const stock = sumRows(end);
  const flows = sumRows(rows);
  const histogram = new Map<number, number>();
  for (const f of fixes) histogram.set(f.days, (histogram.get(f.days) ?? 0) + f.fixes);
  return {
    open: stock.open,
    critical: end.filter((r) => r.severity === "critical").reduce((s, r) => s + r.open, 0),
    high: end.filter((r) => r.severity === "high").reduce((s, r) => s + r.open, 0),
    accepted: stock.accepted,
    new: flows.new,
    reopened: flows.reopened,
    fixed: flows.fixed,
    closedOther: flows.closedOther,
    acceptedNew: flows.acceptedNew,
    medianDaysToFix: durationStats(histogram)?.median ?? null,
    reopenRate: percent(flows.reopened, flows.fixed),
    closureCompliance: percent(flows.fixedOnTime, flows.fixedWithDue),
    backlogCompliance: percent(stock.open - stock.breached, stock.open),
    breached: stock.breached,
    atRisk: stock.atRisk,
  };
}

async function exceptionCounts(r: Resolved, now: Date): Promise<Report["exceptions"]> {
  const teamMatch = r.teamIds === null ? Prisma.sql`TRUE` : Prisma.sql`COALESCE(e."teamId", f."teamId") = ANY(${r.teamIds}::text[])`;
  // In a cluster: exceptions scoped to it, and those of findings of the cluster or of images that ran there.
  const clusterMatch = r.cluster
    ? Prisma.sql`(e."clusterId" = ${r.cluster} OR f."clusterId" = ${r.cluster} OR f."imageId" IN (SELECT "imageId" FROM "ImageClusterPeriod" WHERE "clusterId" = ${r.cluster}))`
    : Prisma.sql`TRUE`;
  const [row] = await db.$queryRaw<Report["exceptions"][]>`
    SELECT count(*) FILTER (WHERE e.status = 'approved')::int AS active, count(*) FILTER (WHERE e.status = 'pending')::int AS requested,
      count(*) FILTER (WHERE e.status = 'approved' AND e."expiresAt" <= ${new Date(now.getTime() + 30 * 86_400_000)})::int AS "expiringIn30Days"
    FROM "RiskException" e LEFT JOIN "Finding" f ON f.id = e."findingId"
    WHERE e.status IN ('approved', 'pending') AND ${teamMatch} AND ${clusterMatch}`;
  return row;
}

async function teamComparison(viewer: ReportViewer, r: Resolved, window: Window, previous: Window): Promise<Report["teams"]> {
  if (viewer.role === "engineer") return null;
  const teams = await db.team.findMany({ where: r.teamIds === null ? {} : { id: { in: r.teamIds } }, select: { id: true, name: true }, orderBy: { name: "asc" } });
  if (teams.length === 0) return [];
  const ids = teams.map((t) => t.id);
  const stock = await db.$queryRaw<{ teamId: string; day: string; ch: number; critical: number; high: number; open: number; breached: number; fixedOnTime: number; fixedWithDue: number }[]>`
    SELECT r."teamId", to_char(r.day, 'YYYY-MM-DD') AS day,
      sum(r.open) FILTER (WHERE r.severity IN ('critical', 'high'))::int AS ch, sum(r.open) FILTER (WHERE r.severity = 'critical')::int AS critical,
      sum(r.open) FILTER (WHERE r.severity = 'high')::int AS high, sum(r.open)::int AS open, sum(r.breached)::int AS breached, 0 AS "fixedOnTime", 0 AS "fixedWithDue"
    FROM "PostureDaily" r WHERE r."teamId" = ANY(${ids}::text[]) AND r."clusterId" = ${r.cluster} AND r.day IN (${window.to}::date, ${previous.to}::date)
    GROUP BY 1, 2
    UNION ALL
    SELECT r."teamId", 'period', 0, 0, 0, 0, 0, sum(r."fixedOnTime")::int, sum(r."fixedWithDue")::int
    FROM "PostureDaily" r WHERE r."teamId" = ANY(${ids}::text[]) AND r."clusterId" = ${r.cluster} AND r.day BETWEEN ${window.from}::date AND ${window.to}::date
    GROUP BY 1`;
  const fixes = await db.$queryRaw<{ teamId: string; days: number; fixes: number }[]>`
    SELECT r."teamId", r.days, sum(r.fixes)::int AS fixes FROM "FixDurationDaily" r
    WHERE r."teamId" = ANY(${ids}::text[]) AND r."clusterId" = ${r.cluster} AND r.day BETWEEN ${window.from}::date AND ${window.to}::date GROUP BY 1, 2`;
  return teams.map((team) => {
    const now = stock.find((s) => s.teamId === team.id && s.day === window.to);
    const then = stock.find((s) => s.teamId === team.id && s.day === previous.to);
    const period = stock.find((s) => s.teamId === team.id && s.day === "period");
    const histogram = new Map(fixes.filter((f) => f.teamId === team.id).map((f) => [f.days, f.fixes]));
    return {
      id: team.id,
      name: team.name,
      critical: now?.critical ?? 0,
      high: now?.high ?? 0,
      criticalHighBefore: then?.ch ?? 0,
      medianDaysToFix: durationStats(histogram)?.median ?? null,
      closureCompliance: percent(period?.fixedOnTime ?? 0, period?.fixedWithDue ?? 0),
      backlogCompliance: percent((now?.open ?? 0) - (now?.breached ?? 0), now?.open ?? 0),
    };
  });
}

export async function loadReport(viewer: ReportViewer, query: ReportQuery, now = new Date()): Promise<Report> {
  const { window, previous } = windowOf(query, now);
  const scope = await resolveScope(viewer, query.scope);
  const [rows, fixesNow, fixesBefore, exceptions, teams] = await Promise.all([
    dailyRows(scope, previous.from, window.to),
    durations(scope, window.from, window.to),
    durations(scope, previous.from, previous.to),
    exceptionCounts(scope, now),
    teamComparison(viewer, scope, window, previous),
  ]);
  const inWindow = rows.filter((r) => r.day >= window.from);
  const inPrevious = rows.filter((r) => r.day < window.from);
  const byDay = groupBy(inWindow, (r) => r.day);

  const openOverTime: Report["openOverTime"] = [];
  for (let d = window.from; d <= window.to; d = addDays(d, 1)) {
    const point = { day: d, accepted: 0, critical: 0, high: 0, medium: 0, low: 0, unknown: 0 };
    for (const r of byDay.get(d) ?? []) {
      point[r.severity] += r.open;
      point.accepted += r.accepted;
    }
    openOverTime.push(point);
  }

  const weeks = groupBy(inWindow, (r) => weekOf(r.day));
  const weekly = [...weeks.keys()].sort().map((week) => {
    const flows = sumRows(weeks.get(week)!);
    const lastDay = [...new Set(weeks.get(week)!.map((r) => r.day))].sort().at(-1)!;
    const end = sumRows(weeks.get(week)!.filter((r) => r.day === lastDay));
    return {
      week,
      new: flows.new,
      reopened: flows.reopened,
      fixed: flows.fixed,
      closedOther: flows.closedOther,
      acceptedNew: flows.acceptedNew,
      closureCompliance: percent(flows.fixedOnTime, flows.fixedWithDue),
      backlogCompliance: percent(end.open - end.breached, end.open),
    };
  });

  const timeToRemediate = SEVERITIES.map((severity) => {
    const stats = durationStats(new Map(fixesNow.filter((f) => f.severity === severity).map((f) => [f.days, f.fixes])));
    const flows = sumRows(inWindow.filter((r) => r.severity === severity));
    return { severity, fixes: stats?.count ?? 0, median: stats?.median ?? null, mean: stats?.mean ?? null, p90: stats?.p90 ?? null, reopenRate: percent(flows.reopened, flows.fixed) };
  });

  const end = sumRows(byDay.get(window.to) ?? []);
  const openAge = [
    { bucket: "under 30 days", count: end.open - end.age30 },
    { bucket: "31–60 days", count: end.age30 - end.age60 },
    { bucket: "61–90 days", count: end.age60 - end.age90 },
    { bucket: "over 90 days", count: end.age90 },
  ];

  return {
    window,
    previous,
    scopeLabel: scope.label,
    asOf: now.toISOString(),
    current: headline(inWindow, window, fixesNow),
    before: headline(inPrevious, previous, fixesBefore),
    openOverTime,
    weekly,
    timeToRemediate,
    openAge,
    exceptions,
    teams,
  };
}
