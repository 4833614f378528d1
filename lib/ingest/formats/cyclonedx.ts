// CycloneDX 1.4–1.7 JSON → the normalised report. Components become the package inventory;
// vulnerabilities with `affects` become findings; a VEX `analysis` already in the document
// becomes the finding's initial triage decision.
import { z } from "zod";
import { parseImageRef } from "@/lib/ingest/image-ref";
import { PackageURL } from "packageurl-js";
import { compact, isObject, parseDate, uniqueStrings, validateEntries } from "@/lib/ingest/formats/common";
import {
  makeFinding,
  targetGroup,
  type NormalisedFinding,
  type NormalisedReport,
  type PackageRecord,
  type ReportTarget,
  type Severity,
} from "@/lib/findings/model";
import { severityFromWord, severityOfCvss, severityRank } from "@/lib/findings/severity";
import { vulnerabilityLocalKey } from "@/lib/findings/identity";

const text = z.string().nullish();
const property = z.looseObject({ name: z.string(), value: z.string().nullish() });
interface Component {
  "bom-ref"?: string | null;
  type?: string | null;
  name: string;
  version?: string | null;
  purl?: string | null;
  properties?: { name: string; value?: string | null }[] | null;
  components?: Component[] | null;
}
const component: z.ZodType<Component> = z.lazy(() =>
  z.looseObject({
    "bom-ref": text,
    type: text,
    name: z.string(),
    version: text,
    purl: text,
    properties: z.array(property).nullish(),
    components: z.array(component).nullish(),
  }),
);
const cyclonedxReport = z.looseObject({
  bomFormat: z.literal("CycloneDX"),
  specVersion: z.string().regex(/^1\.[4-7]$/, "specVersion must be 1.4, 1.5, 1.6 or 1.7"),
  serialNumber: z.string().nullish(),
  version: z.number().nullish(),
  metadata: z
    .looseObject({
      timestamp: text,
      component: component.nullish(),
      tools: z.unknown().optional(),
    })
    .nullish(),
  components: z.array(component).nullish(),
  vulnerabilities: z
    .array(
      z.looseObject({
        id: z.string().min(1),
        source: z.looseObject({ name: text, url: text }).nullish(),
        references: z.array(z.looseObject({ id: text })).nullish(),
        ratings: z.array(z.looseObject({ source: z.looseObject({ name: text }).nullish(), score: z.number().nullish(), severity: text, method: text, vector: text })).nullish(),
        // (a score outside 0–10 is another method's scale: it is not taken as CVSS)
        cwes: z.array(z.number()).nullish(),
        description: text,
        recommendation: text,
        advisories: z.array(z.looseObject({ url: text })).nullish(),
        published: text,
        updated: text,
        analysis: z.looseObject({ state: text, justification: text, detail: text }).nullish(),
        affects: z.array(z.looseObject({ ref: z.string() })).nullish(),
      }),
    )
    .nullish(),
});
type Bom = z.infer<typeof cyclonedxReport>;
type Vulnerability = NonNullable<Bom["vulnerabilities"]>[number];

export function looksLikeCycloneDx(doc: unknown): boolean {
  return isObject(doc) && doc.bomFormat === "CycloneDX";
}

export function parseCycloneDx(doc: unknown): NormalisedReport {
  const { data: bom, skipped } = validateEntries(cyclonedxReport, doc, "CycloneDX", new Set(["vulnerabilities", "components", "affects"]));
  const components = flatten(bom.components ?? []);
  const byRef = new Map(components.filter((c) => c["bom-ref"]).map((c) => [c["bom-ref"]!, c]));
  const findings = (bom.vulnerabilities ?? []).flatMap((v) => (v.affects ?? []).map((a) => vulnerabilityFinding(v, affected(a.ref, byRef))));
  const packages: PackageRecord[] = components
    .filter((c) => c.type !== "operating-system" && c.version)
    .map((c) => ({ name: c.name, version: c.version ?? "", type: c.type ?? null, path: prop(c, "aquasecurity:trivy:FilePath") ?? "", purl: c.purl ?? null }));
  const tool = toolName(bom.metadata?.tools);
  return {
    format: "cyclonedx",
    tool: tool ?? "cyclonedx",
    toolVersion: null,
    reportCreatedAt: parseDate(bom.metadata?.timestamp),
    groups: [targetGroup(target(bom.metadata?.component ?? null), findings, { packages })],
    bom: bomIdentity(bom.serialNumber, bom.version),
    skipped,
  };
}

/**
 * The component an `affects` ref names: one of the BOM's, else what its PURL says (a partial
 * component list, a VEX naming another BOM's component by BOM-Link), else the ref itself, so
 * that the finding is kept whatever the ref is.
 */
function affected(ref: string, byRef: Map<string, Component>): Component {
  const own = byRef.get(ref);
  if (own) return own;
  const local = ref.startsWith("urn:cdx:") && ref.includes("#") ? decodeURIComponent(ref.slice(ref.indexOf("#") + 1)) : ref;
  return byRef.get(local) ?? componentOfPurl(local) ?? { "bom-ref": ref, name: local, version: "" };
}

/** Package names as their ecosystems write them: npm's @scope/name, Maven's group:artifact. */
function componentOfPurl(ref: string): Component | null {
  if (!ref.startsWith("pkg:")) return null;
  try {
    const purl = PackageURL.fromString(ref);
    const ns = purl.namespace;
    const name = !ns || OS_PURL_TYPES.has(purl.type) ? purl.name : purl.type === "maven" ? `${ns}:${purl.name}` : `${ns}/${purl.name}`;
    return { "bom-ref": ref, type: "library", name, version: purl.version ?? "", purl: ref };
  } catch {
    return null;
  }
}

