// The lifecycle merge: one scan's findings against the living set of its target, set-based.
// Findings are COPYed into a staging table, then: fixed ones that return are reopened, ones still
// present are refreshed (human decisions kept; a row is rewritten only when the scanner says
// something new of it) and their sighting recorded (FindingSighting), new identities are created
// (with this scan as their first), and ones this tool no longer reports are closed as fixed by
// this scan. Every change after creation is a FindingEvent.
import { copyRows, type Sql } from "@/lib/sql";
import { identityKey } from "@/lib/findings/identity";
import { catalogueKey } from "@/lib/findings/catalogue";
import { isFixable, type FindingKind, type NormalisedFinding } from "@/lib/findings/model";
import type { SlaSettings } from "@/lib/sla/settings";

export type SlaClock = Pick<SlaSettings, "reopenRestartsClock" | "clockStartsAtFix">;

/** Where in a cluster a finding is, when the report says (namespace and workload rows). */
export interface Placement {
  namespaceId: string;
  workloadId: string;
  teamId: string | null;
}

export type MergeFinding = NormalisedFinding & { placement?: Placement | null };

/**
 * What a scan may close of its target's findings that it no longer reports: all of them, or,
 * for a report that looked at part of a cluster, those in the namespaces it covered (and the
 * cluster-scoped ones when it covered those).
 */
/** What a report may close: all of its target, the namespaces it covered, or nothing (it skipped entries). */
export type CloseScope = "all" | "none" | { namespaceIds: string[]; clusterScoped: boolean };

export interface MergeInput {
  scanId: string;
  tool: string;
  targetKey: string;
  imageId: string | null;
  clusterId: string | null;
  teamId: string | null;
  now: Date;
  findings: MergeFinding[];
  closes?: CloseScope;
  /** The kinds the report looked for: it closes only findings of those kinds (all when left out). */
  checks?: FindingKind[];
  /** The catalogue scope the findings' vulnerability entries were written under (lib/findings/catalogue.ts). */
  catalogueScope?: string;
  /** How due dates are counted; the defaults when left out. */
  sla?: SlaClock;
}

export interface MergeCounts {
  total: number;
  new: number;
  reopened: number;
  fixed: number;
  unchanged: number;
}

/** Distinct identities of a report; when a scanner lists one twice, the first listing wins. */
export function distinctByIdentity<F extends NormalisedFinding>(findings: readonly F[]): F[] {
  const seen = new Map<string, F>();
  for (const f of findings) if (!seen.has(f.localKey)) seen.set(f.localKey, f);
  return [...seen.values()];
}

export type SeverityCounts = Record<"critical" | "high" | "medium" | "low" | "unknown", number>;

export function severityCounts(findings: readonly NormalisedFinding[]): SeverityCounts {
  const counts: SeverityCounts = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}

const INCOMING_COLUMNS = ["k", "kind", "rule", "title", "sev", "cvss", "vid", "vk", "pkg", "ver", "path", "purl", "fix", "fixable", "sst", "loc", "line", "det", "ns", "wl", "team", "init"] as const;

async function stageFindings(sql: Sql, input: MergeInput, findings: readonly MergeFinding[]): Promise<void> {
  // One report can merge several targets in its transaction: each gets a fresh staging table.
  await sql.query(`DROP TABLE IF EXISTS incoming_finding`);
  await sql.query(
    `CREATE TEMP TABLE incoming_finding (k text, kind text, rule text, title text, sev text, cvss float8, vid text, vk text, pkg text, ver text,
       path text, purl text, fix text, fixable boolean, sst text, loc text, line int, det jsonb, ns text, wl text, team text, init text) ON COMMIT DROP`,
  );
  // The identities of the staged findings that are already known (filled with their sightings).
  await sql.query(`DROP TABLE IF EXISTS known_finding`);
  await sql.query(`CREATE TEMP TABLE known_finding (k text) ON COMMIT DROP`);
  await copyRows(
    sql,
    "incoming_finding",
    INCOMING_COLUMNS,
    findings.map((f) => [
      identityKey(input.targetKey, f.localKey),
      f.kind,
      f.ruleId,
      f.title,
      f.severity,
      f.cvssScore,
      f.vulnerability?.id ?? null,
      f.vulnerability ? catalogueKey(f.vulnerability.id, input.catalogueScope ?? "") : null,
      f.packageName,
      f.installedVersion,
      f.packagePath,
      f.purl,
      f.fixedVersion,
      isFixable(f),
      f.scannerStatus,
      f.location,
      f.startLine,
      f.details,
      f.placement?.namespaceId ?? null,
      f.placement?.workloadId ?? null,
      f.placement?.teamId ?? input.teamId,
      f.initialStatus ?? null,
    ]),
  );
  await sql.query(`CREATE UNIQUE INDEX ON incoming_finding (k)`);
}

