// One report in: parse, resolve its targets, and merge their findings — all in one transaction.
import { createHash } from "node:crypto";
import { inTransaction, pgText, runOn, type Sql } from "@/lib/sql";
import { db } from "@/lib/db";
import { notifyNewCriticals } from "@/lib/notify/producers";
import { ReportError } from "@/lib/ingest/errors";
import { assertJsonDepth } from "@/lib/ingest/json-depth";
import { detectAndParse } from "@/lib/ingest/detect";
import { applyContext } from "@/lib/ingest/apply-context";
import { canonicalContext, type IngestContext } from "@/lib/ingest/context";
import { clusterRow, linkImageWorkloads,
  replaceRunningImages, newResolution, resolveTarget, resolveTeamByName, targetLockKey, upsertWorkload, writeNamespace, type Resolution, type ResolvedTarget } from "@/lib/ingest/targets";
import type { TokenBinding } from "@/lib/authz/policy";
import { replacePackages } from "@/lib/ingest/packages";
import { assertStorable } from "@/lib/ingest/storable";
import { loadOwnershipRules } from "@/lib/ownership/resolve-team";
import { applyExceptionsToTarget } from "@/lib/exceptions/coverage";
import { loadSlaClock } from "@/lib/sla/settings";
import { distinctByIdentity, mergeFindings, severityCounts, type CloseScope, type MergeCounts, type MergeFinding } from "@/lib/findings/merge";
import { catalogueScope, upsertVulnerabilityCatalogue } from "@/lib/findings/catalogue";
import type { NormalisedReport, SkippedEntry, TargetFindings } from "@/lib/findings/model";

export interface IngestInput {
  /** The report text, or a function that decodes it (called only when it is not a duplicate). */
  body: string | (() => string);
  /** sha256 of the body, when the caller computed it while reading */
  bodyDigest?: string;
  context: IngestContext;
  tokenId?: string | null;
  /** What the token is bound to; the policy (ownerAfterWrite) decides what it may write. */
  binding?: TokenBinding;
  /** When the report is taken to have arrived; the demo seed uses past times. */
  receivedAt?: Date;
}

export interface IngestResult {
  scanId: string;
  format: string;
  target: string;
  findings: MergeCounts;
  /** entries that could not become findings, with their JSON path and the reason */
  skipped: SkippedEntry[];
  /** what the caller should know about this answer (e.g. that nothing was closed) */
  warnings?: string[];
  duplicate: boolean;
  /** milliseconds per step, for the Server-Timing header (not part of the answer's body) */
  timings?: Record<string, number>;
}

/** Times the steps of one ingest: what bench:ingest prints as its breakdown. */
class StepTimer {
  readonly steps: Record<string, number> = {};
  private last = performance.now();
  lap(step: string): void {
    const now = performance.now();
    this.steps[step] = (this.steps[step] ?? 0) + (now - this.last);
    this.last = now;
  }
}

/** At most this many skipped entries are listed; a last entry counts the rest. */
const SKIPPED_LISTED = 1000;

function skippedWarning(skipped: SkippedEntry[]): Pick<IngestResult, "warnings"> {
  if (skipped.length === 0) return {};
  return { warnings: ["Entries were skipped, so this report closed no findings: a skipped entry may be one that is still there. Fix them and send the report again to close what is gone."] };
}

