// The triage decisions on an image's vulnerabilities that scanners can consume: not affected and
// false positive (with their VEX justification), fixed, under investigation (in progress), and
// risk accepted under an approved exception (with how it ends).
import { db } from "@/lib/db";
import type { FindingStatus, VexJustification } from "@/lib/generated/prisma/enums";

export interface Decision {
  vulnerabilityId: string;
  purl: string | null;
  packageName: string | null;
  status: FindingStatus;
  justification: VexJustification | null;
  since: Date;
  exception: { reason: string; expiresAt: Date | null; untilFixAvailable: boolean } | null;
  /** the component's bom-ref in the CycloneDX SBOM the finding came from */
  bomRef: string | null;
}

/** "Risk accepted until 2026-12-24: <reason>": an accepted risk in words, as both VEX formats state it. */
export function acceptedRiskStatement(d: Decision): string {
  const e = d.exception;
  const ends = e?.untilFixAvailable ? "until a fix is available" : e?.expiresAt ? `until ${e.expiresAt.toISOString().slice(0, 10)}` : "under an exception";
  return `Risk accepted ${ends}: ${e?.reason ?? "see Portcullis"}`;
}

export async function decisionsOf(imageId: string): Promise<Decision[]> {
  const rows = await db.finding.findMany({
    where: { imageId, kind: "vulnerability", vulnerabilityId: { not: null }, status: { in: ["false_positive", "not_affected", "fixed", "in_progress", "risk_accepted"] } },
    orderBy: [{ vulnerabilityId: "asc" }, { packageName: "asc" }, { id: "asc" }],
    select: { vulnerabilityId: true, purl: true, packageName: true, status: true, justification: true, statusChangedAt: true, details: true, exception: { select: { reason: true, expiresAt: true, untilFixAvailable: true, status: true } } },
  });
  return rows.map((r) => ({
    vulnerabilityId: r.vulnerabilityId!,
    purl: r.purl,
    packageName: r.packageName,
    status: r.status,
    justification: r.justification,
    since: r.statusChangedAt,
    exception: r.exception?.status === "approved" ? { reason: r.exception.reason, expiresAt: r.exception.expiresAt, untilFixAvailable: r.exception.untilFixAvailable } : null,
    bomRef: typeof (r.details as { bomRef?: unknown } | null)?.bomRef === "string" ? (r.details as { bomRef: string }).bomRef : null,
  }));
}

/** The CycloneDX SBOM of the image most recently ingested. */
export async function latestBom(imageId: string) {
  const scan = await db.scan.findFirst({
    where: { imageId, format: "cyclonedx", bomSerialNumber: { not: null } },
    orderBy: { receivedAt: "desc" },
    select: { bomSerialNumber: true, bomVersion: true },
  });
  return scan ? { serialNumber: scan.bomSerialNumber!, version: scan.bomVersion ?? 1 } : null;
}
