// The lifecycle merge: one scan's findings against the living set of its target, set-based.
// New identities are created, fixed ones that return are reopened, ones still present are
// refreshed (human decisions kept), and ones this tool no longer reports are closed as fixed
// by this scan. Every change is written to the finding's history.
import { Prisma, type DbTx } from "@/lib/db";
import { identityKey } from "@/lib/findings/identity";
import { isFixable, type NormalisedFinding, type VulnerabilityRecord } from "@/lib/findings/model";

/** Where in a cluster a finding is, when the report says (namespace and workload rows). */
export interface Placement {
  namespaceId: string;
  workloadId: string;
  teamId: string | null;
}

export type MergeFinding = NormalisedFinding & { placement?: Placement | null };

export interface MergeInput {
  scanId: string;
  tool: string;
  targetKey: string;
  imageId: string | null;
  clusterId: string | null;
  teamId: string | null;
  now: Date;
  findings: MergeFinding[];
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

export async function upsertVulnerabilityCatalogue(tx: DbTx, findings: readonly NormalisedFinding[]): Promise<void> {
  const byId = new Map<string, VulnerabilityRecord>();
  for (const f of findings) if (f.vulnerability && !byId.has(f.vulnerability.id)) byId.set(f.vulnerability.id, f.vulnerability);
  if (byId.size === 0) return;
  const rows = JSON.stringify([...byId.values()]);
  await tx.$executeRaw`
    INSERT INTO "Vulnerability" (id, aliases, severity, "cvssScore", "cvssVector", "cvssVersion", title, description, cwes, "references", "publishedAt", "modifiedAt", "updatedAt")
    SELECT v.id, v.aliases, v.severity::"Severity", v."cvssScore", v."cvssVector", v."cvssVersion", v.title, v.description,
           v.cwes, v."references", v."publishedAt", v."modifiedAt", now()
    FROM jsonb_to_recordset(${rows}::jsonb) AS v(id text, aliases text[], severity text, "cvssScore" float8, "cvssVector" text,
         "cvssVersion" text, title text, description text, cwes text[], "references" text[], "publishedAt" timestamp, "modifiedAt" timestamp)
    ON CONFLICT (id) DO UPDATE SET
      aliases = (SELECT array_agg(DISTINCT a) FROM unnest("Vulnerability".aliases || EXCLUDED.aliases) a),
      severity = EXCLUDED.severity,
      "cvssScore" = COALESCE(EXCLUDED."cvssScore", "Vulnerability"."cvssScore"),
      "cvssVector" = COALESCE(EXCLUDED."cvssVector", "Vulnerability"."cvssVector"),
      "cvssVersion" = COALESCE(EXCLUDED."cvssVersion", "Vulnerability"."cvssVersion"),
      title = COALESCE(EXCLUDED.title, "Vulnerability".title),
      description = COALESCE(EXCLUDED.description, "Vulnerability".description),
      cwes = CASE WHEN cardinality(EXCLUDED.cwes) > 0 THEN EXCLUDED.cwes ELSE "Vulnerability".cwes END,
      "references" = CASE WHEN cardinality(EXCLUDED."references") > 0 THEN EXCLUDED."references" ELSE "Vulnerability"."references" END,
      "publishedAt" = COALESCE(EXCLUDED."publishedAt", "Vulnerability"."publishedAt"),
      "modifiedAt" = COALESCE(EXCLUDED."modifiedAt", "Vulnerability"."modifiedAt"),
      "updatedAt" = now()`;
}

function incomingRows(input: MergeInput, findings: readonly MergeFinding[]): string {
  return JSON.stringify(
    findings.map((f) => ({
      k: identityKey(input.targetKey, f.localKey),
      kind: f.kind,
      rule: f.ruleId,
      title: f.title,
      sev: f.severity,
      cvss: f.cvssScore,
      vid: f.vulnerability?.id ?? null,
      pkg: f.packageName,
      ver: f.installedVersion,
      path: f.packagePath,
      purl: f.purl,
      fix: f.fixedVersion,
      fixable: isFixable(f),
      sst: f.scannerStatus,
      loc: f.location,
      line: f.startLine,
      det: f.details,
      ns: f.placement?.namespaceId ?? null,
      wl: f.placement?.workloadId ?? null,
      team: f.placement?.teamId ?? input.teamId,
      init: f.initialStatus ?? null,
    })),
  );
}

export async function mergeFindings(tx: DbTx, input: MergeInput): Promise<MergeCounts> {
  const findings = distinctByIdentity(input.findings);
  const { scanId, tool, now } = input;

  // One report can merge several targets in its transaction: each gets a fresh staging table.
  await tx.$executeRaw`DROP TABLE IF EXISTS incoming_finding`;
  await tx.$executeRaw`
    CREATE TEMP TABLE incoming_finding ON COMMIT DROP AS
    SELECT * FROM jsonb_to_recordset(${incomingRows(input, findings)}::jsonb) AS x(
      k text, kind text, rule text, title text, sev text, cvss float8, vid text, pkg text, ver text, path text,
      purl text, fix text, fixable boolean, sst text, loc text, line int, det jsonb, ns text, wl text, team text, init text)`;
  await tx.$executeRaw`CREATE UNIQUE INDEX ON incoming_finding (k)`;
  await tx.$executeRaw`ANALYZE incoming_finding`;

  // Fixed findings that are reported again.
  const reopened = await tx.$executeRaw`
    WITH r AS (
      UPDATE "Finding" f SET status = 'open', "statusChangedAt" = ${now}, "fixedAt" = NULL, "fixedByScanId" = NULL,
        "reportedBy" = ARRAY[${tool}]::text[], "lastSeenAt" = ${now}, "lastScanId" = ${scanId},
        severity = i.sev::"Severity", title = i.title, "cvssScore" = i.cvss, "fixedVersion" = i.fix, fixable = i.fixable,
        "scannerStatus" = i.sst, details = i.det, "teamId" = i.team, "namespaceId" = i.ns, "workloadId" = i.wl,
        "dueAt" = ${now}::timestamp + make_interval(days => (SELECT days FROM "SlaPolicy" s WHERE s.severity = i.sev::"Severity"))
      FROM incoming_finding i WHERE f."identityKey" = i.k AND f.status = 'fixed' AND i.init IS DISTINCT FROM 'fixed'
      RETURNING f.id)
    INSERT INTO "FindingEvent" ("findingId", type, "fromStatus", "toStatus", "scanId", at)
    SELECT id, 'reopened'::"FindingEventType", 'fixed'::"FindingStatus", 'open'::"FindingStatus", ${scanId}, ${now} FROM r`;

  // Still present: refresh what the scanner says, keep status, assignee and decisions.
  const unchanged = await tx.$executeRaw`
    UPDATE "Finding" f SET "lastSeenAt" = ${now}, "lastScanId" = ${scanId},
      "reportedBy" = CASE WHEN ${tool} = ANY(f."reportedBy") THEN f."reportedBy" ELSE array_append(f."reportedBy", ${tool}) END,
      severity = i.sev::"Severity", title = i.title, "cvssScore" = i.cvss, "fixedVersion" = i.fix, fixable = i.fixable,
      "scannerStatus" = i.sst, details = i.det, "teamId" = i.team, "namespaceId" = i.ns, "workloadId" = i.wl
    FROM incoming_finding i WHERE f."identityKey" = i.k AND f."lastScanId" IS DISTINCT FROM ${scanId}`;

  const created = await tx.$executeRaw`
    WITH n AS (
      INSERT INTO "Finding" (id, "identityKey", kind, "targetKey", "reportedBy", "imageId", "clusterId", "namespaceId", "workloadId",
        "teamId", "vulnerabilityId", "ruleId", title, severity, "cvssScore", "packageName", "installedVersion", "packagePath", purl,
        "fixedVersion", fixable, "scannerStatus", location, "startLine", details, status, "statusChangedAt",
        "firstSeenAt", "lastSeenAt", "lastScanId", "fixedAt", "fixedByScanId", "dueAt")
      SELECT gen_random_uuid()::text, i.k, i.kind::"FindingKind", ${input.targetKey}, ARRAY[${tool}]::text[], ${input.imageId},
        ${input.clusterId}, i.ns, i.wl, i.team, i.vid, i.rule, i.title, i.sev::"Severity", i.cvss, i.pkg, i.ver, i.path, i.purl,
        i.fix, i.fixable, i.sst, i.loc, i.line, i.det, COALESCE(i.init, 'open')::"FindingStatus", ${now}, ${now}, ${now}, ${scanId},
        CASE WHEN i.init = 'fixed' THEN ${now}::timestamp END, CASE WHEN i.init = 'fixed' THEN ${scanId} END,
        ${now}::timestamp + make_interval(days => (SELECT days FROM "SlaPolicy" s WHERE s.severity = i.sev::"Severity"))
      FROM incoming_finding i
      WHERE NOT EXISTS (SELECT 1 FROM "Finding" f WHERE f."identityKey" = i.k)
      ON CONFLICT ("identityKey") DO NOTHING
      RETURNING id, status)
    INSERT INTO "FindingEvent" ("findingId", type, "toStatus", "scanId", at)
    SELECT id, 'created'::"FindingEventType", status, ${scanId}, ${now} FROM n`;

  // Other tools still report some of the missing ones: this tool just stops vouching for them.
  await tx.$executeRaw`
    UPDATE "Finding" SET "reportedBy" = array_remove("reportedBy", ${tool})
    WHERE "targetKey" = ${input.targetKey} AND status <> 'fixed' AND ${tool} = ANY("reportedBy")
      AND cardinality("reportedBy") > 1 AND "lastScanId" IS DISTINCT FROM ${scanId}`;

  const fixed = await tx.$executeRaw`
    WITH gone AS (
      SELECT id, status FROM "Finding"
      WHERE "targetKey" = ${input.targetKey} AND status <> 'fixed' AND "reportedBy" = ARRAY[${tool}]::text[]
        AND "lastScanId" IS DISTINCT FROM ${scanId}
      FOR UPDATE),
    closed AS (
      UPDATE "Finding" f SET status = 'fixed', "reportedBy" = '{}', "fixedAt" = ${now}, "fixedByScanId" = ${scanId},
        "statusChangedAt" = ${now}
      FROM gone WHERE f.id = gone.id
      RETURNING f.id, gone.status AS previous)
    INSERT INTO "FindingEvent" ("findingId", type, "fromStatus", "toStatus", "scanId", at)
    SELECT id, 'fixed'::"FindingEventType", previous, 'fixed'::"FindingStatus", ${scanId}, ${now} FROM closed`;

  return { total: findings.length, new: created, reopened, fixed, unchanged };
}

export type SeverityCounts = Record<"critical" | "high" | "medium" | "low" | "unknown", number>;

export function severityCounts(findings: readonly NormalisedFinding[]): SeverityCounts {
  const counts: SeverityCounts = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 };
  for (const f of distinctByIdentity(findings)) counts[f.severity] += 1;
  return counts;
}

export { Prisma };
