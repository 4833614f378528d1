// The images list: each image with its owning team, score, open findings by severity, fixable
// count, OS, age, where it runs and when it was last scanned. Counts come from the posture read
// model (thousands of rows), never from the findings; scoped, filtered and sorted in SQL.
import { z } from "zod";
import { db, Prisma } from "@/lib/db";
import type { Scope } from "@/lib/authz/policy";
import { env } from "@/lib/env";
import { SEVERITIES, type Severity } from "@/lib/findings/model";
import { inScope, scoreSql } from "@/lib/posture/read-model";
import { gradeOf, type Grade } from "@/lib/posture/score";

export const PAGE_SIZE = 25;

const flag = z.enum(["1", "true"]).transform(() => true).optional().catch(undefined);
const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional().catch(undefined);

export const imageListQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  q: z.string().trim().max(200).optional().catch(undefined),
  sort: z.enum(["score", "critical", "age", "scanned", "name"]).catch("score"),
  team: id,
  cluster: id,
  severity: z.enum(["critical", "high", "medium", "low"]).optional().catch(undefined),
  fixable: flag,
  eosl: flag,
  stale: flag,
  running: z.enum(["yes", "no"]).optional().catch(undefined),
  /** active (default): retired images left out; retired: only those; all */
  state: z.enum(["active", "retired", "all"]).catch("active"),
});
export type ImageListQuery = z.infer<typeof imageListQuerySchema>;

export interface ImageRow {
  id: string;
  repository: string;
  tags: string[];
  digest: string | null;
  teamId: string | null;
  team: string | null;
  score: number;
  grade: Grade;
  critical: number;
  high: number;
  medium: number;
  low: number;
  unknown: number;
  fixable: number;
  osName: string | null;
  osFamily: string | null;
  osEndOfLife: boolean;
  builtAt: Date | null;
  clusters: number;
  lastScannedAt: Date | null;
  firstSeenAt: Date;
  retiredAt: Date | null;
}

const orderBy: Record<ImageListQuery["sort"], Prisma.Sql> = {
  score: Prisma.sql`score, critical DESC, high DESC, "lastScannedAt" DESC NULLS LAST, id`,
  critical: Prisma.sql`critical DESC, high DESC, score, id`,
  age: Prisma.sql`"builtAt" ASC NULLS LAST, id`,
  scanned: Prisma.sql`"lastScannedAt" DESC NULLS LAST, id`,
  name: Prisma.sql`repository, id`,
};

function escapeLike(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function atLeast(severity: Severity): Prisma.Sql {
  const columns = SEVERITIES.slice(0, SEVERITIES.indexOf(severity) + 1).map((s) => Prisma.raw(`v.${s}`));
  return Prisma.sql`(${Prisma.join(columns, " + ")}) > 0`;
}

export async function listImages(scope: Scope, query: ImageListQuery, now = new Date()): Promise<{ rows: ImageRow[]; total: number }> {
  const staleBefore = new Date(now.getTime() - env().posture.staleAfterDays * 24 * 3600 * 1000);
  const image: Prisma.Sql[] = [Prisma.sql`TRUE`];
  image.push(inScope(scope, "i"));
  if (query.team) image.push(Prisma.sql`i."teamId" = ${query.team}`);
  if (query.q) {
    const like = escapeLike(query.q);
    image.push(Prisma.sql`(r.name ILIKE ${like} OR array_to_string(i.tags, ' ') ILIKE ${like} OR i.digest ILIKE ${like})`);
  }
  if (query.state === "active") image.push(Prisma.sql`i."retiredAt" IS NULL`);
  if (query.state === "retired") image.push(Prisma.sql`i."retiredAt" IS NOT NULL`);
  if (query.eosl) image.push(Prisma.sql`i."osEndOfLife"`);
  if (query.stale) image.push(Prisma.sql`COALESCE(i."lastScannedAt", i."firstSeenAt") < ${staleBefore}`);
  const outer: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (query.severity) outer.push(atLeast(query.severity));
  if (query.fixable) outer.push(Prisma.sql`v.fixable > 0`);
  if (query.running === "yes") outer.push(Prisma.sql`v.clusters > 0`);
  if (query.running === "no") outer.push(Prisma.sql`v.clusters = 0`);
  if (query.cluster) outer.push(Prisma.sql`${query.cluster} = ANY(v."clusterIds")`);

  const rows = await db.$queryRaw<(Omit<ImageRow, "grade"> & { total: number })[]>`
    WITH placed AS (
      SELECT wi."imageId", array_agg(DISTINCT n."clusterId") AS "clusterIds" FROM "WorkloadImage" wi
      JOIN "Workload" w ON w.id = wi."workloadId" JOIN "Namespace" n ON n.id = w."namespaceId"
      GROUP BY wi."imageId"),
    visible AS (
      SELECT i.id, r.name AS repository, i.tags, i.digest, i."teamId", t.name AS team, i."osName", i."osFamily", i."osEndOfLife",
        i."builtAt", i."lastScannedAt", i."firstSeenAt", i."retiredAt", COALESCE(p."clusterIds", '{}') AS "clusterIds"
      FROM "Image" i
      JOIN "ImageRepository" r ON r.id = i."repositoryId"
      LEFT JOIN "Team" t ON t.id = i."teamId"
      LEFT JOIN placed p ON p."imageId" = i.id
      WHERE ${Prisma.join(image, " AND ")}),
    counted AS (
      SELECT c."imageId",
        ${Prisma.join(SEVERITIES.map((s) => Prisma.raw(`COALESCE(sum(c.open) FILTER (WHERE c.severity = '${s}'), 0)::int AS ${s}`)), ", ")},
        COALESCE(sum(c.open) FILTER (WHERE c.fixable), 0)::int AS fixable,
        ${scoreSql(`cardinality(v."clusterIds") > 0`)} AS score
      FROM visible v JOIN "OpenFindingCount" c ON c."imageId" = v.id
      WHERE c.open > 0 AND ${inScope(scope)}
      GROUP BY c."imageId", v."clusterIds"),
    listed AS (
      SELECT v.*, cardinality(v."clusterIds")::int AS clusters, COALESCE(k.score, 100) AS score,
        ${Prisma.join(SEVERITIES.map((s) => Prisma.raw(`COALESCE(k.${s}, 0) AS ${s}`)), ", ")}, COALESCE(k.fixable, 0) AS fixable
      FROM visible v LEFT JOIN counted k ON k."imageId" = v.id)
    SELECT v.*, count(*) OVER ()::int AS total FROM listed v
    WHERE ${Prisma.join(outer, " AND ")}
    ORDER BY ${orderBy[query.sort]}
    LIMIT ${PAGE_SIZE} OFFSET ${(query.page - 1) * PAGE_SIZE}`;
  const total = rows[0]?.total ?? (query.page > 1 ? await countOnly(scope, { ...query, page: 1 }, now) : 0);
  return { rows: rows.map((row) => ({ ...row, grade: gradeOf(row.score) })), total };
}

/** A page past the end still says how many there are. */
async function countOnly(scope: Scope, query: ImageListQuery, now: Date): Promise<number> {
  return (await listImages(scope, query, now)).total;
}
