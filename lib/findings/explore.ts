// The findings explorer: every finding the viewer may see, filtered, searched, sorted on indexed
// columns and paged by keyset (a cursor, never an offset), with facet counts that stay cheap:
// exact up to COUNT_BOUND matches, otherwise read from the posture read model when the filter
// allows it, else left out. The same query feeds the page, its JSON route and the CSV export.
import { z } from "zod";
import { db, Prisma } from "@/lib/db";
import type { Scope } from "@/lib/authz/policy";
import { FINDING_KINDS, FINDING_STATUSES, OPEN_STATUSES, SEVERITIES, type FindingKind, type Severity } from "@/lib/findings/model";
import { inScope } from "@/lib/posture/read-model";
import { AT_RISK_DAYS } from "@/lib/sla/state";

export const PAGE_SIZE = 50;
export const COUNT_BOUND = 10_000;

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const list = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((s) => s.split(",").filter(Boolean))
    .pipe(z.array(z.enum(values)).max(values.length))
    .optional()
    .catch(undefined);

export const findingQuerySchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  severity: list(SEVERITIES),
  kind: list(FINDING_KINDS),
  /** default: open and in progress */
  status: list(FINDING_STATUSES),
  team: id.optional().catch(undefined),
  cluster: id.optional().catch(undefined),
  namespace: id.optional().catch(undefined),
  image: id.optional().catch(undefined),
  /** one target by its key ("artifact:github.com/acme/shop", "image:…") */
  target: z.string().max(600).optional().catch(undefined),
  fixable: z.enum(["1", "true"]).transform(() => true).optional().catch(undefined),
  /** who reported it, as stored: "trivy", "trivy (sarif)", a SARIF tool's own name ("semgrep oss (sarif)") */
  tool: z.string().trim().min(1).max(300).optional().catch(undefined),
  rule: z
    .string()
    .transform((s) => s.split(",").map((r) => r.trim()).filter(Boolean))
    .pipe(z.array(z.string().max(200)).max(20))
    .optional()
    .catch(undefined),
  vuln: z.string().trim().max(200).optional().catch(undefined),
  /** the queue: assigned to the viewer, or to nobody */
  assignee: z.enum(["me", "none"]).optional().catch(undefined),
  /** SLA state: past due, or due within 7 days */
  sla: z.enum(["breached", "at_risk"]).optional().catch(undefined),
  // No "last seen" order: an index on lastSeenAt would make every rescan's refresh of a finding
  // a non-HOT update of all its indexes (it more than doubled ingest time).
  sort: z.enum(["severity", "first_seen", "due"]).catch("severity"),
  after: z.string().max(300).optional().catch(undefined),
});
export type FindingQuery = z.infer<typeof findingQuerySchema>;

export interface FindingRow {
  id: string;
  kind: FindingKind;
  severity: Severity;
  status: string;
  ruleId: string;
  title: string;
  vulnerabilityId: string | null;
  packageName: string | null;
  installedVersion: string | null;
  fixedVersion: string | null;
  fixable: boolean;
  imageId: string | null;
  target: string;
  teamId: string | null;
  team: string | null;
  clusterId: string | null;
  cluster: string | null;
  namespace: string | null;
  reportedBy: string[];
  firstSeenAt: Date;
  lastSeenAt: Date;
  dueAt: Date | null;
  assigneeId: string | null;
  assignee: string | null;
}

/** Words of a search as a prefix tsquery ("log4j core" → 'log4j':* & 'core':*); null when nothing searchable is left. */
export function searchQuery(q: string): string | null {
  const words = q
    .toLowerCase()
    .split(/[^a-z0-9._-]+/)
    .map((w) => w.replace(/^[-._]+|[-._]+$/g, ""))
    .filter(Boolean)
    .slice(0, 8);
  return words.length ? words.map((w) => `'${w}':*`).join(" & ") : null;
}

/** "cve-2021-44228" → "CVE-2021-44228": a search that is one whole advisory id. */
export function vulnerabilityIdOf(q: string): string | null {
  const match = /^\s*((?:CVE-\d{4}-\d{4,})|(?:GHSA(?:-[23456789cfghjmpqrvwx]{4}){3}))\s*$/i.exec(q);
  if (!match) return null;
  return match[1].toUpperCase().startsWith("GHSA") ? `GHSA${match[1].slice(4).toLowerCase()}` : match[1].toUpperCase();
}

