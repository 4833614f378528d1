// Trivy JSON (SchemaVersion 2) image reports → the normalised report.
import { ReportError, jsonPath } from "@/lib/ingest/errors";
import { parseImageRef } from "@/lib/ingest/image-ref";
import {
  trivyReport,
  type TrivyMisconfiguration,
  type TrivyReport,
  type TrivySecret,
  type TrivyVulnerability,
} from "@/lib/ingest/formats/trivy-schema";
import type { ImageTargetInfo, NormalisedFinding, NormalisedReport, VulnerabilityRecord } from "@/lib/findings/model";
import { severityFromWord } from "@/lib/findings/severity";
import { misconfigurationLocalKey, secretLocalKey, vulnerabilityLocalKey } from "@/lib/findings/identity";

/** True when the document looks like a Trivy SchemaVersion 2 report (used by format detection). */
export function looksLikeTrivy(doc: unknown): boolean {
  return typeof doc === "object" && doc !== null && !Array.isArray(doc) && "SchemaVersion" in doc && "ArtifactName" in doc;
}

export function parseTrivy(doc: unknown): NormalisedReport {
  const parsed = trivyReport.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ReportError(`Not a valid Trivy report at ${jsonPath(issue.path)}: ${issue.message}`);
  }
  const report = parsed.data;
  if (report.ArtifactType && report.ArtifactType !== "container_image") {
    throw new ReportError(
      `Trivy report of ArtifactType "${report.ArtifactType}" is not supported yet; send a container image report (trivy image -f json)`,
    );
  }
  const findings: NormalisedFinding[] = [];
  for (const result of report.Results ?? []) {
    const target = result.Target ?? "";
    for (const v of result.Vulnerabilities ?? []) findings.push(vulnerabilityFinding(v));
    for (const m of result.Misconfigurations ?? []) {
      if ((m.Status ?? "FAIL").toUpperCase() === "FAIL") findings.push(misconfigurationFinding(target, m));
    }
    for (const s of result.Secrets ?? []) findings.push(secretFinding(target, s));
  }
  return {
    format: "trivy",
    tool: "trivy",
    toolVersion: report.Trivy?.Version ?? null,
    reportCreatedAt: parseDate(report.CreatedAt),
    target: imageTarget(report),
    findings,
  };
}

function imageTarget(report: TrivyReport): ImageTargetInfo {
  const meta = report.Metadata;
  const tags = (meta?.RepoTags ?? []).filter((t) => t !== "");
  const digests = (meta?.RepoDigests ?? []).filter((d) => d !== "");
  const fromTag = tags.map(parseImageRef).find((r) => r !== null);
  const fromDigest = digests.map(parseImageRef).find((r) => r !== null);
  const fromName = report.ArtifactName ? parseImageRef(report.ArtifactName) : null;
  const repository = fromTag?.repository ?? fromDigest?.repository ?? fromName?.repository;
  if (!repository) throw new ReportError("Trivy report names no image: Metadata.RepoTags, RepoDigests and ArtifactName are empty");
  return {
    kind: "image",
    repository,
    tags: tags.map((t) => parseImageRef(t)?.tag).filter((t): t is string => !!t),
    digest: fromDigest?.digest ?? fromName?.digest ?? null,
    configId: meta?.ImageID ?? null,
    osFamily: meta?.OS?.Family ?? null,
    osName: meta?.OS?.Name ?? null,
    osEndOfLife: meta?.OS?.EOSL ?? false,
    sizeBytes: meta?.Size ?? null,
  };
}

