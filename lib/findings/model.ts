// The normalised finding: what every format parser produces and the merge consumes.
import type { FindingKind, Severity } from "@/lib/generated/prisma/enums";

export type { FindingKind, Severity };

export const SEVERITIES = ["critical", "high", "medium", "low", "unknown"] as const satisfies readonly Severity[];

/** Catalogue data for a vulnerability id, merged into the shared `Vulnerability` table. */
export interface VulnerabilityRecord {
  id: string;
  aliases: string[];
  severity: Severity;
  cvssScore: number | null;
  cvssVector: string | null;
  cvssVersion: string | null;
  title: string | null;
  description: string | null;
  cwes: string[];
  references: string[];
  publishedAt: Date | null;
  modifiedAt: Date | null;
}

export interface NormalisedFinding {
  kind: FindingKind;
  /** Identity within the report's target (the target itself is added by the merge). */
  localKey: string;
  ruleId: string;
  title: string;
  severity: Severity;
  cvssScore: number | null;
  vulnerability: VulnerabilityRecord | null;
  packageName: string | null;
  installedVersion: string | null;
  packagePath: string | null;
  purl: string | null;
  fixedVersion: string | null;
  scannerStatus: string | null;
  location: string | null;
  startLine: number | null;
  details: Record<string, unknown> | null;
}

export interface ImageTargetInfo {
  kind: "image";
  /** registry/path without tag or digest */
  repository: string;
  tags: string[];
  digest: string | null;
  configId: string | null;
  osFamily: string | null;
  osName: string | null;
  osEndOfLife: boolean;
  sizeBytes: number | null;
}

export type ReportTarget = ImageTargetInfo;

export interface NormalisedReport {
  format: "trivy";
  tool: string;
  toolVersion: string | null;
  reportCreatedAt: Date | null;
  target: ReportTarget;
  findings: NormalisedFinding[];
}

export function isFixable(finding: Pick<NormalisedFinding, "fixedVersion">): boolean {
  return finding.fixedVersion !== null && finding.fixedVersion.trim() !== "";
}