/** SQL for "the finding is in what the scan covered"; the namespace ids and the cluster-scoped flag are parameters $n and $n+1. */
function coveredBy(closes: CloseScope, n: number): string {
  if (closes === "none") return "FALSE";
  return closes === "all" ? "TRUE" : `("namespaceId" = ANY($${n}::text[]) OR ($${n + 1}::boolean AND "namespaceId" IS NULL))`;
}

/** SQL for "the finding is of a kind the scan looked for"; the kinds (or null: all) are parameter $n. */
function ofCheckedKind(n: number): string {
  return `($${n}::"FindingKind"[] IS NULL OR kind = ANY($${n}::"FindingKind"[]))`;
}

/**
 * SQL of when an incoming finding (alias i) is due, counted from `from`: null without an SLA for
 * its severity, or, when the clock starts only once a fix exists, while it has none.
 */
function dueSql(sla: SlaClock, from: string, days: "function" | "joined" = "function"): string {
  // Only a vulnerability waits for a fix; a misconfiguration or a secret can be fixed at once.
  const started = sla.clockStartsAtFix ? `CASE WHEN i.fixable OR i.kind <> 'vulnerability' THEN ${from} END` : from;
  return days === "joined" ? `(${started} + make_interval(days => COALESCE(tsla.days, sla.days)))` : `sla_due_at(i.sev::"Severity", i.team, ${started})`;
}

/**
 * The days of sla_days() as joins, for the insert of new findings: at 20,000 rows the function
 * (not inlined) cost 150 ms, the joins 15.
 */
const SLA_DAYS_JOIN = `LEFT JOIN "TeamSlaPolicy" tsla ON tsla."teamId" = i.team AND tsla.severity = i.sev::"Severity"
  LEFT JOIN "SlaPolicy" sla ON sla.severity = i.sev::"Severity"`;

/** Under "clock starts when a fix exists": a stored finding's clock start (alias f). */
const fixClock = (now: string) => `CASE WHEN f.kind = 'vulnerability' THEN COALESCE(f."fixAvailableAt", ${now}) ELSE f."firstSeenAt" END`;

