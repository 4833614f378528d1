// Top fixes: open, fixable vulnerability findings grouped by package and installed version, with
// the lowest version that fixes every one of them (ordered by the package's ecosystem), ranked by
// what the upgrade closes, weighted by severity as the posture score weighs it.
import { z } from "zod";
import { db, Prisma } from "@/lib/db";
import type { Scope } from "@/lib/authz/policy";
import { inScope } from "@/lib/posture/read-model";
import { SCORE_RULES } from "@/lib/posture/score";
import { ecosystemOf, upgradeTarget } from "@/lib/versions/compare";

export const TOP_FIXES = 50;
export const IMAGES_PER_FIX = 20;

export const topFixesQuerySchema = z.object({
  team: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional().catch(undefined),
});

export interface TopFix {
  packageName: string;
  installedVersion: string;
  ecosystem: string;
  target: string | null;
  findings: number;
  bySeverity: { critical: number; high: number; medium: number; low: number };
  vulnerabilities: number;
  images: number;
  teams: number;
  /** images among `images` that no team owns */
  unownedImages: number;
  weight: number;
  imageList: { id: string; name: string }[];
}

interface FixGroup {
  packageName: string;
  installedVersion: string;
  purl: string | null;
  fixes: string[];
  c: number;
  h: number;
  m: number;
  l: number;
  n: number;
  vulns: number;
  images: number;
  teams: number;
  unowned: number;
}

function openFixable(scope: Scope, team: string | undefined): Prisma.Sql {
  return Prisma.sql`f.status IN ('open', 'in_progress') AND f.kind = 'vulnerability' AND f.fixable AND f."packageName" IS NOT NULL
    AND ${inScope(scope, "f")} ${team ? Prisma.sql`AND f."teamId" = ${team}` : Prisma.empty}`;
}

/** The heaviest groups, aggregated from the open findings now. */
async function liveGroups(scope: Scope, team: string | undefined): Promise<FixGroup[]> {
  const { points } = SCORE_RULES;
  // A larger work_mem keeps the grouping's sort in memory at a million findings.
  return db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`SET LOCAL work_mem = '64MB'`);
    return tx.$queryRaw<FixGroup[]>`
      SELECT f."packageName", COALESCE(f."installedVersion", '') AS "installedVersion", min(f.purl) AS purl, array_agg(DISTINCT f."fixedVersion") AS fixes,
        count(*) FILTER (WHERE f.severity = 'critical')::int AS c, count(*) FILTER (WHERE f.severity = 'high')::int AS h,
        count(*) FILTER (WHERE f.severity = 'medium')::int AS m, count(*) FILTER (WHERE f.severity = 'low')::int AS l,
        count(*)::int AS n, count(DISTINCT f."vulnerabilityId")::int AS vulns, count(DISTINCT f."imageId")::int AS images, count(DISTINCT f."teamId")::int AS teams,
        count(DISTINCT f."imageId") FILTER (WHERE f."teamId" IS NULL)::int AS unowned
      FROM "Finding" f WHERE ${openFixable(scope, team)}
      GROUP BY 1, 2
      ORDER BY (count(*) FILTER (WHERE f.severity = 'critical')) * ${points.critical}::float8 + (count(*) FILTER (WHERE f.severity = 'high')) * ${points.high}::float8
        + (count(*) FILTER (WHERE f.severity = 'medium')) * ${points.medium}::float8 + (count(*) FILTER (WHERE f.severity = 'low')) * ${points.low}::float8 DESC, count(*) DESC, 1, 2
      LIMIT ${TOP_FIXES}`;
  });
}

/**
 * The job `fixes.refresh`: the organisation-wide top fixes, recomputed and swapped in one
 * transaction. Every other view (a team, an engineer's teams) is small enough to aggregate live.
 */
