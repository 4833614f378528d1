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
  weight: number;
  imageList: { id: string; name: string }[];
}

export async function topFixes(scope: Scope, query: z.infer<typeof topFixesQuerySchema>): Promise<TopFix[]> {
  const where = Prisma.sql`f.status IN ('open', 'in_progress') AND f.kind = 'vulnerability' AND f.fixable AND f."packageName" IS NOT NULL
    AND ${inScope(scope, "f")} ${query.team ? Prisma.sql`AND f."teamId" = ${query.team}` : Prisma.empty}`;
  const { points } = SCORE_RULES;
  const groups = await db.$queryRaw<{ packageName: string; installedVersion: string; purl: string | null; fixes: string[]; c: number; h: number; m: number; l: number; n: number; vulns: number; images: number; teams: number }[]>`
    SELECT f."packageName", COALESCE(f."installedVersion", '') AS "installedVersion", min(f.purl) AS purl, array_agg(DISTINCT f."fixedVersion") AS fixes,
      count(*) FILTER (WHERE f.severity = 'critical')::int AS c, count(*) FILTER (WHERE f.severity = 'high')::int AS h,
      count(*) FILTER (WHERE f.severity = 'medium')::int AS m, count(*) FILTER (WHERE f.severity = 'low')::int AS l,
      count(*)::int AS n, count(DISTINCT f."vulnerabilityId")::int AS vulns, count(DISTINCT f."imageId")::int AS images, count(DISTINCT f."teamId")::int AS teams
    FROM "Finding" f WHERE ${where}
    GROUP BY 1, 2
    ORDER BY (count(*) FILTER (WHERE f.severity = 'critical')) * ${points.critical}::float8 + (count(*) FILTER (WHERE f.severity = 'high')) * ${points.high}::float8
      + (count(*) FILTER (WHERE f.severity = 'medium')) * ${points.medium}::float8 + (count(*) FILTER (WHERE f.severity = 'low')) * ${points.low}::float8 DESC, count(*) DESC, 1, 2
    LIMIT ${TOP_FIXES}`;
  if (groups.length === 0) return [];
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
  return groups.map((g) => {
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
      weight: g.c * points.critical + g.h * points.high + g.m * points.medium + g.l * points.low,
      imageList: (byGroup.get(`${g.packageName}\u0000${g.installedVersion}`) ?? []).sort((a, b) => a.name.localeCompare(b.name)),
    };
  });
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
