// The images list: each image with its owning team, score, open findings by severity, fixable
// count, OS, age, where it runs and when it was last scanned. Counts and score are read from the
// image's row of the read model (ImagePosture), never from the findings; scoped, filtered and
// sorted in SQL on stored values.
import { z } from "zod";
import { db, Prisma } from "@/lib/db";
import type { Scope } from "@/lib/authz/policy";
import { env } from "@/lib/env";
import { SEVERITIES, type Severity } from "@/lib/findings/model";
import { inScope } from "@/lib/posture/read-model";
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

// The order of each sort (every column NULLS LAST, then id). The read API pages by the last row's
// values in it (a keyset), so images added or rescored while a client pages through do not shift
// the pages it has yet to read.
interface SortKey {
  column: "score" | "critical" | "high" | "lastScannedAt" | "builtAt" | "repository";
  type: "number" | "date" | "text";
  desc?: true;
}
const SCORE: SortKey = { column: "score", type: "number" };
const CRITICAL: SortKey = { column: "critical", type: "number", desc: true };
const HIGH: SortKey = { column: "high", type: "number", desc: true };
const SCANNED: SortKey = { column: "lastScannedAt", type: "date", desc: true };
const SORT_KEYS: Record<ImageListQuery["sort"], SortKey[]> = {
  score: [SCORE, CRITICAL, HIGH, SCANNED],
  critical: [CRITICAL, HIGH, SCORE],
  age: [{ column: "builtAt", type: "date" }],
  scanned: [SCANNED],
  name: [{ column: "repository", type: "text" }],
};

const col = (key: SortKey) => Prisma.raw(`v."${key.column}"`);

function orderBy(sort: ImageListQuery["sort"]): Prisma.Sql {
  const keys = SORT_KEYS[sort].map((key) => Prisma.sql`${col(key)} ${Prisma.raw(key.desc ? "DESC" : "ASC")} NULLS LAST`);
  return Prisma.join([...keys, Prisma.sql`v.id`], ", ");
}

/** Where a row stands in its sort: its values of the sort's columns (dates as ISO text), and its id. */
export interface ImagePosition {
  values: (string | number | null)[];
  id: string;
}

/** Whether values can be a position in this sort (one per column, each of its column's type): a cursor comes from outside. */
export function isPosition(sort: ImageListQuery["sort"], values: unknown[]): values is ImagePosition["values"] {
  const keys = SORT_KEYS[sort];
  return (
    values.length === keys.length &&
    keys.every((key, i) => {
      const v = values[i];
      if (key.type === "date") return v === null || (typeof v === "string" && !Number.isNaN(Date.parse(v)));
      return key.type === "text" ? typeof v === "string" : typeof v === "number" && Number.isFinite(v);
    })
  );
}

export function positionOf(row: ImageRow, sort: ImageListQuery["sort"]): ImagePosition {
  const valueOf = (key: SortKey) => {
    const value = row[key.column];
    return value instanceof Date ? value.toISOString() : value;
  };
  return { values: SORT_KEYS[sort].map(valueOf), id: row.id };
}

/** SQL for "the row comes after this position": after on the first column that differs (NULLS LAST). */
function after(sort: ImageListQuery["sort"], position: ImagePosition): Prisma.Sql {
  const keys = SORT_KEYS[sort];
  const value = (key: SortKey, v: string | number | null) => (key.type === "date" && typeof v === "string" ? new Date(v) : v);
  const branches: Prisma.Sql[] = [];
  for (let i = 0; i <= keys.length; i++) {
    const equal = keys.slice(0, i).map((key, j) => Prisma.sql`${col(key)} IS NOT DISTINCT FROM ${value(key, position.values[j])}`);
    let beyond: Prisma.Sql;
    if (i === keys.length) beyond = Prisma.sql`v.id > ${position.id}`;
    else if (position.values[i] === null) continue; // nothing comes after a null but through later columns
    else beyond = Prisma.sql`(${col(keys[i])} ${Prisma.raw(keys[i].desc ? "<" : ">")} ${value(keys[i], position.values[i])} OR ${col(keys[i])} IS NULL)`;
    branches.push(Prisma.join([...equal, beyond], " AND "));
  }
  return Prisma.sql`(${Prisma.join(branches.map((b) => Prisma.sql`(${b})`), " OR ")})`;
}

