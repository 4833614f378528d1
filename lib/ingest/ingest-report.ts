// One report in: parse, resolve its target, and merge its findings — all in one transaction.
import { createHash } from "node:crypto";
import { db, Prisma, type DbTx } from "@/lib/db";
import { ReportError } from "@/lib/ingest/errors";
import { detectAndParse } from "@/lib/ingest/detect";
import { canonicalContext, type IngestContext } from "@/lib/ingest/context";
import { applyImageOverride, resolveImageTarget } from "@/lib/ingest/targets";
import { distinctByIdentity, mergeFindings, severityCounts, upsertVulnerabilityCatalogue, type MergeCounts } from "@/lib/findings/merge";

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
  const target = applyImageOverride(report.target, input.context.image);
  const now = input.receivedAt ?? new Date();
  const findings = distinctByIdentity(report.findings);
  const counts = severityCounts(findings);

  try {
    return await db.$transaction(
      async (tx) => {
        // Serialise ingests of the same image so that two concurrent scans cannot interleave merges.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`image:${target.repository}`}, 0))`;
        const image = await resolveImageTarget(tx, target, input.context, now);
        const targetKey = `image:${image.imageId}`;
        const scan = await tx.scan.create({
          data: {
            dedupeKey,
            reportDigest,
            format: report.format,
            tool: report.tool,
            toolVersion: report.toolVersion,
            targetKind: "image",
            targetKey,
            targetName: image.label,
            imageId: image.imageId,
            clusterId: image.clusterId,
            teamId: image.teamId,
            tokenId: input.tokenId ?? null,
            reportCreatedAt: report.reportCreatedAt,
            receivedAt: now,
            totalCount: findings.length,
            criticalCount: counts.critical,
            highCount: counts.high,
            mediumCount: counts.medium,
            lowCount: counts.low,
            unknownCount: counts.unknown,
          },
          select: { id: true },
        });
        await upsertVulnerabilityCatalogue(tx, findings);
        const merged = await mergeFindings(tx, {
          scanId: scan.id,
          tool: report.tool,
          targetKey,
          imageId: image.imageId,
          clusterId: null,
          teamId: image.teamId,
          now,
          findings,
        });
        await tx.scan.update({
          where: { id: scan.id },
          data: { newCount: merged.new, reopenedCount: merged.reopened, fixedCount: merged.fixed, unchangedCount: merged.unchanged },
        });
        return { scanId: scan.id, format: report.format, target: image.label, findings: merged, duplicate: false };
      },
      { timeout: 5 * 60_000, maxWait: 60_000 },
    );
  } catch (error) {
    // The same report raced in from another request and won: answer as a duplicate.
    if (isUniqueViolation(error)) {
      const winner = await findDuplicate(db, dedupeKey);
      if (winner) return winner;
    }
    throw error;
  }
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