function vulnerabilityFinding(v: TrivyVulnerability): NormalisedFinding {
  const severity = severityFromWord(v.Severity);
  const cvss = pickCvss(v);
  const record: VulnerabilityRecord = {
    id: v.VulnerabilityID,
    aliases: (v.VendorIDs ?? []).filter((a) => a !== v.VulnerabilityID),
    severity,
    cvssScore: cvss?.score ?? null,
    cvssVector: cvss?.vector ?? null,
    cvssVersion: cvss?.version ?? null,
    title: v.Title ?? null,
    description: v.Description ?? null,
    cwes: v.CweIDs ?? [],
    references: uniqueStrings([v.PrimaryURL, ...(v.References ?? [])]),
    publishedAt: parseDate(v.PublishedDate),
    modifiedAt: parseDate(v.LastModifiedDate),
  };
  const installedVersion = v.InstalledVersion ?? "";
  return {
    kind: "vulnerability",
    localKey: vulnerabilityLocalKey({ id: v.VulnerabilityID, pkg: v.PkgName, version: installedVersion, path: v.PkgPath ?? null }),
    ruleId: v.VulnerabilityID,
    title: v.Title ?? `${v.VulnerabilityID} in ${v.PkgName}`,
    severity,
    cvssScore: record.cvssScore,
    vulnerability: record,
    packageName: v.PkgName,
    installedVersion,
    packagePath: v.PkgPath ?? null,
    purl: v.PkgIdentifier?.PURL ?? null,
    fixedVersion: v.FixedVersion?.trim() ? v.FixedVersion.trim() : null,
    scannerStatus: v.Status ?? null,
    location: v.PkgPath ?? null,
    startLine: null,
    details: null,
  };
}

/** The CVSS of the source Trivy took the severity from, else NVD, else any; v3 over v4 over v2. */
function pickCvss(v: TrivyVulnerability): { score: number; vector: string | null; version: string } | null {
  const entries = v.CVSS ?? {};
  const order = uniqueStrings([v.SeveritySource, "nvd", ...Object.keys(entries)]);
  for (const source of order) {
    const e = entries[source];
    if (!e) continue;
    if (typeof e.V3Score === "number") return { score: e.V3Score, vector: e.V3Vector ?? null, version: "3" };
    if (typeof e.V40Score === "number") return { score: e.V40Score, vector: e.V40Vector ?? null, version: "4.0" };
    if (typeof e.V2Score === "number") return { score: e.V2Score, vector: e.V2Vector ?? null, version: "2" };
  }
  return null;
}

/** Old Trivy writes "KSV001" (with AVDID "AVD-KSV-0001"), new Trivy "KSV-0001": keep the new form. */
export function normaliseCheckId(id: string, avdId?: string | null): string {
  if (avdId && avdId.startsWith("AVD-")) return avdId.slice(4);
  const old = /^([A-Z]+)(\d+)$/.exec(id);
  return old ? `${old[1]}-${old[2].padStart(4, "0")}` : id;
}

function misconfigurationFinding(target: string, m: TrivyMisconfiguration): NormalisedFinding {
  const checkId = normaliseCheckId(m.ID, m.AVDID);
  return {
    kind: "misconfiguration",
    localKey: misconfigurationLocalKey({ resource: target, checkId }),
    ruleId: checkId,
    title: m.Title ?? checkId,
    severity: severityFromWord(m.Severity),
    cvssScore: null,
    vulnerability: null,
    packageName: null,
    installedVersion: null,
    packagePath: null,
    purl: null,
    fixedVersion: null,
    scannerStatus: m.Status ?? null,
    location: target,
    startLine: m.CauseMetadata?.StartLine ?? null,
    details: compact({ message: m.Message, description: m.Description, resolution: m.Resolution, url: m.PrimaryURL }),
  };
}

function secretFinding(target: string, s: TrivySecret): NormalisedFinding {
  const line = s.StartLine ?? null;
  return {
    kind: "secret",
    localKey: secretLocalKey({ file: target, ruleId: s.RuleID, line }),
    ruleId: s.RuleID,
    title: s.Title ?? s.RuleID,
    severity: severityFromWord(s.Severity),
    cvssScore: null,
    vulnerability: null,
    packageName: null,
    installedVersion: null,
    packagePath: null,
    purl: null,
    fixedVersion: null,
    scannerStatus: null,
    location: target,
    startLine: line,
    // Trivy masks the secret in Match; nothing else of the secret is kept.
    details: compact({ category: s.Category, match: s.Match }),
  };
}

function parseDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

function uniqueStrings(values: ReadonlyArray<string | null | undefined>): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === "string" && v !== ""))];
}

function compact(obj: Record<string, string | null | undefined>): Record<string, string> | null {
  const entries = Object.entries(obj).filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== "");
  return entries.length ? Object.fromEntries(entries) : null;
}
