// The images list: each image with its owning team, open findings by severity, fixable count,
// where it runs and when it was last scanned. Scoped to what the viewer may see; paginated in SQL.
import { z } from "zod";
import { db, Prisma } from "@/lib/db";
import type { Scope } from "@/lib/authz/policy";

export const PAGE_SIZE = 25;

export const imageListQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  q: z.string().trim().max(200).optional().catch(undefined),
  sort: z.enum(["risk", "recent", "name"]).catch("risk"),
});
export type ImageListQuery = z.infer<typeof imageListQuerySchema>;

export interface ImageRow {
  id: string;
  repository: string;
  tags: string[];
  digest: string | null;
  team: string | null;
  critical: number;
  high: number;
  medium: number;
  low: number;
  unknown: number;
  fixable: number;
  clusters: number;
  lastScannedAt: Date | null;
  firstSeenAt: Date;
}

const orderBy: Record<ImageListQuery["sort"], Prisma.Sql> = {
  risk: Prisma.sql`critical DESC, high DESC, medium DESC, low DESC, "lastScannedAt" DESC NULLS LAST, id`,
  recent: Prisma.sql`"lastScannedAt" DESC NULLS LAST, id`,
  name: Prisma.sql`repository, id`,
};

export async function listImages(scope: Scope, query: ImageListQuery): Promise<{ rows: ImageRow[]; total: number }> {
  const conditions: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (scope.teamIds !== null) conditions.push(Prisma.sql`i."teamId" = ANY(${scope.teamIds}::text[])`);
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(Prisma.sql`(r.name ILIKE ${like} OR array_to_string(i.tags, ' ') ILIKE ${like} OR i.digest ILIKE ${like})`);
  }
  const where = Prisma.join(conditions, " AND ");
  const offset = (query.page - 1) * PAGE_SIZE;
  const rows = await db.$queryRaw<ImageRow[]>`
    WITH visible AS (
      SELECT i.id, r.name AS repository, i.tags, i.digest, t.name AS team, i."lastScannedAt", i."firstSeenAt",
        COALESCE(c.critical, 0)::int AS critical, COALESCE(c.high, 0)::int AS high, COALESCE(c.medium, 0)::int AS medium,
        COALESCE(c.low, 0)::int AS low, COALESCE(c.unknown, 0)::int AS unknown, COALESCE(c.fixable, 0)::int AS fixable
      FROM "Image" i
      JOIN "ImageRepository" r ON r.id = i."repositoryId"
      LEFT JOIN "Team" t ON t.id = i."teamId"
      LEFT JOIN (
        SELECT "imageId",
          count(*) FILTER (WHERE severity = 'critical') AS critical, count(*) FILTER (WHERE severity = 'high') AS high,
          count(*) FILTER (WHERE severity = 'medium') AS medium, count(*) FILTER (WHERE severity = 'low') AS low,
          count(*) FILTER (WHERE severity = 'unknown') AS unknown, count(*) FILTER (WHERE fixable) AS fixable
        FROM "Finding" WHERE status IN ('open', 'in_progress') AND "imageId" IS NOT NULL
        GROUP BY "imageId"
      ) c ON c."imageId" = i.id
      WHERE ${where}
    )
    SELECT v.*, (
      SELECT count(DISTINCT n."clusterId")::int FROM "WorkloadImage" wi
      JOIN "Workload" w ON w.id = wi."workloadId" JOIN "Namespace" n ON n.id = w."namespaceId"
      WHERE wi."imageId" = v.id) AS clusters
    FROM visible v
    ORDER BY ${orderBy[query.sort]}
    LIMIT ${PAGE_SIZE} OFFSET ${offset}`;
  const [{ total }] = await db.$queryRaw<{ total: number }[]>`
    SELECT count(*)::int AS total FROM "Image" i JOIN "ImageRepository" r ON r.id = i."repositoryId" WHERE ${where}`;
  return { rows, total };
}
