// Trivy JSON → the normalised report. Handles SchemaVersion 2 (images, repositories, filesystems),
// the pre-0.20 bare array of results, and the three shapes of `trivy k8s` cluster reports.
import { jsonPath } from "@/lib/ingest/errors";
import { resourceLabel } from "@/lib/ingest/k8s-names";
import { parseImageRef } from "@/lib/ingest/image-ref";
import { compact, isObject, parseDate, uniqueStrings, validateEntries } from "@/lib/ingest/formats/common";
import {
  trivyK8sReport,
  trivyLegacyReport,
  trivyReport,
  type TrivyImageMetadata,
  type TrivyK8sResource,
  type TrivyMisconfiguration,
  type TrivyResult,
  type TrivySecret,
  type TrivyVulnerability,
} from "@/lib/ingest/formats/trivy-schema";
import {
  makeFinding,
  targetGroup,
  type ImageTargetInfo,
  type NormalisedFinding,
  type NormalisedReport,
  type PackageRecord,
  type TargetFindings,
  type VulnerabilityRecord,
  type WorkloadRef,
} from "@/lib/findings/model";
import { severityFromWord } from "@/lib/findings/severity";
import { misconfigurationLocalKey, secretLocalKey, vulnerabilityLocalKey } from "@/lib/findings/identity";

type Shape = "v2" | "legacy" | "k8s";

function shapeOf(doc: unknown): Shape | null {
  if (doc === null) return "legacy";
  if (Array.isArray(doc)) {
    return doc.length === 0 || (isObject(doc[0]) && "Target" in doc[0] && ("Vulnerabilities" in doc[0] || "Type" in doc[0] || "Class" in doc[0])) ? "legacy" : null;
  }
  if (!isObject(doc)) return null;
  if ("SchemaVersion" in doc && ("ArtifactName" in doc || "Results" in doc || "ArtifactType" in doc)) return "v2";
  if ("ClusterName" in doc && ("Resources" in doc || "Vulnerabilities" in doc || "Misconfigurations" in doc)) return "k8s";
  return null;
}

/** True when the document is one of Trivy's JSON shapes (used by format detection). */
export function looksLikeTrivy(doc: unknown): boolean {
  return shapeOf(doc) !== null;
}

/** The arrays whose entries are validated one by one (a bad entry is skipped, not the report). */
const ENTRIES = new Set(["Results", "Resources", "Vulnerabilities", "Misconfigurations", "Secrets", "Packages"]);

export function parseTrivy(doc: unknown): NormalisedReport {
  const shape = shapeOf(doc);
  if (shape === "k8s") return parseK8s(doc);
  if (shape === "legacy") return parseLegacy(doc);
  const { data: report, skipped } = validateEntries(trivyReport, doc, "Trivy", ENTRIES);
  const results = report.Results ?? [];
  const base = { format: "trivy" as const, tool: "trivy", toolVersion: report.Trivy?.Version ?? null, reportCreatedAt: parseDate(report.CreatedAt), skipped };
  const findings = results.flatMap((r) => resultFindings(r, r.Target ?? ""));
  const packages = results.flatMap(resultPackages);
  if (!report.ArtifactType || report.ArtifactType === "container_image") {
    // An image built in CI may have no name yet: image= then names it (see applyContext).
    return { ...base, groups: [targetGroup(imageTarget(report.Metadata, [report.ArtifactName]), findings, { packages })] };
  }
  // An empty ArtifactName is for artifact= or image= to fill (see applyContext).
  return { ...base, groups: [targetGroup({ kind: "artifact", name: report.ArtifactName?.trim() ?? "", artifactType: report.ArtifactType }, findings, { packages })] };
}

function parseLegacy(doc: unknown): NormalisedReport {
  const { data, skipped } = validateEntries(trivyLegacyReport, doc, "Trivy (pre-0.20)", ENTRIES);
  const results = data ?? [];
  // The OS result's Target is "image:tag (os version)"; the image= parameter can name it instead.
  const named = results.map((r) => (r.Target ?? "").replace(/\s+\(.*\)$/, "")).find((t) => parseImageRef(t) !== null);
  return {
    format: "trivy",
    tool: "trivy",
    toolVersion: null,
    reportCreatedAt: null,
    skipped,
    groups: [targetGroup(imageTarget(null, [named]), results.flatMap((r) => resultFindings(r, r.Target ?? "")))],
  };
}

