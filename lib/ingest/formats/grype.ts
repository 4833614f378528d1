// Grype JSON (`grype -o json`, old and current presenter output) → the normalised report.
import { z } from "zod";
import { parseImageRef } from "@/lib/ingest/image-ref";
import { byteSize, compact, cvssScore, isObject, uniqueStrings, validateEntries } from "@/lib/ingest/formats/common";
import { makeFinding, targetGroup, type NormalisedFinding, type NormalisedReport, type ReportTarget } from "@/lib/findings/model";
import { severityFromWord } from "@/lib/findings/severity";
import { joinKey, vulnerabilityLocalKey } from "@/lib/findings/identity";

const text = z.string().nullish();
const cvss = z.looseObject({ version: text, vector: text, metrics: z.looseObject({ baseScore: cvssScore.nullish() }).nullish() });
const vulnerability = z.looseObject({
  id: z.string().min(1),
  dataSource: text,
  severity: text,
  urls: z.array(z.string()).nullish(),
  description: text,
  cvss: z.array(cvss).nullish(),
  fix: z.looseObject({ versions: z.array(z.string()).nullish(), state: text }).nullish(),
});
const grypeReport = z.looseObject({
  matches: z.array(
    z.looseObject({
      vulnerability,
      relatedVulnerabilities: z.array(vulnerability.partial({ id: true })).nullish(),
      artifact: z.looseObject({
        name: z.string(),
        version: z.string().nullish(),
        type: text,
        purl: text,
        locations: z.array(z.looseObject({ path: text })).nullish(),
      }),
    }),
  ),
  source: z
    .looseObject({
      type: text,
      target: z.union([
        z.string(),
        z.looseObject({
          userInput: text,
          imageID: text,
          manifestDigest: text,
          tags: z.array(z.string()).nullish(),
          repoDigests: z.array(z.string()).nullish(),
          imageSize: byteSize.nullish(),
          os: text,
        }),
      ]),
    })
    .nullish(),
  distro: z.looseObject({ name: text, version: text }).nullish(),
  descriptor: z.looseObject({ name: text, version: text }).nullish(),
});
type GrypeReport = z.infer<typeof grypeReport>;
type Match = GrypeReport["matches"][number];

/** Grype's document, or its `matches` alone (output trimmed with jq): then image= names the target. */
export function looksLikeGrype(doc: unknown): boolean {
  if (!isObject(doc) || !Array.isArray(doc.matches)) return false;
  if ("source" in doc || "descriptor" in doc) return true;
  const first: unknown = doc.matches[0];
  return first === undefined ? Object.keys(doc).length === 1 : isObject(first) && "vulnerability" in first && "artifact" in first;
}

/** OS package paths are the package database (e.g. /lib/apk/db/installed), not the package's own. */
const OS_PACKAGE_TYPES = new Set(["apk", "deb", "rpm", "alpm", "portage", "nix"]);

export function parseGrype(doc: unknown): NormalisedReport {
  const { data: report, skipped } = validateEntries(grypeReport, doc, "Grype", new Set(["matches"]));
  const version = report.descriptor?.version;
  const atSeveralPaths = osPackagesAtSeveralPaths(report.matches);
  return {
    format: "grype",
    tool: "grype",
    toolVersion: version && version !== "[not provided]" ? version : null,
    reportCreatedAt: null,
    groups: [targetGroup(target(report), report.matches.map((m) => matchFinding(m, atSeveralPaths)))],
    skipped,
  };
}

const osMatchKey = (m: Match) => joinKey([m.vulnerability.id, m.artifact.name, m.artifact.version]);
const firstPath = (m: Match) => m.artifact.locations?.[0]?.path?.replace(/^\/+/, "") ?? null;

/**
 * An OS package's path is its package database, so it is left out of the identity (a finding of
 * Trivy's, which gives no path, and Grype's then meet). When the same package is at two paths
 * (two copies of a distro's database), the path tells the two findings apart.
 */
function osPackagesAtSeveralPaths(matches: Match[]): Set<string> {
  const pathsByKey = new Map<string, Set<string | null>>();
  for (const m of matches) {
    if (!OS_PACKAGE_TYPES.has(m.artifact.type ?? "")) continue;
    const key = osMatchKey(m);
    const paths = pathsByKey.get(key) ?? new Set();
    pathsByKey.set(key, paths.add(firstPath(m)));
  }
  return new Set([...pathsByKey].filter(([, paths]) => paths.size > 1).map(([key]) => key));
}

function target(report: GrypeReport): ReportTarget {
  const source = report.source;
  const t = source?.target;
  if (source?.type === "image" && t && typeof t === "object") {
    const fromTag = (t.tags ?? []).map(parseImageRef).find((r) => r !== null);
    const fromDigest = (t.repoDigests ?? []).map(parseImageRef).find((r) => r !== null);
    const fromInput = t.userInput ? parseImageRef(t.userInput) : null;
    const repository = fromTag?.repository ?? fromDigest?.repository ?? fromInput?.repository ?? "";
    return {
      kind: "image",
      repository,
      tags: uniqueStrings([fromTag?.tag, fromInput?.repository === repository ? fromInput?.tag : null]),
      digest: fromDigest?.digest ?? fromInput?.digest ?? null,
      configId: t.imageID ?? null,
      osFamily: report.distro?.name ?? null,
      osName: report.distro?.version ?? null,
      osEndOfLife: false,
      sizeBytes: t.imageSize ?? null,
    };
  }
  // Without a name, the query must give one (artifact= or image=): see applyContext.
  const name = typeof t === "string" ? t : (t?.userInput ?? "");
  return { kind: "artifact", name: name.trim(), artifactType: source?.type ?? "directory" };
}

function matchFinding(match: Match, atSeveralPaths: Set<string>): NormalisedFinding {
  const v = match.vulnerability;
  const a = match.artifact;
  const related = match.relatedVulnerabilities ?? [];
  const score = [v, ...related].flatMap((r) => r.cvss ?? []).sort((x, y) => (y.version ?? "").localeCompare(x.version ?? ""))[0];
  const path = !OS_PACKAGE_TYPES.has(a.type ?? "") || atSeveralPaths.has(osMatchKey(match)) ? firstPath(match) : null;
  const fixed = (v.fix?.versions ?? []).join(", ") || null;
  const severity = severityFromWord(v.severity);
  const description = v.description ?? related.find((r) => r.description)?.description ?? null;
  return makeFinding({
    kind: "vulnerability",
    localKey: vulnerabilityLocalKey({ id: v.id, pkg: a.name, version: a.version ?? "", path }),
    ruleId: v.id,
    title: `${v.id} in ${a.name}`,
    severity,
    cvssScore: score?.metrics?.baseScore ?? null,
    vulnerability: {
      id: v.id,
      aliases: uniqueStrings(related.map((r) => r.id)).filter((id) => id !== v.id),
      severity,
      cvssScore: score?.metrics?.baseScore ?? null,
      cvssVector: score?.vector ?? null,
      cvssVersion: score?.version ?? null,
      title: null,
      description,
      cwes: [],
      references: uniqueStrings([v.dataSource, ...(v.urls ?? [])]),
      publishedAt: null,
      modifiedAt: null,
    },
    packageName: a.name,
    installedVersion: a.version ?? "",
    packagePath: path,
    purl: a.purl || null,
    fixedVersion: fixed,
    scannerStatus: v.fix?.state || null,
    location: a.locations?.[0]?.path ?? null,
    details: compact({ packageType: a.type }),
  });
}