/** PURL types whose namespace is the distribution, not part of the package's name. */
const OS_PURL_TYPES = new Set(["deb", "rpm", "apk", "alpm", "alpine"]);

/** "urn:uuid:…" and a whole version: what a BOM-Link names; anything else links nowhere. */
function bomIdentity(serialNumber: string | null | undefined, version: number | null | undefined): NormalisedReport["bom"] {
  if (!serialNumber || !/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(serialNumber)) return null;
  return { serialNumber: serialNumber.toLowerCase(), version: Number.isInteger(version) && version! >= 1 && version! < 2 ** 31 ? version! : 1 };
}

function flatten(components: Component[]): Component[] {
  return components.flatMap((c) => [c, ...flatten(c.components ?? [])]);
}

function prop(c: Component, name: string): string | null {
  return c.properties?.find((p) => p.name === name)?.value ?? null;
}

/** Tools are an array (1.4) or {components: [...]} (1.5+). */
function toolName(tools: unknown): string | null {
  const list = Array.isArray(tools) ? tools : isObject(tools) && Array.isArray(tools.components) ? tools.components : [];
  const first = list.find((t): t is { name: string } => isObject(t) && typeof t.name === "string");
  return first ? first.name.toLowerCase() : null;
}

function target(main: Component | null): ReportTarget {
  if (main?.type === "container") {
    const tag = prop(main, "aquasecurity:trivy:RepoTag");
    const digest = prop(main, "aquasecurity:trivy:RepoDigest");
    const ref = parseImageRef(tag ?? "") ?? parseImageRef(digest ?? "") ?? parseImageRef(main.version ? `${main.name}:${main.version}` : main.name);
    return {
      kind: "image",
      repository: ref?.repository ?? "",
      tags: uniqueStrings([ref?.tag]),
      digest: parseImageRef(digest ?? "")?.digest ?? ref?.digest ?? null,
      configId: prop(main, "aquasecurity:trivy:ImageID"),
      osFamily: null,
      osName: null,
      osEndOfLife: false,
      sizeBytes: null,
    };
  }
  return { kind: "artifact", name: main?.name ? (main.version ? `${main.name}@${main.version}` : main.name) : "sbom", artifactType: main?.type ?? "sbom" };
}

/** The rating of the vulnerability's own source, else NVD's, else the most severe one. */
function pickRating(v: Vulnerability) {
  const ratings = (v.ratings ?? []).filter((r) => r.severity && severityFromWord(r.severity) !== "unknown");
  const bySource = (name: string | null | undefined) => ratings.filter((r) => r.source?.name === name).sort((a, b) => (b.score ?? 0) - (a.score ?? 0))[0];
  return bySource(v.source?.name) ?? bySource("nvd") ?? [...ratings].sort((a, b) => severityRank[severityFromWord(b.severity)] - severityRank[severityFromWord(a.severity)])[0];
}

const decisions: Record<string, NormalisedFinding["initialStatus"]> = {
  not_affected: "not_affected",
  false_positive: "false_positive",
  resolved: "fixed",
  resolved_with_pedigree: "fixed",
};

/** The newest CVSS rating with a score (v4 over v3.1 over v3 over v2); a score without a method is taken as v3. */
function pickScored(v: Vulnerability) {
  const rank = (method: string | null | undefined) => ({ CVSSv4: 4, CVSSv31: 3, CVSSv3: 2, CVSSv2: 1 })[method ?? "CVSSv3"] ?? 0;
  return (v.ratings ?? [])
    .filter((r) => typeof r.score === "number" && r.score >= 0 && r.score <= 10 && rank(r.method) > 0)
    .sort((a, b) => rank(b.method) - rank(a.method))[0];
}

function vulnerabilityFinding(v: Vulnerability, c: Component): NormalisedFinding {
  const rating = pickRating(v);
  const scored = pickScored(v);
  // A rating that names no severity (only a score and its method) still has one: its CVSS band.
  const severity: Severity = rating ? severityFromWord(rating.severity) : scored ? severityOfCvss(scored.score!, scored.method === "CVSSv2" ? "v2" : "v3") : "unknown";
  const path = prop(c, "aquasecurity:trivy:FilePath");
  const fixed = /to versions? (.+)$/i.exec(v.recommendation ?? "")?.[1]?.trim() ?? null;
  return makeFinding({
    kind: "vulnerability",
    localKey: vulnerabilityLocalKey({ id: v.id, pkg: c.name, version: c.version ?? "", path }),
    ruleId: v.id,
    title: `${v.id} in ${c.name}`,
    severity,
    cvssScore: scored?.score ?? null,
    vulnerability: {
      id: v.id,
      aliases: uniqueStrings((v.references ?? []).map((r) => r.id)).filter((id) => id !== v.id),
      severity,
      cvssScore: scored?.score ?? null,
      cvssVector: scored?.vector ?? null,
      cvssVersion: scored ? (scored.method ?? "CVSSv3").replace(/^CVSSv/, "") : null,
      title: null,
      description: v.description ?? null,
      cwes: (v.cwes ?? []).map((n) => `CWE-${n}`),
      references: uniqueStrings((v.advisories ?? []).map((a) => a.url)),
      publishedAt: parseDate(v.published),
      modifiedAt: parseDate(v.updated),
    },
    packageName: c.name,
    installedVersion: c.version ?? "",
    packagePath: path,
    purl: c.purl ?? null,
    fixedVersion: fixed,
    scannerStatus: v.analysis?.state ?? null,
    location: path,
    details: compact({ analysis: v.analysis?.detail, justification: v.analysis?.justification, bomRef: c["bom-ref"] }),
    initialStatus: decisions[v.analysis?.state ?? ""] ?? null,
  });
}