function listSkipped(skipped: SkippedEntry[] = []): SkippedEntry[] {
  if (skipped.length <= SKIPPED_LISTED) return skipped;
  const rest = skipped.length - SKIPPED_LISTED;
  return [...skipped.slice(0, SKIPPED_LISTED), { path: "$", reason: `${rest} more entries were skipped (the first ${SKIPPED_LISTED} are listed)` }];
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

export function parseJsonBody(body: string): unknown {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (error) {
    throw new ReportError(`Body is not valid JSON: ${(error as Error).message}`);
  }
  assertJsonDepth(doc);
  return doc;
}

/**
 * Decodes, parses and normalises, each step in a scope of its own: the text is garbage once the
 * document exists, and the document once the normalised report does (a 64 MiB report would
 * otherwise be held three times over).
 */
function parseReport(input: IngestInput): NormalisedReport {
  return detectAndParse(decodeAndParse(input), input.context.format);
}

function decodeAndParse(input: IngestInput): unknown {
  return parseJsonBody(typeof input.body === "function" ? input.body() : input.body);
}

export async function ingestReport(input: IngestInput): Promise<IngestResult> {
  if (typeof input.body === "function" && !input.bodyDigest) throw new Error("a lazily decoded body needs its digest");
  const reportDigest = input.bodyDigest ?? sha256(input.body as string);
  const dedupeKey = sha256(`${reportDigest}\n${canonicalContext(input.context)}`);
  const timer = new StepTimer();
  const earlier = await findDuplicate(dedupeKey);
  timer.lap("dedupe");
  if (earlier) {
    // The body was seen before; a format= that does not match it is still wrong.
    const requested = input.context.format;
    if (requested !== "auto" && requested !== earlier.format) {
      throw new ReportError(`format=${requested} was requested but the body is a ${earlier.format} report`, "format_mismatch");
    }
    return { ...earlier, timings: timer.steps };
  }

  const report = parseReport(input);
  timer.lap("parse");
  const groups = applyContext(report.groups, input.context).map((g) => ({ ...g, findings: distinctByIdentity(g.findings) }));
  assertStorable(report.tool, groups);
  const now = input.receivedAt ?? new Date();
  timer.lap("check");

  try {
    const result = await inTransaction((sql) => ingestInTransaction(sql, { report, groups, input, dedupeKey, reportDigest, now, timer }));
    timer.lap("commit");
    return { ...result, timings: timer.steps };
  } catch (error) {
    // The same report raced in from another request and won: answer as a duplicate.
    if ((error as { code?: string }).code === "23505" && (error as { constraint?: string }).constraint === "Scan_dedupeKey_key") {
      const winner = await findDuplicate(dedupeKey);
      if (winner) return winner;
    }
    throw error;
  }
}

interface Prepared {
  report: NormalisedReport;
  groups: TargetFindings[];
  input: IngestInput;
  dedupeKey: string;
  reportDigest: string;
  now: Date;
  timer: StepTimer;
}

const UNBOUND: TokenBinding = { teamId: null, clusterId: null };

/** Cluster results are cluster-wide unless they cover named namespaces only (a limited `trivy k8s` run). */
function isClusterWide(group: TargetFindings): boolean {
  const t = group.target;
  if (t.kind !== "cluster") return false;
  if (!t.covers || t.covers.clusterScoped || t.covers.namespaces.length === 0) return true;
  return group.findings.some((f) => !f.resource?.namespace);
}

async function ingestInTransaction(sql: Sql, { report, groups, input, dedupeKey, reportDigest, now, timer }: Prepared): Promise<IngestResult> {
  const skipped = listSkipped(report.skipped);
  // Serialise ingests of the same targets (in a fixed order, so two reports cannot deadlock).
  for (const key of [...new Set(groups.map((g) => targetLockKey(g.target)))].sort()) {
    await sql.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [key]);
  }
  // The time of this report, for triggers that date what it changes (lib/reports' image ↔ cluster periods).
  await sql.query(`SELECT set_config('portcullis.now', $1, true)`, [now.toISOString()]);
  const binding = input.binding ?? UNBOUND;
  const resolution = newResolution({
    sql,
    rules: await loadOwnershipRules(sql),
    context: input.context,
    named: await resolveTeamByName(sql, input.context.team),
    binding,
    now,
  });
  const resolved: ResolvedTarget[] = [];
  for (const group of groups) resolved.push(await resolveTarget(resolution, group.target, { clusterWide: isClusterWide(group) }));

  timer.lap("resolve");
  const sla = await loadSlaClock(sql);
  const clusterName = input.context.cluster ?? report.clusterName ?? undefined;
  const primary = resolved.find((r) => r.kind === "cluster") ?? resolved[0];
  const all = groups.flatMap((g) => g.findings);
  const counts = severityCounts(all);
  const scan = await sql.query<{ id: string }>(
    `INSERT INTO "Scan" (id, "dedupeKey", "reportDigest", format, tool, "toolVersion", "targetKind", "targetKey", "targetName", "imageId",
       "clusterId", "teamId", "tokenId", "reportCreatedAt", "receivedAt", "totalCount", "criticalCount", "highCount", "mediumCount",
       "lowCount", "unknownCount", "bomSerialNumber", "bomVersion", skipped)
     VALUES (gen_random_uuid()::text, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::timestamptz, $14::timestamptz, $15, $16, $17, $18, $19, $20, $21, $22, $23::jsonb)
     RETURNING id`,
    [
      dedupeKey,
      reportDigest,
      report.format,
      report.tool,
      report.toolVersion === null ? null : pgText(report.toolVersion).slice(0, 200),
      primary.kind,
      primary.targetKey,
      primary.label,
      resolved.length === 1 ? primary.imageId : null,
      primary.clusterId,
      primary.teamId,
      input.tokenId ?? null,
      report.reportCreatedAt?.toISOString() ?? null,
      now.toISOString(),
      all.length,
      counts.critical,
      counts.high,
      counts.medium,
      counts.low,
      counts.unknown,
      report.bom?.serialNumber ?? null,
      report.bom?.version ?? null,
      JSON.stringify(skipped),
    ],
  );
  const scanId = scan.rows[0].id;
  const scope = catalogueScope(binding);
  timer.lap("scan");
  await upsertVulnerabilityCatalogue(sql, all, scope);
  timer.lap("catalogue");

  const total: MergeCounts = { total: 0, new: 0, reopened: 0, fixed: 0, unchanged: 0 };
  let scanClusterId = primary.clusterId;
  for (const [index, group] of groups.entries()) {
    const target = resolved[index];
    if (target.imageId) {
      const linkedCluster = await linkImageWorkloads(resolution, target.imageId, clusterName, group.workloads);
      scanClusterId ??= linkedCluster;
      await replacePackages(sql, target.imageId, group.packages);
      timer.lap("packages");
    }
    const placed = target.kind === "cluster" ? await placeInCluster(resolution, target, group) : { findings: group.findings, closes: "all" as CloseScope };
    // A skipped entry may be a finding that is still there: it must not be closed as fixed.
    if (skipped.length > 0) placed.closes = "none";
    const merged = await mergeFindings(sql, {
      scanId,
      tool: findingSource(report),
      targetKey: target.targetKey,
      imageId: target.imageId,
      clusterId: target.kind === "cluster" ? target.clusterId : null,
      teamId: target.teamId,
      now,
      findings: placed.findings,
      closes: placed.closes,
      checks: group.checks,
      catalogueScope: scope,
      sla,
    });
    timer.lap("merge");
    await applyExceptionsToTarget(runOn(sql), target.targetKey, now);
    timer.lap("exceptions");
    for (const key of Object.keys(total) as (keyof MergeCounts)[]) total[key] += merged[key];
    await sql.query(
      `INSERT INTO "ScanTarget" ("scanId", "targetKey", "imageId", total, new, reopened, fixed) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT ("scanId", "targetKey") DO NOTHING`,
      [scanId, target.targetKey, target.imageId, merged.total, merged.new, merged.reopened, merged.fixed],
    );
  }
  const listedRunning = runningNamespaces(groups);
  if (listedRunning && primary.clusterId) await replaceRunningImages(resolution, primary.clusterId, listedRunning);
  await sql.query(
    `UPDATE "Scan" SET "clusterId" = $2, "newCount" = $3, "reopenedCount" = $4, "fixedCount" = $5, "unchangedCount" = $6 WHERE id = $1`,
    [scanId, scanClusterId, total.new, total.reopened, total.fixed, total.unchanged],
  );
  if (total.new > 0 && counts.critical > 0) await notifyNewCriticals(runOn(sql), { id: scanId, targetKeys: resolved.map((r) => r.targetKey), label: primary.label }, now);
  return { scanId, format: report.format, target: primary.label, findings: total, skipped, ...skippedWarning(skipped), duplicate: false };
}

