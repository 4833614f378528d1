// One report in: parse, resolve its targets, and merge their findings — all in one transaction.
import { createHash } from "node:crypto";
import { db, Prisma, type DbTx } from "@/lib/db";
import { ReportError } from "@/lib/ingest/errors";
import { assertJsonDepth } from "@/lib/ingest/json-depth";
import { detectAndParse } from "@/lib/ingest/detect";
import { applyContext } from "@/lib/ingest/apply-context";
import { canonicalContext, type IngestContext } from "@/lib/ingest/context";
import { linkImageWorkloads, resolveTarget, resolveTeamByName, targetLockKey, upsertWorkload, type ResolvedTarget } from "@/lib/ingest/targets";
import { replacePackages } from "@/lib/ingest/packages";
import { distinctByIdentity, mergeFindings, severityCounts, upsertVulnerabilityCatalogue, type MergeCounts, type MergeFinding } from "@/lib/findings/merge";
import type { NormalisedReport, TargetFindings } from "@/lib/findings/model";

export interface IngestInput {
  body: string;
  context: IngestContext;
  tokenId?: string | null;
  /** When the report is taken to have arrived; the demo seed uses past times. */
  receivedAt?: Date;
}

export interface IngestResult {
  scanId: string;
  format: string;
  target: string;
  findings: MergeCounts;
  duplicate: boolean;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

export function parseJsonBody(body: string): unknown {
  assertJsonDepth(body);
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new ReportError(`Body is not valid JSON: ${(error as Error).message}`);
  }
}

export async function ingestReport(input: IngestInput): Promise<IngestResult> {
  const reportDigest = sha256(input.body);
  const dedupeKey = sha256(`${reportDigest}\n${canonicalContext(input.context)}`);
  const earlier = await findDuplicate(db, dedupeKey);
  if (earlier) return earlier;

  const report = detectAndParse(parseJsonBody(input.body), input.context.format);
  const groups = applyContext(report.groups, input.context).map((g) => ({ ...g, findings: distinctByIdentity(g.findings) }));
  const now = input.receivedAt ?? new Date();

  try {
    return await db.$transaction((tx) => ingestInTransaction(tx, { report, groups, input, dedupeKey, reportDigest, now }), {
      timeout: 10 * 60_000,
      maxWait: 60_000,
    });
  } catch (error) {
    // The same report raced in from another request and won: answer as a duplicate.
    if (isUniqueViolation(error)) {
      const winner = await findDuplicate(db, dedupeKey);
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
}

async function ingestInTransaction(tx: DbTx, { report, groups, input, dedupeKey, reportDigest, now }: Prepared): Promise<IngestResult> {
  // Serialise ingests of the same targets (in a fixed order, so two reports cannot deadlock).
  for (const key of [...new Set(groups.map((g) => targetLockKey(g.target)))].sort()) {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
  }
  const explicitTeamId = await resolveTeamByName(tx, input.context.team);
  const resolved: ResolvedTarget[] = [];
  for (const group of groups) resolved.push(await resolveTarget(tx, group.target, input.context, explicitTeamId, now));

  const clusterName = input.context.cluster ?? report.clusterName ?? undefined;
  const primary = resolved.find((r) => r.kind === "cluster") ?? resolved[0];
  const all = groups.flatMap((g) => g.findings);
  const counts = severityCounts(all);
  const scan = await tx.scan.create({
    data: {
      dedupeKey,
      reportDigest,
      format: report.format,
      tool: report.tool,
      toolVersion: report.toolVersion,
      targetKind: primary.kind,
      targetKey: primary.targetKey,
      targetName: primary.label,
      imageId: resolved.length === 1 ? primary.imageId : null,
      clusterId: primary.clusterId,
      teamId: primary.teamId,
      tokenId: input.tokenId ?? null,
      reportCreatedAt: report.reportCreatedAt,
      receivedAt: now,
      totalCount: all.length,
      criticalCount: counts.critical,
      highCount: counts.high,
      mediumCount: counts.medium,
      lowCount: counts.low,
      unknownCount: counts.unknown,
    },
    select: { id: true },
  });
  await upsertVulnerabilityCatalogue(tx, all);

  const total: MergeCounts = { total: 0, new: 0, reopened: 0, fixed: 0, unchanged: 0 };
  let scanClusterId = primary.clusterId;
  for (const [index, group] of groups.entries()) {
    const target = resolved[index];
    const clusterId = target.clusterId;
    if (target.imageId) {
      const linkedCluster = await linkImageWorkloads(tx, target.imageId, clusterName, group.workloads, input.context, now);
      scanClusterId ??= linkedCluster;
      await replacePackages(tx, target.imageId, group.packages);
    }
    const findings = target.kind === "cluster" ? await placeInCluster(tx, target, group) : group.findings;
    const merged = await mergeFindings(tx, {
      scanId: scan.id,
      tool: report.tool,
      targetKey: target.targetKey,
      imageId: target.imageId,
      clusterId: target.kind === "cluster" ? clusterId : null,
      teamId: target.teamId,
      now,
      findings,
    });
    for (const key of Object.keys(total) as (keyof MergeCounts)[]) total[key] += merged[key];
  }
  await tx.scan.update({
    where: { id: scan.id },
    data: { clusterId: scanClusterId, newCount: total.new, reopenedCount: total.reopened, fixedCount: total.fixed, unchangedCount: total.unchanged },
  });
  return { scanId: scan.id, format: report.format, target: primary.label, findings: total, duplicate: false };
}

/** Ties cluster findings to their namespace and workload rows; a namespace's owner owns its findings. */
async function placeInCluster(tx: DbTx, target: ResolvedTarget, group: TargetFindings): Promise<MergeFinding[]> {
  const cache = new Map<string, Awaited<ReturnType<typeof upsertWorkload>>>();
  const placed: MergeFinding[] = [];
  for (const finding of group.findings) {
    if (!finding.resource) {
      placed.push(finding);
      continue;
    }
    const key = `${finding.resource.namespace}/${finding.resource.kind}/${finding.resource.name}`;
    let workload = cache.get(key);
    if (!workload) {
      workload = await upsertWorkload(tx, target.clusterId!, target.label, finding.resource);
      cache.set(key, workload);
    }
    placed.push({
      ...finding,
      placement: { namespaceId: workload.namespaceId, workloadId: workload.workloadId, teamId: workload.namespaceTeamId ?? target.teamId },
    });
  }
  return placed;
}

async function findDuplicate(tx: DbTx, dedupeKey: string): Promise<IngestResult | null> {
  const scan = await tx.scan.findUnique({ where: { dedupeKey } });
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
    duplicate: true,
  };
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}