/** The filter as SQL on "Finding" f, always including the viewer's scope. */
export function findingWhere(scope: Scope, query: FindingQuery): Prisma.Sql {
  const where: Prisma.Sql[] = [];
  where.push(inScope(scope, "f"));
  // The default (open) is written as the literal the partial indexes are defined with, so that
  // keyset pages walk an index in order.
  if (isOpenOnly(query)) where.push(Prisma.sql`f.status IN ('open', 'in_progress')`);
  else where.push(Prisma.sql`f.status = ANY(${query.status}::"FindingStatus"[])`);
  if (query.severity?.length) where.push(Prisma.sql`f.severity = ANY(${query.severity}::"Severity"[])`);
  if (query.kind?.length) where.push(Prisma.sql`f.kind = ANY(${query.kind}::"FindingKind"[])`);
  if (query.team) where.push(Prisma.sql`f."teamId" = ${query.team}`);
  if (query.namespace) where.push(Prisma.sql`f."namespaceId" = ${query.namespace}`);
  if (query.image) where.push(Prisma.sql`f."imageId" = ${query.image}`);
  if (query.target) where.push(Prisma.sql`f."targetKey" = ${query.target}`);
  if (query.fixable) where.push(Prisma.sql`f.fixable`);
  if (query.tool) where.push(Prisma.sql`${query.tool} = ANY(f."reportedBy")`);
  if (query.rule?.length) where.push(Prisma.sql`f."ruleId" = ANY(${query.rule}::text[])`);
  if (query.vuln) where.push(Prisma.sql`f."vulnerabilityId" = ${query.vuln}`);
  // As an equality on the queue index's expression, so "soonest due first" walks it in order.
  if (query.assignee === "none") where.push(Prisma.sql`COALESCE(f."assigneeId", '') = ''`);
  if (query.assignee === "me") where.push(scope.userId ? Prisma.sql`COALESCE(f."assigneeId", '') = ${scope.userId}` : Prisma.sql`FALSE`);
  if (query.sla) {
    const now = new Date();
    where.push(query.sla === "breached" ? Prisma.sql`f."dueAt" < ${now}` : Prisma.sql`f."dueAt" >= ${now} AND f."dueAt" < ${new Date(now.getTime() + AT_RISK_DAYS * 86_400_000)}`);
  }
  if (query.cluster) {
    // In a cluster: its own findings, and those of the images running in it.
    where.push(Prisma.sql`(f."clusterId" = ${query.cluster} OR f."imageId" IN (
      SELECT wi."imageId" FROM "WorkloadImage" wi JOIN "Workload" w ON w.id = wi."workloadId" JOIN "Namespace" n ON n.id = w."namespaceId"
      WHERE n."clusterId" = ${query.cluster}))`);
  }
  const id = query.q ? vulnerabilityIdOf(query.q) : null;
  const tsquery = query.q && !id ? searchQuery(query.q) : null;
  // A whole vulnerability id is looked up by its index; words go through the full-text index.
  if (id) where.push(Prisma.sql`f."vulnerabilityId" = ${id}`);
  if (tsquery) where.push(Prisma.sql`finding_search_document(f."vulnerabilityId", f."packageName", f."ruleId", f.title) @@ to_tsquery('simple', ${tsquery})`);
  return Prisma.join(where, " AND ");
}

// Keyset order per sort: the cursor holds the last row's sort value and id.
const ORDER = {
  severity: { column: Prisma.sql`f.severity`, cast: Prisma.sql`::"Severity"`, direction: "ASC" },
  first_seen: { column: Prisma.sql`f."firstSeenAt"`, cast: Prisma.sql`::timestamp`, direction: "DESC" },
  // Soonest due first; findings without a due date last.
  due: { column: Prisma.sql`f."dueAt"`, cast: Prisma.sql`::timestamp`, direction: "ASC NULLS LAST" },
} as const;

function cursorOf(row: FindingRow, sort: FindingQuery["sort"]): string {
  const value = sort === "severity" ? row.severity : sort === "due" ? (row.dueAt?.toISOString() ?? null) : row.firstSeenAt.toISOString();
  return Buffer.from(JSON.stringify([value, row.id])).toString("base64url");
}

/** Whether a cursor is one cursorOf gave out for this sort (the read API refuses others; the page starts over). */
export function isFindingCursor(cursor: string, sort: FindingQuery["sort"]): boolean {
  try {
    const [value] = z.tuple([z.string().max(64).nullable(), id]).parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    if (sort === "severity") return value !== null && (SEVERITIES as readonly string[]).includes(value);
    return value === null ? sort === "due" : !Number.isNaN(Date.parse(value));
  } catch {
    return false;
  }
}

