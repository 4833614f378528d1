// Reading the posture read model (OpenFindingCount, OpenVulnerabilityCount): open findings of a
// scope grouped by image, team, cluster or for the whole organisation, with scores. These tables
// hold thousands of rows where "Finding" holds millions; the triggers that keep them are in
// prisma/routines/posture-read-model.sql. Retired images are left out of every count here.
import { db, Prisma } from "@/lib/db";
import type { Scope } from "@/lib/authz/policy";
import { SEVERITIES, type FindingKind, type Severity } from "@/lib/findings/model";
import { computeScore, type Score } from "@/lib/posture/score";

export type SeverityCounts = Record<Severity, number>;

export interface Posture {
  /** open findings (vulnerability × image, and every other kind) by severity */
  findings: SeverityCounts;
  total: number;
  fixable: number;
  byKind: Partial<Record<FindingKind, number>>;
  score: Score;
}

export interface CountRow {
  key: string;
  /** null for rows summed from ImagePosture (images' findings of every kind) */
  kind: FindingKind | null;
  severity: Severity;
  fixable: boolean;
  running: boolean;
  open: number;
}

export function emptySeverityCounts(): SeverityCounts {
  return Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as SeverityCounts;
}

export function foldPosture(rows: readonly Omit<CountRow, "key">[]): Posture {
  const findings = emptySeverityCounts();
  const byKind: Posture["byKind"] = {};
  let fixable = 0;
  for (const r of rows) {
    findings[r.severity] += r.open;
    if (r.kind) byKind[r.kind] = (byKind[r.kind] ?? 0) + r.open;
    if (r.fixable) fixable += r.open;
  }
  const total = SEVERITIES.reduce((sum, s) => sum + findings[s], 0);
  return { findings, total, fixable, byKind, score: computeScore(rows.map((r) => ({ ...r, count: r.open }))) };
}

/** Folds rows into one posture per key; keys without rows are left out (callers default them). */
export function posturesByKey(rows: readonly CountRow[]): Map<string, Posture> {
  const grouped = new Map<string, CountRow[]>();
  for (const row of rows) grouped.set(row.key, [...(grouped.get(row.key) ?? []), row]);
  return new Map([...grouped].map(([key, list]) => [key, foldPosture(list)]));
}

export const NO_POSTURE: Posture = foldPosture([]);

/** SQL: the row (a finding, count, image… aliased `alias`) belongs to a team the scope may see. */
export function inScope(scope: Scope, alias = "c"): Prisma.Sql {
  if (scope.teamIds === null) return Prisma.sql`TRUE`;
  const column = Prisma.raw(`${alias}."teamId"`);
  // One team (the usual engineer) as an equality, which the planner matches to (teamId, …) indexes in order.
  return scope.teamIds.length === 1 ? Prisma.sql`${column} = ${scope.teamIds[0]}` : Prisma.sql`${column} = ANY(${scope.teamIds}::text[])`;
}

// Rows of retired images are left out; a row not about an image (cluster findings) always "runs".
const ACTIVE_JOINS = Prisma.sql`LEFT JOIN "Image" ri ON ri.id = c."imageId" LEFT JOIN (SELECT DISTINCT "imageId" FROM "WorkloadImage") run ON run."imageId" = c."imageId"`;
const ACTIVE_ROWS = Prisma.sql`c.open > 0 AND ri."retiredAt" IS NULL`;
const RUNNING = Prisma.sql`(c."imageId" IS NULL OR run."imageId" IS NOT NULL)`;

export type Grouping = "org" | "image" | "team" | "cluster";

/**
 * Count rows of a scope, grouped. A cluster's rows are its own findings (misconfigurations, CIS,
 * runtime) plus the findings of the images running in it; `keys` limits the groups read.
 */
export async function countRows(scope: Scope, grouping: Grouping, keys?: readonly string[]): Promise<CountRow[]> {
  const only = (column: Prisma.Sql) => (keys ? Prisma.sql`AND ${column} = ANY(${[...keys]}::text[])` : Prisma.empty);
  if (grouping === "cluster") {
    return db.$queryRaw<CountRow[]>`
      WITH running AS (
        SELECT DISTINCT n."clusterId", wi."imageId" FROM "WorkloadImage" wi
        JOIN "Workload" w ON w.id = wi."workloadId" JOIN "Namespace" n ON n.id = w."namespaceId"
        WHERE TRUE ${only(Prisma.sql`n."clusterId"`)})
      SELECT key, kind, severity, fixable, TRUE AS running, sum(open)::int AS open FROM (
        SELECT r."clusterId" AS key, c.kind, c.severity, c.fixable, c.open FROM running r JOIN "OpenFindingCount" c ON c."imageId" = r."imageId"
        WHERE c.open > 0 AND ${inScope(scope)}
        UNION ALL
        SELECT c."clusterId", c.kind, c.severity, c.fixable, c.open FROM "OpenFindingCount" c
        WHERE c."clusterId" IS NOT NULL AND c.open > 0 AND ${inScope(scope)} ${only(Prisma.sql`c."clusterId"`)}
      ) x GROUP BY 1, 2, 3, 4`;
  }
  if (grouping === "org" || grouping === "team") return teamRows(scope, grouping, keys);
  // By image: the images' own count rows, with whether each runs and without retired ones.
  const key = Prisma.sql`c."imageId"`;
  return db.$queryRaw<CountRow[]>`
    SELECT ${key} AS key, c.kind, c.severity, c.fixable, ${RUNNING} AS running, sum(c.open)::int AS open
    FROM "OpenFindingCount" c ${ACTIVE_JOINS}
    WHERE ${ACTIVE_ROWS} AND c."imageId" IS NOT NULL AND ${inScope(scope)} ${only(key)}
    GROUP BY 1, 2, 3, 4, 5`;
}