export async function refreshTopFixes(now = new Date()): Promise<{ fixes: number }> {
  const groups = await liveGroups({ teamIds: null }, undefined);
  // A generous timeout: on a loaded machine the swap has waited more than the default 5 s.
  await db.$transaction(
    async (tx) => {
      await tx.topFixSnapshot.deleteMany({});
      await tx.topFixSnapshot.createMany({
        data: groups.map((g, rank) => ({
          rank, packageName: g.packageName, installedVersion: g.installedVersion, purl: g.purl, fixes: g.fixes.filter(Boolean),
          critical: g.c, high: g.h, medium: g.m, low: g.l, findings: g.n, vulnerabilities: g.vulns, images: g.images, teams: g.teams, unownedImages: g.unowned, computedAt: now,
        })),
      });
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
  return { fixes: groups.length };
}

async function snapshotGroups(): Promise<{ groups: FixGroup[]; asOf: Date } | null> {
  const rows = await db.topFixSnapshot.findMany({ orderBy: { rank: "asc" } });
  if (rows.length === 0) return null;
  return {
    asOf: rows[0].computedAt,
    groups: rows.map((r) => ({ packageName: r.packageName, installedVersion: r.installedVersion, purl: r.purl, fixes: r.fixes, c: r.critical, h: r.high, m: r.medium, l: r.low, n: r.findings, vulns: r.vulnerabilities, images: r.images, teams: r.teams, unowned: r.unownedImages })),
  };
}

/**
 * The top fixes a viewer may see. The organisation-wide list comes from the snapshot (with its
 * time) once the job has made one; a team's, or an engineer's teams', is aggregated live.
 */
export async function topFixes(scope: Scope, query: z.infer<typeof topFixesQuerySchema>): Promise<{ fixes: TopFix[]; asOf: Date | null }> {
  const snapshot = scope.teamIds === null && !query.team ? await snapshotGroups() : null;
  const groups = snapshot?.groups ?? (await liveGroups(scope, query.team));
  if (groups.length === 0) return { fixes: [], asOf: snapshot?.asOf ?? null };
  const where = openFixable(scope, query.team);
  const images = await db.$queryRaw<{ packageName: string; installedVersion: string; id: string; name: string }[]>`
    SELECT DISTINCT ON (x."packageName", x."installedVersion", x.id) x.* FROM (
      SELECT f."packageName", COALESCE(f."installedVersion", '') AS "installedVersion", i.id, r.name || COALESCE(':' || i.tags[1], '') AS name
      FROM "Finding" f JOIN "Image" i ON i.id = f."imageId" JOIN "ImageRepository" r ON r.id = i."repositoryId"
      WHERE ${where} AND (f."packageName", COALESCE(f."installedVersion", '')) IN (${Prisma.join(groups.map((g) => Prisma.sql`(${g.packageName}, ${g.installedVersion})`))})) x`;
  const byGroup = new Map<string, { id: string; name: string }[]>();
  for (const i of images) {
    const key = `${i.packageName}\u0000${i.installedVersion}`;
    const list = byGroup.get(key) ?? [];
    if (list.length < IMAGES_PER_FIX) list.push({ id: i.id, name: i.name });
    byGroup.set(key, list);
  }
  const { points } = SCORE_RULES;
  const fixes = groups.map((g) => {
    const ecosystem = ecosystemOf(g.purl);
    return {
      packageName: g.packageName,
      installedVersion: g.installedVersion,
      ecosystem,
      target: upgradeTarget(ecosystem, g.installedVersion, g.fixes),
      findings: g.n,
      bySeverity: { critical: g.c, high: g.h, medium: g.m, low: g.l },
      vulnerabilities: g.vulns,
      images: g.images,
      teams: g.teams,
      unownedImages: g.unowned,
      weight: g.c * points.critical + g.h * points.high + g.m * points.medium + g.l * points.low,
      imageList: (byGroup.get(`${g.packageName}\u0000${g.installedVersion}`) ?? []).sort((a, b) => a.name.localeCompare(b.name)),
    };
  });
  return { fixes, asOf: snapshot?.asOf ?? null };
}

/** Images on an end-of-life OS release, with the open findings they carry (from the read model). */
export async function endOfLifeImages(scope: Scope, query: z.infer<typeof topFixesQuerySchema>) {
  return db.$queryRaw<{ id: string; name: string; osName: string | null; open: number; critical: number }[]>`
    SELECT i.id, r.name || COALESCE(':' || i.tags[1], '') AS name, i."osName",
      (p.critical + p.high + p.medium + p.low + p.unknown)::int AS open, p.critical::int AS critical
    FROM "Image" i JOIN "ImageRepository" r ON r.id = i."repositoryId" JOIN "ImagePosture" p ON p."imageId" = i.id
    WHERE i."osEndOfLife" AND i."retiredAt" IS NULL AND ${inScope(scope, "i")} ${query.team ? Prisma.sql`AND i."teamId" = ${query.team}` : Prisma.empty}
    ORDER BY p.critical DESC, open DESC, name LIMIT 50`;
}