/**
 * Who vouches for a report's findings ("Reported by"); a newer report from the same source closes
 * what it no longer lists. A scanner's own format is the scanner. SARIF and CycloneDX carry a
 * scanner's results in other words (a SARIF result's identity is its rule and file, not its
 * package), so they are sources of their own: Trivy's SARIF of an image must not close, as fixed,
 * the findings of Trivy's JSON of the same image, which it could never have listed.
 */
export function findingSource(report: Pick<NormalisedReport, "format" | "tool">): string {
  const carrier = (report.format === "sarif" || report.format === "cyclonedx") && report.tool !== report.format;
  return carrier ? `${report.tool} (${report.format})` : report.tool;
}

/**
 * The namespaces whose running images a cluster report lists in full: those it lists images in,
 * and those it checked. Null for reports that list no running images (nothing to replace).
 */
function runningNamespaces(groups: TargetFindings[]): string[] | null {
  const cluster = groups.find((g) => g.target.kind === "cluster");
  const listed = groups.flatMap((g) => g.workloads.map((w) => w.namespace)).filter(Boolean);
  if (!cluster || listed.length === 0) return null;
  const checked = cluster.target.kind === "cluster" ? (cluster.target.covers?.namespaces ?? []) : [];
  return [...new Set([...listed, ...checked])];
}