function escapeLike(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function atLeast(severity: Severity): Prisma.Sql {
  const columns = SEVERITIES.slice(0, SEVERITIES.indexOf(severity) + 1).map((s) => Prisma.raw(`v.${s}`));
  return Prisma.sql`(${Prisma.join(columns, " + ")}) > 0`;
}

/** A page of images: the page's by default, or any window: an offset (the pages), or the rows after a position (the read API; `total` then counts from there). */
export interface ImageWindow {
  offset: number;
  limit: number;
  after?: ImagePosition;
}

export async function listImages(scope: Scope, query: ImageListQuery, now = new Date(), window: ImageWindow = { offset: (query.page - 1) * PAGE_SIZE, limit: PAGE_SIZE }): Promise<{ rows: ImageRow[]; total: number }> {
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
  if (query.running === "yes") outer.push(Prisma.sql`cardinality(v."clusterIds") > 0`);
  if (query.running === "no") outer.push(Prisma.sql`cardinality(v."clusterIds") = 0`);
  if (query.cluster) outer.push(Prisma.sql`${query.cluster} = ANY(v."clusterIds")`);
  if (window.after) outer.push(after(query.sort, window.after));

  // Counts and score are the image's "ImagePosture" row (kept by triggers); only what runs where is joined here.
  const rows = await db.$queryRaw<(Omit<ImageRow, "grade"> & { total: number })[]>`
    WITH placed AS (
      SELECT wi."imageId", array_agg(DISTINCT n."clusterId") AS "clusterIds" FROM "WorkloadImage" wi
      JOIN "Workload" w ON w.id = wi."workloadId" JOIN "Namespace" n ON n.id = w."namespaceId"
      GROUP BY wi."imageId"),
    listed AS (
      SELECT i.id, r.name AS repository, i.tags, i.digest, i."teamId", t.name AS team, i."osName", i."osFamily", i."osEndOfLife",
        i."builtAt", i."lastScannedAt", i."firstSeenAt", i."retiredAt", COALESCE(p."clusterIds", '{}') AS "clusterIds",
        COALESCE(cardinality(p."clusterIds"), 0)::int AS clusters, COALESCE(ip.score, 100) AS score,
        COALESCE(ip.critical, 0) AS critical, COALESCE(ip.high, 0) AS high, COALESCE(ip.medium, 0) AS medium, COALESCE(ip.low, 0) AS low,
        COALESCE(ip.unknown, 0) AS unknown,
        COALESCE(ip."criticalFixable" + ip."highFixable" + ip."mediumFixable" + ip."lowFixable" + ip."unknownFixable", 0) AS fixable
      FROM "Image" i
      JOIN "ImageRepository" r ON r.id = i."repositoryId"
      LEFT JOIN "Team" t ON t.id = i."teamId"
      LEFT JOIN placed p ON p."imageId" = i.id
      LEFT JOIN "ImagePosture" ip ON ip."imageId" = i.id
      WHERE ${Prisma.join(image, " AND ")})
    SELECT v.*, count(*) OVER ()::int AS total FROM listed v
    WHERE ${Prisma.join(outer, " AND ")}
    ORDER BY ${orderBy(query.sort)}
    LIMIT ${window.limit} OFFSET ${window.offset}`;
  const total = rows[0]?.total ?? (window.offset > 0 ? await countOnly(scope, { ...query, page: 1 }, now) : 0);
  return { rows: rows.map((row) => ({ ...row, grade: gradeOf(row.score) })), total };
}

/** A page past the end still says how many there are. */
async function countOnly(scope: Scope, query: ImageListQuery, now: Date): Promise<number> {
  return (await listImages(scope, query, now)).total;
}