function afterCursor(cursor: string | undefined, sort: FindingQuery["sort"]): Prisma.Sql {
  if (!cursor) return Prisma.sql`TRUE`;
  try {
    const [value, lastId] = z.tuple([z.string().max(64).nullable(), id]).parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    const { column, cast } = ORDER[sort];
    if (sort === "severity") {
      if (value === null || !(SEVERITIES as readonly string[]).includes(value)) return Prisma.sql`TRUE`;
      return Prisma.sql`(${column}, f.id) > (${value}${cast}, ${lastId})`;
    }
    if (sort === "due" && value === null) return Prisma.sql`(${column} IS NULL AND f.id > ${lastId})`;
    if (value === null || Number.isNaN(Date.parse(value))) return Prisma.sql`TRUE`;
    const typed = new Date(value).toISOString().replace("Z", "");
    return sort === "due"
      ? Prisma.sql`(${column} > ${typed}${cast} OR ${column} IS NULL OR (${column} = ${typed}${cast} AND f.id > ${lastId}))`
      : Prisma.sql`(${column} < ${typed}${cast} OR (${column} = ${typed}${cast} AND f.id > ${lastId}))`;
  } catch {
    return Prisma.sql`TRUE`;
  }
}

export async function findFindings(scope: Scope, query: FindingQuery, limit = PAGE_SIZE): Promise<{ rows: FindingRow[]; next: string | null }> {
  const { column, direction } = ORDER[query.sort];
  const rows = await db.$queryRaw<FindingRow[]>`
    SELECT f.id, f.kind, f.severity, f.status, f."ruleId", f.title, f."vulnerabilityId", f."packageName", f."installedVersion", f."fixedVersion",
      f.fixable, f."imageId", f."teamId", t.name AS team, f."clusterId", c.name AS cluster, n.name AS namespace, f."reportedBy",
      f."firstSeenAt", GREATEST(f."lastSeenAt", s."lastSeenAt") AS "lastSeenAt", f."dueAt", f."assigneeId", COALESCE(u.name, u.email) AS assignee,
      COALESCE(r.name || COALESCE(':' || i.tags[1], ''), c.name, f."targetKey") AS target
    FROM "Finding" f
    LEFT JOIN "Team" t ON t.id = f."teamId"
    LEFT JOIN "Image" i ON i.id = f."imageId"
    LEFT JOIN "ImageRepository" r ON r.id = i."repositoryId"
    LEFT JOIN "Cluster" c ON c.id = f."clusterId"
    LEFT JOIN "Namespace" n ON n.id = f."namespaceId"
    LEFT JOIN "User" u ON u.id = f."assigneeId"
    LEFT JOIN "FindingSighting" s ON s."findingId" = f.id
    WHERE ${findingWhere(scope, query)} AND ${afterCursor(query.after, query.sort)}
    ORDER BY ${column} ${Prisma.raw(direction)}, f.id
    LIMIT ${limit + 1}`;
  const page = rows.slice(0, limit);
  return { rows: page, next: rows.length > limit ? cursorOf(page[page.length - 1], query.sort) : null };
}

export interface Facets {
  /** exact when below COUNT_BOUND; null when only "more than COUNT_BOUND" is known */
  total: number | null;
  /** where the facet counts come from */
  source: "exact" | "read-model" | "none";
  severity: Partial<Record<Severity, number>>;
  kind: Partial<Record<FindingKind, number>>;
  fixable: number | null;
  team: Record<string, number>;
  cluster: Record<string, number>;
  tool: Record<string, number>;
  status: Record<string, number>;
}

/** No status chosen, or exactly the open ones. */
function isOpenOnly(query: FindingQuery): boolean {
  const chosen = new Set(query.status ?? []);
  return chosen.size === 0 || (chosen.size === OPEN_STATUSES.length && OPEN_STATUSES.every((s) => chosen.has(s)));
}

/** Facets the read model can answer: the open statuses, and filters it has columns for. */
function readModelAnswers(query: FindingQuery): boolean {
  return isOpenOnly(query) && !query.assignee && !query.sla && !query.target && !query.q && !query.tool && !query.rule?.length && !query.vuln && !query.cluster && !query.namespace;
}

export async function findingFacets(scope: Scope, query: FindingQuery): Promise<Facets> {
  const exact = await exactFacets(findingWhere(scope, query));
  if (exact) return exact;
  if (readModelAnswers(query)) return readModelFacets(scope, query);
  return { total: null, source: "none", severity: {}, kind: {}, fixable: null, team: {}, cluster: {}, tool: {}, status: {} };
}