function parseK8s(doc: unknown): NormalisedReport {
  const { data: report, skipped } = validateEntries(trivyK8sReport, doc, "Trivy Kubernetes", ENTRIES);
  const listed = (key: "Resources" | "Vulnerabilities" | "Misconfigurations") => (report[key] ?? []).map((resource, index) => ({ resource, path: ["$", key, index] }));
  const resources: TrivyK8sResource[] = [];
  const pathOf = new Map<TrivyK8sResource, string>();
  for (const { resource, path } of [...listed("Resources"), ...listed("Vulnerabilities"), ...listed("Misconfigurations")]) {
    pathOf.set(resource, jsonPath(path.slice(1)));
    if (resource.Kind && resource.Name) resources.push(resource);
    else if (resource.Results?.length) skipped.push({ path: pathOf.get(resource)!, reason: "a resource without Kind and Name: its results belong to nothing" });
  }
  const images = new Map<string, TargetFindings>();
  const clusterFindings: NormalisedFinding[] = [];
  for (const resource of resources) {
    // Cluster-scoped objects (nodes, cluster roles) have no namespace: they belong to the cluster.
    const workload: WorkloadRef = { namespace: resource.Namespace ?? "", kind: resource.Kind!, name: resource.Name! };
    const resourceId = resourceLabel(workload);
    for (const result of resource.Results ?? []) {
      for (const m of result.Misconfigurations ?? []) {
        if ((m.Status ?? "FAIL").toUpperCase() === "FAIL") clusterFindings.push({ ...misconfigurationFinding(resourceId, m), resource: workload });
      }
    }
    const vulnResults = (resource.Results ?? []).filter((r) => (r.Vulnerabilities?.length ?? 0) > 0 || (r.Secrets?.length ?? 0) > 0 || r.Class === "os-pkgs");
    if (vulnResults.length === 0) continue;
    const target = k8sImageTarget(resource);
    if (!target.repository) {
      skipped.push({ path: pathOf.get(resource)!, reason: "its image has no name (no RepoTags, RepoDigests or image target): its vulnerabilities have no image to belong to" });
      continue;
    }
    const key = `${target.repository}@${target.digest ?? target.configId ?? target.tags[0]}`;
    const group = images.get(key) ?? targetGroup(target, [], { workloads: [] });
    images.set(key, group);
    group.findings.push(...vulnResults.flatMap((r) => resultFindings({ ...r, Misconfigurations: null }, r.Target ?? "")));
    if (workload.namespace && !group.workloads.some((w) => w.namespace === workload.namespace && w.kind === workload.kind && w.name === workload.name)) group.workloads.push(workload);
  }
  // Only a report that checked configuration speaks for the cluster's misconfigurations, and only
  // for the namespaces it looked at: a vulnerability-only run (--scanners vuln) or a run limited to
  // some namespaces must not close the others' findings. An empty report covers nothing.
  const checkedConfig = (report.Misconfigurations?.length ?? 0) > 0 || resources.some((r) => r.Results?.some((x) => x.Class === "config" || (x.Misconfigurations?.length ?? 0) > 0));
  // The older shape lists the objects whose configuration was checked on their own.
  const configChecked = (report.Misconfigurations?.length ? report.Misconfigurations : resources).filter((r) => r.Kind && r.Name);
  const covers = checkedConfig
    ? { namespaces: [...new Set(configChecked.map((r) => r.Namespace ?? "").filter(Boolean))], clusterScoped: configChecked.some((r) => !r.Namespace) }
    : { namespaces: [], clusterScoped: false };
  const clusterName = report.ClusterName?.trim() || null;
  return {
    format: "trivy",
    tool: "trivy",
    toolVersion: null,
    reportCreatedAt: null,
    groups: [targetGroup({ kind: "cluster", name: clusterName, covers }, clusterFindings), ...images.values()],
    clusterName,
    skipped,
  };
}

function k8sImageTarget(resource: TrivyK8sResource): ImageTargetInfo {
  const metadata = Array.isArray(resource.Metadata) ? resource.Metadata[0] : resource.Metadata;
  const osTarget = resource.Results?.find((r) => r.Class === "os-pkgs")?.Target?.replace(/\s+\(.*\)$/, "");
  return imageTarget(metadata ?? null, [osTarget]);
}

/** The image a report names; without a name its repository is "" (image= must then give one). */
function imageTarget(meta: TrivyImageMetadata | null | undefined, names: ReadonlyArray<string | null | undefined>): ImageTargetInfo {
  const tags = (meta?.RepoTags ?? []).filter((t) => t !== "");
  const digests = (meta?.RepoDigests ?? []).filter((d) => d !== "");
  const fromTag = tags.map(parseImageRef).find((r) => r !== null);
  const fromDigest = digests.map(parseImageRef).find((r) => r !== null);
  const fromName = names.map((n) => (n ? parseImageRef(n) : null)).find((r) => r !== null);
  const repository = fromTag?.repository ?? fromDigest?.repository ?? fromName?.repository ?? "";
  const tagNames = tags.map((t) => parseImageRef(t)?.tag).filter((t): t is string => !!t);
  return {
    kind: "image",
    repository,
    tags: tagNames.length ? tagNames : fromName?.tag ? [fromName.tag] : [],
    digest: fromDigest?.digest ?? fromName?.digest ?? null,
    configId: meta?.ImageID ?? null,
    osFamily: meta?.OS?.Family ?? null,
    osName: meta?.OS?.Name ?? null,
    osEndOfLife: meta?.OS?.EOSL ?? false,
    sizeBytes: meta?.Size ?? null,
    builtAt: buildDate(meta?.ImageConfig?.created),
  };
}

