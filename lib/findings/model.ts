// The normalised finding: what every format parser produces and the merge consumes.
import type { FindingKind, FindingStatus, Severity } from "@/lib/generated/prisma/enums";
import { bounded, boundedDetails, boundedVulnerability, TEXT_LIMITS } from "@/lib/findings/text";

export type { FindingKind, FindingStatus, Severity };

export const SEVERITIES = ["critical", "high", "medium", "low", "unknown"] as const satisfies readonly Severity[];
export const FINDING_KINDS = ["vulnerability", "misconfiguration", "secret", "compliance", "runtime"] as const satisfies readonly FindingKind[];
export const FINDING_STATUSES = ["open", "in_progress", "fixed", "false_positive", "not_affected", "risk_accepted"] as const satisfies readonly FindingStatus[];
/** The statuses that count as open everywhere (counts, scores, the read model). */
export const OPEN_STATUSES = ["open", "in_progress"] as const satisfies readonly FindingStatus[];

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
  /** As the report lists them (repeats and empty ones included): see storedReferences. */
  references: string[];
  publishedAt: Date | null;
  modifiedAt: Date | null;
}

/** A Kubernetes object a finding is about, or that runs an image. */
export interface WorkloadRef {
  namespace: string;
  kind: string;
  name: string;
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
  /** For cluster findings: the namespace and workload the finding is about. */
  resource?: WorkloadRef | null;
  /** A triage decision already stated by the report (e.g. a CycloneDX VEX analysis). */
  initialStatus?: "false_positive" | "not_affected" | "risk_accepted" | "fixed" | null;
}

export interface PackageRecord {
  name: string;
  version: string;
  type: string | null;
  path: string;
  purl: string | null;
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
  /** when it was built (the image config's `created`), if the report says */
  builtAt?: Date | null;
}

/** An image the report does not name; `image=` must name it. */
export function unnamedImage(): ImageTargetInfo {
  return { kind: "image", repository: "", tags: [], digest: null, configId: null, osFamily: null, osName: null, osEndOfLife: false, sizeBytes: null };
}

/** Something scanned that is not an image: a source repository, a filesystem, an SBOM. */
export interface ArtifactTargetInfo {
  kind: "artifact";
  name: string;
  artifactType: string;
}

/** A Kubernetes cluster (CIS results, manifest misconfigurations of live objects). */
export interface ClusterTargetInfo {
  kind: "cluster";
  /** as the report names it; `cluster=` completes or overrides it */
  name: string | null;
  /** A part of the cluster a scanner covers on its own (kube-bench runs per node type): a newer
   * scan closes only the findings of the same part. */
  part?: string;
  /**
   * What of the cluster the report looked at, when that is less than all of it: a newer scan
   * closes findings only there (a `trivy k8s` run limited to some namespaces speaks only for them).
   */
  covers?: { namespaces: string[]; clusterScoped: boolean };
}

export type ReportTarget = ImageTargetInfo | ArtifactTargetInfo | ClusterTargetInfo;

/** One target of a report with its findings; a cluster report holds several. */
export interface TargetFindings {
  target: ReportTarget;
  findings: NormalisedFinding[];
  packages: PackageRecord[];
  /** workloads that run this image, as the report says (trivy k8s) */
  workloads: WorkloadRef[];
  /**
   * The kinds of finding the report looked for, when it says (a Trivy Operator VulnerabilityReport
   * looks for vulnerabilities only): it closes only findings of those kinds. All kinds otherwise.
   */
  checks?: FindingKind[];
}

export type ReportFormat = "trivy" | "trivy-operator" | "grype" | "sarif" | "cyclonedx" | "kube-bench";

export interface NormalisedReport {
  format: ReportFormat;
  tool: string;
  toolVersion: string | null;
  reportCreatedAt: Date | null;
  groups: TargetFindings[];
  /** The cluster the report was taken in, when it says (trivy k8s). */
  clusterName?: string | null;
  /** A CycloneDX BOM's identity, for VEX documents that link to it. */
  bom?: { serialNumber: string; version: number } | null;
  /** Entries that could not become findings: listed in the answer, never dropped silently. */
  skipped?: SkippedEntry[];
}

/** A report entry that did not become a finding: where it is in the body (a JSON path), and why. */
export interface SkippedEntry {
  path: string;
  reason: string;
}

export function isFixable(finding: Pick<NormalisedFinding, "fixedVersion">): boolean {
  return finding.fixedVersion !== null && finding.fixedVersion.trim() !== "";
}

type RequiredFields = "kind" | "localKey" | "ruleId" | "title" | "severity";

/**
 * A finding from its identifying fields and whatever else the scanner said; the rest is empty.
 * One literal with every field in a fixed order keeps parsing of 100k-finding reports fast.
 */
export function makeFinding(f: Pick<NormalisedFinding, RequiredFields> & Partial<Omit<NormalisedFinding, RequiredFields>>): NormalisedFinding {
  return {
    kind: f.kind,
    localKey: f.localKey,
    ruleId: f.ruleId,
    title: bounded(f.title, TEXT_LIMITS.title),
    severity: f.severity,
    cvssScore: f.cvssScore ?? null,
    vulnerability: f.vulnerability ? boundedVulnerability(f.vulnerability) : null,
    packageName: f.packageName ?? null,
    installedVersion: f.installedVersion ?? null,
    packagePath: f.packagePath ?? null,
    purl: f.purl ?? null,
    fixedVersion: f.fixedVersion ?? null,
    scannerStatus: f.scannerStatus ?? null,
    location: f.location ?? null,
    startLine: f.startLine ?? null,
    details: boundedDetails(f.details ?? null),
    resource: f.resource ?? null,
    initialStatus: f.initialStatus ?? null,
  };
}

export function targetGroup(target: ReportTarget, findings: NormalisedFinding[], extra: Partial<Omit<TargetFindings, "target" | "findings">> = {}): TargetFindings {
  return { target, findings, packages: extra.packages ?? [], workloads: extra.workloads ?? [], ...(extra.checks ? { checks: extra.checks } : {}) };
}