const SEVERITY_COLUMNS = SEVERITIES.map((s) => Prisma.raw(`sum(ip.${s})::int AS ${s}, sum(ip."${s}Fixable")::int AS "${s}Fixable"`));
const UNPIVOT = Prisma.raw(
  SEVERITIES.flatMap((s) => [`('${s}'::"Severity", TRUE, img."${s}Fixable")`, `('${s}'::"Severity", FALSE, img.${s} - img."${s}Fixable")`]).join(", "),
);

/**
 * Per team (or for the organisation): the images' rows of ImagePosture (one per image, summed
 * per team and running, then unfolded by severity and fix), plus the count rows of findings that
 * are not about an image (cluster misconfigurations, CIS, runtime). Image rows carry no kind.
 */
async function teamRows(scope: Scope, grouping: "org" | "team", keys?: readonly string[]): Promise<CountRow[]> {
  const imageKey = grouping === "org" ? Prisma.sql`''` : Prisma.sql`ip."teamId"`;
  const countKey = grouping === "org" ? Prisma.sql`''` : Prisma.sql`c."teamId"`;
  const onlyImages = keys && grouping === "team" ? Prisma.sql`AND ip."teamId" = ANY(${[...keys]}::text[])` : Prisma.empty;
  const onlyCounts = keys && grouping === "team" ? Prisma.sql`AND c."teamId" = ANY(${[...keys]}::text[])` : Prisma.empty;
  return db.$queryRaw<CountRow[]>`
    WITH img AS (
      SELECT ${imageKey} AS key, ip.running, ${Prisma.join(SEVERITY_COLUMNS, ", ")}
      FROM "ImagePosture" ip WHERE NOT ip.retired AND ${inScope(scope, "ip")} ${onlyImages}
      GROUP BY 1, 2)
    SELECT img.key, NULL AS kind, v.severity, v.fixable, img.running, v.n AS open
    FROM img CROSS JOIN LATERAL (VALUES ${UNPIVOT}) AS v(severity, fixable, n) WHERE v.n > 0
    UNION ALL
    SELECT ${countKey}, c.kind, c.severity, c.fixable, TRUE, sum(c.open)::int FROM "OpenFindingCount" c
    WHERE c."imageId" IS NULL AND c.open > 0 AND ${inScope(scope)} ${onlyCounts}
    GROUP BY 1, 2, 3, 4`;
}


export async function posturesOf(scope: Scope, grouping: Exclude<Grouping, "org">, keys?: readonly string[]): Promise<Map<string, Posture>> {
  return posturesByKey(await countRows(scope, grouping, keys));
}

/**
 * SQL: the "OpenVulnerabilityCount" rows (aliased c) of a scope, or of one of its teams: the
 * organisation's own rows (team "*") for everyone, the teams' rows otherwise.
 */
export function vulnerabilityScope(scope: Scope, team?: string): Prisma.Sql {
  if (team) return scope.teamIds === null || scope.teamIds.includes(team) ? Prisma.sql`c."teamId" = ${team}` : Prisma.sql`FALSE`;
  return scope.teamIds === null ? Prisma.sql`c."teamId" = '*'` : inScope(scope);
}

/** Unique vulnerabilities open in a scope, each counted once at its highest severity. */
export async function uniqueVulnerabilities(scope: Scope): Promise<SeverityCounts> {
  const rows = await db.$queryRaw<{ severity: Severity; n: number }[]>`
    SELECT severity, count(*)::int AS n FROM (
      SELECT c."vulnerabilityId", min(c.severity) AS severity FROM "OpenVulnerabilityCount" c
      WHERE c.open > 0 AND c.active AND ${vulnerabilityScope(scope)} GROUP BY 1) v
    GROUP BY 1`;
  const counts = emptySeverityCounts();
  for (const r of rows) counts[r.severity] = r.n;
  return counts;
}
