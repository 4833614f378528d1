// Grype JSON (`grype -o json`, old and current presenter output) → the normalised report.
import { z } from "zod";
import { parseImageRef } from "@/lib/ingest/image-ref";
import { byteSize, compact, cvssScore, isObject, uniqueStrings, validate } from "@/lib/ingest/formats/common";
import { makeFinding, targetGroup, type NormalisedFinding, type NormalisedReport, type ReportTarget } from "@/lib/findings/model";
import { severityFromWord } from "@/lib/findings/severity";
import { vulnerabilityLocalKey } from "@/lib/findings/identity";

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

export function looksLikeGrype(doc: unknown): boolean {
  return isObject(doc) && Array.isArray(doc.matches) && ("source" in doc || "descriptor" in doc);
}

/** OS package paths are the package database (e.g. /lib/apk/db/installed), not the package's own. */
const OS_PACKAGE_TYPES = new Set(["apk", "deb", "rpm", "alpm", "portage", "nix"]);

export function parseGrype(doc: unknown): NormalisedReport {
  const report = validate(grypeReport, doc, "Grype");
  const version = report.descriptor?.version;
  return {
    format: "grype",
    tool: "grype",
    toolVersion: version && version !== "[not provided]" ? version : null,
    reportCreatedAt: null,
    groups: [targetGroup(target(report), report.matches.map(matchFinding))],
  };
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

function matchFinding(match: Match): NormalisedFinding {
  const v = match.vulnerability;
  const a = match.artifact;
  const related = match.relatedVulnerabilities ?? [];
  const score = [v, ...related].flatMap((r) => r.cvss ?? []).sort((x, y) => (y.version ?? "").localeCompare(x.version ?? ""))[0];
  const path = OS_PACKAGE_TYPES.has(a.type ?? "") ? null : (a.locations?.[0]?.path?.replace(/^\/+/, "") ?? null);
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