/**
 * Ties cluster findings to their namespace and workload rows (a namespace's owner owns its
 * findings), and says what this report may close: the namespaces it covered, or all of its part.
 */
async function placeInCluster(r: Resolution, target: ResolvedTarget, group: TargetFindings): Promise<{ findings: MergeFinding[]; closes: CloseScope }> {
  const cluster = await clusterRow(r, target.label);
  const cache = new Map<string, Awaited<ReturnType<typeof upsertWorkload>>>();
  const findings: MergeFinding[] = [];
  for (const finding of group.findings) {
    if (!finding.resource?.namespace) {
      findings.push(finding);
      continue;
    }
    const key = `${finding.resource.namespace}/${finding.resource.kind}/${finding.resource.name}`;
    let workload = cache.get(key);
    if (!workload) {
      workload = await upsertWorkload(r, cluster, finding.resource);
      cache.set(key, workload);
    }
    findings.push({ ...finding, placement: { namespaceId: workload.namespaceId, workloadId: workload.workloadId, teamId: workload.namespaceTeamId } });
  }
  const covers = group.target.kind === "cluster" ? group.target.covers : undefined;
  if (!covers) return { findings, closes: "all" };
  const namespaceIds: string[] = [];
  for (const name of covers.namespaces) namespaceIds.push((await writeNamespace(r, cluster, name)).id);
  return { findings, closes: { namespaceIds, clusterScoped: covers.clusterScoped } };
}

async function findDuplicate(dedupeKey: string): Promise<IngestResult | null> {
  const scan = await db.scan.findUnique({ where: { dedupeKey } });
  if (!scan) return null;
  return {
    scanId: scan.id,
    format: scan.format,
    target: scan.targetName,
    findings: {
      total: scan.totalCount,
      new: scan.newCount,
      reopened: scan.reopenedCount,
      fixed: scan.fixedCount,
      unchanged: scan.unchangedCount,
    },
    skipped: scan.skipped as unknown as SkippedEntry[],
    ...skippedWarning(scan.skipped as unknown as SkippedEntry[]),
    duplicate: true,
  };
}