/** A reproducible build stamps the epoch (distroless): that says nothing about the image's age. */
function buildDate(created: string | null | undefined): Date | null {
  const at = created ? new Date(created) : null;
  return at && !Number.isNaN(at.getTime()) && at.getUTCFullYear() > 1980 ? at : null;
}

function resultFindings(result: TrivyResult, target: string): NormalisedFinding[] {
  const findings: NormalisedFinding[] = [];
  // A language package without its own path is identified by the lock file it came from
  // (a repository can have several go.mod files listing the same module).
  const lockFile = result.Class === "lang-pkgs" && target ? target : null;
  for (const v of result.Vulnerabilities ?? []) findings.push(vulnerabilityFinding(v, v.PkgPath || lockFile));
  for (const m of result.Misconfigurations ?? []) {
    if ((m.Status ?? "FAIL").toUpperCase() === "FAIL") findings.push(misconfigurationFinding(target, m));
  }
  for (const s of result.Secrets ?? []) findings.push(secretFinding(target, s));
  return findings;
}

function resultPackages(result: TrivyResult): PackageRecord[] {
  return (result.Packages ?? []).map((p) => ({
    name: p.Name,
    version: p.Version ?? "",
    type: result.Type ?? null,
    path: p.FilePath ?? "",
    purl: p.Identifier?.PURL ?? null,
  }));
}

function vulnerabilityFinding(v: TrivyVulnerability, packagePath: string | null): NormalisedFinding {
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
    references: v.PrimaryURL ? [v.PrimaryURL, ...(v.References ?? [])] : (v.References ?? []),
    publishedAt: parseDate(v.PublishedDate),
    modifiedAt: parseDate(v.LastModifiedDate),
  };
  const installedVersion = v.InstalledVersion ?? "";
  return makeFinding({
    kind: "vulnerability",
    localKey: vulnerabilityLocalKey({ id: v.VulnerabilityID, pkg: v.PkgName, version: installedVersion, path: packagePath }),
    ruleId: v.VulnerabilityID,
    title: v.Title ?? `${v.VulnerabilityID} in ${v.PkgName}`,
    severity,
    cvssScore: record.cvssScore,
    vulnerability: record,
    packageName: v.PkgName,
    installedVersion,
    packagePath,
    purl: v.PkgIdentifier?.PURL ?? null,
    fixedVersion: v.FixedVersion?.trim() ? v.FixedVersion.trim() : null,
    scannerStatus: v.Status ?? null,
    location: packagePath,
  });
}

/** The CVSS of the source Trivy took the severity from, else NVD, else any; v3 over v4 over v2. */
function pickCvss(v: TrivyVulnerability): { score: number; vector: string | null; version: string } | null {
  const entries = v.CVSS ?? {};
  for (const source of uniqueStrings([v.SeveritySource, "nvd", ...Object.keys(entries)])) {
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

function misconfigurationFinding(resource: string, m: TrivyMisconfiguration): NormalisedFinding {
  const checkId = normaliseCheckId(m.ID, m.AVDID);
  return makeFinding({
    kind: "misconfiguration",
    localKey: misconfigurationLocalKey({ resource, checkId }),
    ruleId: checkId,
    title: m.Title ?? checkId,
    severity: severityFromWord(m.Severity),
    scannerStatus: m.Status ?? null,
    location: resource,
    startLine: m.CauseMetadata?.StartLine ?? null,
    details: compact({ message: m.Message, description: m.Description, resolution: m.Resolution, url: m.PrimaryURL }),
  });
}

function secretFinding(target: string, s: TrivySecret): NormalisedFinding {
  const line = s.StartLine ?? null;
  return makeFinding({
    kind: "secret",
    localKey: secretLocalKey({ file: target, ruleId: s.RuleID, line }),
    ruleId: s.RuleID,
    title: s.Title ?? s.RuleID,
    severity: severityFromWord(s.Severity),
    location: target,
    startLine: line,
    // Trivy masks the secret in Match; nothing else of the secret is kept.
    details: compact({ category: s.Category, match: s.Match }),
  });
}