/** Facet counts over the matches, read once and at most COUNT_BOUND + 1 of them; null when there are more. */
async function exactFacets(where: Prisma.Sql): Promise<Facets | null> {
  const rows = await db.$queryRaw<{ facet: string; value: string | null; n: number }[]>`
    WITH m AS MATERIALIZED (
      SELECT f.severity, f.kind, f.fixable, f."teamId", f."clusterId", f."imageId", f."reportedBy", f.status FROM "Finding" f WHERE ${where}
      LIMIT ${COUNT_BOUND + 1}),
    placed AS (
      SELECT DISTINCT wi."imageId", n."clusterId" FROM "WorkloadImage" wi JOIN "Workload" w ON w.id = wi."workloadId" JOIN "Namespace" n ON n.id = w."namespaceId"
      WHERE wi."imageId" IN (SELECT "imageId" FROM m))
    SELECT 'total' AS facet, NULL AS value, count(*)::int AS n FROM m
    UNION ALL SELECT 'severity' AS facet, severity::text AS value, count(*)::int AS n FROM m GROUP BY 2
    UNION ALL SELECT 'kind', kind::text, count(*)::int FROM m GROUP BY 2
    UNION ALL SELECT 'fixable', fixable::text, count(*)::int FROM m GROUP BY 2
    UNION ALL SELECT 'team', "teamId", count(*)::int FROM m GROUP BY 2
    UNION ALL SELECT 'cluster', cluster, count(*)::int FROM (
      SELECT "clusterId" AS cluster FROM m WHERE "clusterId" IS NOT NULL
      UNION ALL SELECT p."clusterId" FROM m JOIN placed p ON p."imageId" = m."imageId") x GROUP BY 2
    UNION ALL SELECT 'status', status::text, count(*)::int FROM m GROUP BY 2
    UNION ALL SELECT 'tool', t, count(*)::int FROM m, unnest(m."reportedBy") AS t GROUP BY 2`;
  const total = rows.find((r) => r.facet === "total")?.n ?? 0;
  if (total > COUNT_BOUND) return null;
  const facets: Facets = { total, source: "exact", severity: {}, kind: {}, fixable: 0, team: {}, cluster: {}, tool: {}, status: {} };
  for (const r of rows) {
    if (r.value === null) continue;
    if (r.facet === "fixable") facets.fixable = r.value === "true" ? r.n : facets.fixable;
    else (facets[r.facet as "team"] as Record<string, number>)[r.value] = r.n;
  }
  return facets;
}

async function readModelFacets(scope: Scope, query: FindingQuery): Promise<Facets> {
  const where: Prisma.Sql[] = [Prisma.sql`c.open > 0`, inScope(scope)];
  if (query.severity?.length) where.push(Prisma.sql`c.severity = ANY(${query.severity}::"Severity"[])`);
  if (query.kind?.length) where.push(Prisma.sql`c.kind = ANY(${query.kind}::"FindingKind"[])`);
  if (query.team) where.push(Prisma.sql`c."teamId" = ${query.team}`);
  if (query.image) where.push(Prisma.sql`c."imageId" = ${query.image}`);
  if (query.fixable) where.push(Prisma.sql`c.fixable`);
  const rows = await db.$queryRaw<{ severity: Severity; kind: FindingKind; fixable: boolean; teamId: string; clusterId: string | null; n: number }[]>`
    SELECT c.severity, c.kind, c.fixable, c."teamId", c."clusterId", sum(c.open)::int AS n FROM "OpenFindingCount" c
    WHERE ${Prisma.join(where, " AND ")} GROUP BY 1, 2, 3, 4, 5`;
  // A cluster counts its own findings and those of the images running in it (as the cluster filter does).
  const clusters = await db.$queryRaw<{ clusterId: string; n: number }[]>`
    WITH placed AS (
      SELECT DISTINCT wi."imageId", n."clusterId" FROM "WorkloadImage" wi JOIN "Workload" w ON w.id = wi."workloadId" JOIN "Namespace" n ON n.id = w."namespaceId")
    SELECT "clusterId", sum(n)::int AS n FROM (
      SELECT c."clusterId", c.open AS n FROM "OpenFindingCount" c WHERE c."clusterId" IS NOT NULL AND ${Prisma.join(where, " AND ")}
      UNION ALL SELECT p."clusterId", c.open FROM "OpenFindingCount" c JOIN placed p ON p."imageId" = c."imageId" WHERE ${Prisma.join(where, " AND ")}) x
    GROUP BY 1`;
  const facets: Facets = { total: 0, source: "read-model", severity: {}, kind: {}, fixable: 0, team: {}, cluster: {}, tool: {}, status: {} };
  const add = (record: Record<string, number>, key: string | null, n: number) => {
    if (key) record[key] = (record[key] ?? 0) + n;
  };
  for (const r of rows) {
    facets.total! += r.n;
    add(facets.severity, r.severity, r.n);
    add(facets.kind, r.kind, r.n);
    add(facets.team, r.teamId, r.n);
    if (r.fixable) facets.fixable! += r.n;
  }
  for (const c of clusters) facets.cluster[c.clusterId] = c.n;
  return facets;
}