export async function mergeFindings(sql: Sql, input: MergeInput): Promise<MergeCounts> {
  const findings = distinctByIdentity(input.findings);
  await stageFindings(sql, input, findings);
  const now = input.now.toISOString();
  const sla = input.sla ?? { reopenRestartsClock: false, clockStartsAtFix: false };
  // A reopen restarts the clock only when the policy says so; otherwise it runs from first seen
  // (or from when a fix first existed).
  const reopenedFrom = sla.reopenRestartsClock ? `$3::timestamptz` : sla.clockStartsAtFix ? fixClock("$3::timestamptz") : `f."firstSeenAt"`;
  // $1 scan, $2 tool, $3 now
  const reopened = await sql.query(
    `WITH r AS (
       UPDATE "Finding" f SET status = 'open'::"FindingStatus", "statusChangedAt" = $3::timestamptz, "fixedAt" = NULL, "fixedByScanId" = NULL,
         "reportedBy" = ARRAY[$2]::text[], "lastSeenAt" = $3::timestamptz, "lastScanId" = $1,
         severity = i.sev::"Severity", title = i.title, "cvssScore" = i.cvss, "fixedVersion" = i.fix, fixable = i.fixable,
         "scannerStatus" = i.sst, details = i.det, "teamId" = i.team, "namespaceId" = i.ns, "workloadId" = i.wl, "dueAt" = ${dueSql(sla, reopenedFrom)},
         "vulnerabilityKey" = i.vk, "exceptionId" = NULL, "fixAvailableAt" = COALESCE(f."fixAvailableAt", CASE WHEN i.fixable THEN $3::timestamptz END)
       FROM incoming_finding i WHERE f."identityKey" = i.k AND f.status = 'fixed' AND i.init IS DISTINCT FROM 'fixed'
       RETURNING f.id)
     INSERT INTO "FindingEvent" ("findingId", type, "fromStatus", "toStatus", "scanId", at)
     SELECT id, 'reopened'::"FindingEventType", 'fixed'::"FindingStatus", 'open'::"FindingStatus", $1, $3::timestamptz FROM r`,
    [input.scanId, input.tool, now],
  );
  // Still present: refresh what the scanner says, keep status, assignee and decisions. First the
  // few whose counted columns change (the read model's triggers see only those), then the rest
  // of the refresh, which changes no counted column, with the read model's triggers told to skip
  // it (at 20,000 findings, adding up an unchanged statement cost more than the merge itself).
  // A fix that appears for the first time is recorded (and starts the clock under that policy);
  // a new severity or team moves the due date to their SLA. The findings reopened above are left
  // out: their row was just written whole, with this scan as its lastScanId.
  const clockFrom = sla.clockStartsAtFix ? fixClock("$2::timestamptz") : `f."firstSeenAt"`;
  await sql.query(
    `WITH changed AS (
       UPDATE "Finding" f SET severity = i.sev::"Severity", fixable = i.fixable, "teamId" = i.team, "namespaceId" = i.ns,
         "fixAvailableAt" = COALESCE(f."fixAvailableAt", CASE WHEN i.fixable THEN $2::timestamptz END),
         "dueAt" = CASE WHEN f.status IN ('open', 'in_progress') THEN ${dueSql(sla, clockFrom)} ELSE f."dueAt" END
       FROM incoming_finding i WHERE f."identityKey" = i.k AND f."lastScanId" IS DISTINCT FROM $1
         AND (f.severity, f.fixable, f."teamId", f."namespaceId") IS DISTINCT FROM (i.sev::"Severity", i.fixable, i.team, i.ns)
       RETURNING f.id, f."fixAvailableAt")
     INSERT INTO "FindingEvent" ("findingId", type, "scanId", note, at)
     SELECT id, 'fix_available'::"FindingEventType", $1, 'a scan reported a fixed version', $2::timestamptz FROM changed WHERE "fixAvailableAt" = $2::timestamptz`,
    [input.scanId, now],
  );
  // Only rows whose stated content differs are written: a finding's row is wide and has many
  // indexes, and most findings of a rescan are exactly as before.
  await sql.query(`SELECT set_config('portcullis.read_model', 'unchanged', true)`);
  await sql.query(
    `UPDATE "Finding" f SET "reportedBy" = CASE WHEN $2 = ANY(f."reportedBy") THEN f."reportedBy" ELSE array_append(f."reportedBy", $2) END,
       title = i.title, "cvssScore" = i.cvss, "fixedVersion" = i.fix, "scannerStatus" = i.sst, details = i.det, "workloadId" = i.wl,
       "vulnerabilityKey" = i.vk
     FROM incoming_finding i WHERE f."identityKey" = i.k AND f."lastScanId" IS DISTINCT FROM $1
       AND ($2 <> ALL(f."reportedBy") OR (f.title, f."cvssScore", f."fixedVersion", f."scannerStatus", f.details, f."workloadId", f."vulnerabilityKey")
         IS DISTINCT FROM (i.title, i.cvss, i.fix, i.sst, i.det, i.wl, i.vk))`,
    [input.scanId, input.tool],
  );
  await sql.query(`SELECT set_config('portcullis.read_model', '', true)`);
  // Every known finding this scan lists (the reopened ones too) was seen by it. Their identities
  // are kept aside, so that the insert below builds rows for new identities only: in a rescan
  // where nothing changed, building 20,000 rows for the unique index to refuse cost more than
  // recording their sightings.
  const sighted = await sql.query(
    `WITH seen AS MATERIALIZED (SELECT f.id, i.k FROM incoming_finding i JOIN "Finding" f ON f."identityKey" = i.k),
     kept AS (INSERT INTO known_finding (k) SELECT k FROM seen)
     INSERT INTO "FindingSighting" ("findingId", "lastSeenAt", "lastScanId")
     SELECT id, $2::timestamptz, $1 FROM seen
     ON CONFLICT ("findingId") DO UPDATE SET "lastSeenAt" = EXCLUDED."lastSeenAt", "lastScanId" = EXCLUDED."lastScanId"`,
    [input.scanId, now],
  );
  // The new finding's first scan is its first history entry (no separate event row: at 20k new
  // findings a report, that row cost a third of the merge). Known identities are left out by
  // known_finding, with the unique index as the guard. (Not by a NOT EXISTS on Finding itself: on
  // a new database whose statistics say Finding is empty, that was planned as a sequential scan
  // of the table the statement was filling, 3.9 s at 20k.)
  const created = await sql.query(
    `INSERT INTO "Finding" (id, "identityKey", kind, "targetKey", "reportedBy", "imageId", "clusterId", "namespaceId", "workloadId",
       "teamId", "vulnerabilityId", "vulnerabilityKey", "ruleId", title, severity, "cvssScore", "packageName", "installedVersion", "packagePath", purl,
       "fixedVersion", fixable, "scannerStatus", location, "startLine", details, status, "statusChangedAt",
       "firstSeenAt", "firstScanId", "lastSeenAt", "lastScanId", "fixedAt", "fixedByScanId", "dueAt", "fixAvailableAt")
     SELECT uuid_v7(), i.k, i.kind::"FindingKind", $4, ARRAY[$2]::text[], $5, $6, i.ns, i.wl, i.team, i.vid, i.vk, i.rule,
       i.title, i.sev::"Severity", i.cvss, i.pkg, i.ver, i.path, i.purl, i.fix, i.fixable, i.sst, i.loc, i.line, i.det,
       COALESCE(i.init, 'open')::"FindingStatus", $3::timestamptz, $3::timestamptz, $1, $3::timestamptz, $1,
       CASE WHEN i.init = 'fixed' THEN $3::timestamptz END, CASE WHEN i.init = 'fixed' THEN $1 END, ${dueSql(sla, "$3::timestamptz", "joined")},
       CASE WHEN i.fixable THEN $3::timestamptz END
     FROM incoming_finding i ${SLA_DAYS_JOIN}
     WHERE NOT EXISTS (SELECT 1 FROM known_finding kf WHERE kf.k = i.k)
     ON CONFLICT ("identityKey") DO NOTHING`,
    [input.scanId, input.tool, now, input.targetKey, input.imageId, input.clusterId],
  );
  // A decision the report itself states (a CycloneDX VEX analysis) is a change worth recording.
  if (findings.some((f) => f.initialStatus)) await sql.query(
    `INSERT INTO "FindingEvent" ("findingId", type, "fromStatus", "toStatus", "scanId", note, at)
     SELECT f.id, 'status_changed'::"FindingEventType", 'open'::"FindingStatus", f.status, $1, 'decision stated in the report', $2::timestamptz
     FROM incoming_finding i JOIN "Finding" f ON f."identityKey" = i.k
     WHERE i.init IS NOT NULL AND f."firstScanId" = $1`,
    [input.scanId, now],
  );
  // Other tools still report some of the missing ones: this tool just stops vouching for them.
  const closes = input.closes ?? "all";
  const coverage = typeof closes === "string" ? [] : [closes.namespaceIds, closes.clusterScoped];
  const closeParams = [...coverage, input.checks ?? null];
  await sql.query(
    `UPDATE "Finding" SET "reportedBy" = array_remove("reportedBy", $1)
     WHERE "targetKey" = $2 AND status <> 'fixed' AND $1 = ANY("reportedBy") AND cardinality("reportedBy") > 1
       AND NOT EXISTS (SELECT 1 FROM incoming_finding i WHERE i.k = "identityKey") AND ${coveredBy(closes, 3)} AND ${ofCheckedKind(3 + coverage.length)}`,
    [input.tool, input.targetKey, ...closeParams],
  );
  const fixed = await sql.query(
    `WITH gone AS (
       SELECT id, status FROM "Finding"
       WHERE "targetKey" = $4 AND status <> 'fixed' AND "reportedBy" = ARRAY[$2]::text[]
         AND NOT EXISTS (SELECT 1 FROM incoming_finding i WHERE i.k = "identityKey") AND ${coveredBy(closes, 5)} AND ${ofCheckedKind(5 + coverage.length)}
       FOR UPDATE),
     closed AS (
       UPDATE "Finding" f SET status = 'fixed'::"FindingStatus", "reportedBy" = '{}', "fixedAt" = $3::timestamptz, "fixedByScanId" = $1,
         "statusChangedAt" = $3::timestamptz
       FROM gone WHERE f.id = gone.id
       RETURNING f.id, gone.status AS previous)
     INSERT INTO "FindingEvent" ("findingId", type, "fromStatus", "toStatus", "scanId", at)
     SELECT id, 'fixed'::"FindingEventType", previous, 'fixed'::"FindingStatus", $1, $3::timestamptz FROM closed`,
    [input.scanId, input.tool, now, input.targetKey, ...closeParams],
  );
  return {
    total: findings.length,
    new: created.rowCount ?? 0,
    reopened: reopened.rowCount ?? 0,
    fixed: fixed.rowCount ?? 0,
    unchanged: (sighted.rowCount ?? 0) - (reopened.rowCount ?? 0),
  };
}
