// Teams as the viewer may see them: the list with each team's posture and what it owns, and one
// team's members, images, clusters, namespaces, overdue findings, time to fix and a small trend.
import { NotVisible } from "@/lib/authz/actor";
import { teamRowFilter, type Scope } from "@/lib/authz/policy";
import { LRUCache } from "lru-cache";
import { AT_RISK_DAYS } from "@/lib/sla/state";
import { db } from "@/lib/db";
import { listImages } from "@/lib/images/list-images";
import { checkId } from "@/lib/posture/ids";
import { NO_POSTURE, posturesOf, type Posture } from "@/lib/posture/read-model";

const DAY = 24 * 3600 * 1000;

export interface TeamSummary {
  id: string;
  name: string;
  members: number;
  images: number;
  clusters: number;
  namespaces: number;
  posture: Posture;
}

export async function listTeams(scope: Scope): Promise<TeamSummary[]> {
  const teams = await db.team.findMany({
    where: teamRowFilter(scope),
    orderBy: { name: "asc" },
    take: 1000,
    select: { id: true, name: true, _count: { select: { members: true, images: { where: { retiredAt: null } }, clusters: true, namespaces: true } } },
  });
  const postures = await posturesOf(scope, "team", teams.map((t) => t.id));
  return teams.map((t) => ({ id: t.id, name: t.name, ...t._count, posture: postures.get(t.id) ?? NO_POSTURE }));
}

export async function teamDetail(scope: Scope, id: string, now = new Date()) {
  checkId(id, "Team");
  const team = await db.team.findFirst({
    where: { AND: [{ id }, teamRowFilter(scope)] },
    select: {
      id: true, name: true,
      members: { select: { user: { select: { id: true, name: true, email: true, role: true } } } },
      clusters: { select: { id: true, name: true }, orderBy: { name: "asc" }, take: 200 },
      namespaces: { select: { id: true, name: true, cluster: { select: { id: true, name: true } } }, orderBy: { name: "asc" }, take: 500 },
      _count: { select: { images: { where: { retiredAt: null } } } },
    },
  });
  if (!team) throw new NotVisible("Team");
  const teamScope: Scope = { teamIds: [id] };
  const [postures, worstImages, [timing], trend] = await Promise.all([
    posturesOf(scope, "team", [id]),
    listImages(teamScope, { page: 1, sort: "score", state: "active" }, now),
    db.$queryRaw<{ overdue: number; atRisk: number; accepted: number; fixed90: number; medianDaysToFix: number | null }[]>`
      SELECT
        (SELECT count(*) FROM "Finding" f WHERE f."teamId" = ${id} AND f.status IN ('open', 'in_progress') AND f."dueAt" < ${now})::int AS overdue,
        (SELECT count(*) FROM "Finding" f WHERE f."teamId" = ${id} AND f.status IN ('open', 'in_progress') AND f."dueAt" >= ${now}
           AND f."dueAt" < ${new Date(now.getTime() + AT_RISK_DAYS * DAY)})::int AS "atRisk",
        (SELECT count(*) FROM "Finding" f WHERE f."teamId" = ${id} AND f.status = 'risk_accepted')::int AS accepted,
        (SELECT count(*) FROM "Finding" f WHERE f."teamId" = ${id} AND f."fixedAt" >= ${new Date(now.getTime() - 90 * DAY)} AND f.status = 'fixed')::int AS fixed90,
        (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM f."fixedAt" - f."firstSeenAt") / 86400)
           FROM "Finding" f WHERE f."teamId" = ${id} AND f."fixedAt" >= ${new Date(now.getTime() - 90 * DAY)} AND f.status = 'fixed') AS "medianDaysToFix"`,
    cachedTrend(id, now),
  ]);
  return {
    ...team,
    members: team.members.map((m) => m.user).sort((a, b) => a.email.localeCompare(b.email)),
    images: team._count.images,
    posture: postures.get(id) ?? NO_POSTURE,
    worstImages: worstImages.rows.filter((i) => i.score < 100).slice(0, 10),
    overdue: timing.overdue,
    atRisk: timing.atRisk,
    accepted: timing.accepted,
    fixedLast90Days: timing.fixed90,
    medianDaysToFix: timing.medianDaysToFix === null ? null : Math.round(timing.medianDaysToFix * 10) / 10,
    trend,
  };
}

// Weekly points change slowly: each team's trend is kept for a few minutes per process.
const trends = new LRUCache<string, { week: Date; critical: number; high: number }[]>({ max: 1000, ttl: 5 * 60 * 1000 });

async function cachedTrend(teamId: string, now: Date) {
  const hit = trends.get(teamId);
  if (hit) return hit;
  const trend = await openCriticalHighTrend(teamId, now);
  trends.set(teamId, trend);
  return trend;
}

/**
 * Open critical and high findings at the end of each of the last 12 weeks, from first-seen and
 * fixed dates (a finding that reopened counts from its last reopening). Daily snapshots (the
 * trend reports) will replace this; it reads only the team's critical and high findings.
 */
async function openCriticalHighTrend(teamId: string, now: Date) {
  // The team's critical and high findings are read once, then counted per week.
  return db.$queryRaw<{ week: Date; critical: number; high: number }[]>`
    WITH f AS MATERIALIZED (
      SELECT severity, "firstSeenAt", "fixedAt" FROM "Finding"
      WHERE "teamId" = ${teamId} AND severity IN ('critical', 'high') AND status NOT IN ('false_positive', 'not_affected', 'risk_accepted'))
    SELECT w.week,
      count(f.severity) FILTER (WHERE f.severity = 'critical')::int AS critical, count(f.severity) FILTER (WHERE f.severity = 'high')::int AS high
    FROM generate_series(${now}::timestamptz - interval '11 weeks', ${now}::timestamptz, interval '1 week') AS w(week)
    LEFT JOIN f ON f."firstSeenAt" <= w.week AND (f."fixedAt" IS NULL OR f."fixedAt" > w.week)
    GROUP BY w.week ORDER BY w.week`;
}
