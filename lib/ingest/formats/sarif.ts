// SARIF 2.1.0 from any tool (Trivy, Grype, Dockle, Gitleaks, Checkov, CodeQL, ...) → the normalised report.
// Identity is (tool, rule id, location uri, start line), whatever the tool.
import { z } from "zod";
import { parseImageRef } from "@/lib/ingest/image-ref";
import { compact, isObject, lineNumber, uniqueStrings, validateEntries } from "@/lib/ingest/formats/common";
import { jsonPath } from "@/lib/ingest/errors";
import { makeFinding, targetGroup, type FindingKind, type NormalisedFinding, type NormalisedReport, type ReportTarget, type Severity, type SkippedEntry } from "@/lib/findings/model";
import { severityFromWord, severityOfCvss } from "@/lib/findings/severity";
import { sarifLocalKey } from "@/lib/findings/identity";

const text = z.string().nullish();
const message = z.looseObject({ text: text, markdown: text }).nullish();
const rule = z.looseObject({
  id: z.string(),
  name: text,
  shortDescription: message,
  fullDescription: message,
  helpUri: text,
  defaultConfiguration: z.looseObject({ level: text }).nullish(),
  properties: z.record(z.string(), z.unknown()).nullish(),
});
const driver = z.looseObject({ name: z.string().min(1), version: text, semanticVersion: text, rules: z.array(rule).nullish() });
const sarifReport = z.looseObject({
  version: z.literal("2.1.0", { message: 'SARIF version must be "2.1.0"' }),
  runs: z.array(
    z.looseObject({
      tool: z.looseObject({ driver, extensions: z.array(driver).nullish() }),
      results: z
        .array(
          z.looseObject({
            ruleId: text,
            ruleIndex: z.number().int().nullish(),
            rule: z.looseObject({ id: text, index: z.number().int().nullish() }).nullish(),
            level: text,
            message: message,
            locations: z
              .array(
                z.looseObject({
                  physicalLocation: z
                    .looseObject({
                      artifactLocation: z.looseObject({ uri: text }).nullish(),
                      region: z.looseObject({ startLine: lineNumber.nullish() }).nullish(),
                    })
                    .nullish(),
                }),
              )
              .nullish(),
            properties: z.record(z.string(), z.unknown()).nullish(),
            fingerprints: z.record(z.string(), z.unknown()).nullish(),
            partialFingerprints: z.record(z.string(), z.unknown()).nullish(),
          }),
        )
        .nullish(),
      versionControlProvenance: z.array(z.looseObject({ repositoryUri: text })).nullish(),
      properties: z.record(z.string(), z.unknown()).nullish(),
    }),
  ),
});
type Run = z.infer<typeof sarifReport>["runs"][number];
type Rule = z.infer<typeof rule>;
type Result = NonNullable<Run["results"]>[number];

export function looksLikeSarif(doc: unknown): boolean {
  return isObject(doc) && Array.isArray(doc.runs) && (doc.version === "2.1.0" || String(doc.$schema ?? "").includes("sarif"));
}

export function parseSarif(doc: unknown): NormalisedReport {
  const { data: report, skipped } = validateEntries(sarifReport, doc, "SARIF", new Set(["results", "rules"]));
  const tools = uniqueStrings(report.runs.map((r) => r.tool.driver.name.toLowerCase()));
  const findings = report.runs.flatMap((run, index) => runFindings(run, index, skipped));
  const first = report.runs[0];
  return {
    format: "sarif",
    tool: tools.join("+") || "sarif",
    toolVersion: first?.tool.driver.semanticVersion ?? first?.tool.driver.version ?? null,
    reportCreatedAt: null,
    groups: [targetGroup(target(report.runs), findings)],
    skipped,
  };
}

/** Trivy and Grype name the image in run properties; otherwise the repository, else the tool. */
function target(runs: Run[]): ReportTarget {
  for (const run of runs) {
    const p = run.properties ?? {};
    const tags = Array.isArray(p.repoTags) ? p.repoTags.filter((t): t is string => typeof t === "string") : [];
    const digests = Array.isArray(p.repoDigests) ? p.repoDigests.filter((t): t is string => typeof t === "string") : [];
    const fromTag = tags.map(parseImageRef).find((r) => r !== null);
    const fromDigest = digests.map(parseImageRef).find((r) => r !== null);
    const fromName = typeof p.imageName === "string" ? parseImageRef(p.imageName) : null;
    const repository = fromTag?.repository ?? fromDigest?.repository ?? fromName?.repository;
    if (repository && (fromTag || fromDigest || p.imageID)) {
      return {
        kind: "image",
        repository,
        tags: uniqueStrings(tags.map((t) => parseImageRef(t)?.tag)),
        digest: fromDigest?.digest ?? null,
        configId: typeof p.imageID === "string" ? p.imageID : null,
        osFamily: null,
        osName: null,
        osEndOfLife: false,
        sizeBytes: null,
      };
    }
  }
  // Without a repository, the query must name the target (artifact= or image=): see applyContext.
  const repositoryUri = runs.flatMap((r) => r.versionControlProvenance ?? []).find((v) => v.repositoryUri)?.repositoryUri;
  return { kind: "artifact", name: repositoryUri?.trim() ?? "", artifactType: "sarif" };
}

function runFindings(run: Run, runIndex: number, skipped: SkippedEntry[]): NormalisedFinding[] {
  const tool = run.tool.driver.name.toLowerCase();
  const rules = [...(run.tool.driver.rules ?? []), ...(run.tool.extensions ?? []).flatMap((e) => e.rules ?? [])];
  const byId = new Map(rules.map((r) => [r.id, r]));
  return (run.results ?? []).flatMap((result, index) => {
    const r = result.ruleIndex ?? result.rule?.index;
    const ruleDef = (typeof r === "number" ? run.tool.driver.rules?.[r] : undefined) ?? byId.get(result.ruleId ?? result.rule?.id ?? "");
    const messageText = result.message?.text ?? "";
    // A result may leave out ruleId (Gitleaks 8.0 names the rule only in its message).
    const ruleId = (result.ruleId ?? result.rule?.id ?? ruleDef?.id ?? stringProperty(result, RULE_PROPERTIES) ?? messageText.split("\n")[0].trim().slice(0, 200)) || null;
    if (!ruleId) {
      skipped.push({ path: jsonPath(["runs", runIndex, "results", index]), reason: "the result names no rule (no ruleId, rule, ruleIndex or message)" });
      return [];
    }
    if ((result.level ?? "") === "none") return [];
    const { uri, line } = locationOf(result);
    const pkg = parseTrivyMessage(messageText);
    const kind = kindOf(ruleId, ruleDef, tool);
    const severity = severityOf(result.level, ruleDef);
    const title = ruleDef?.shortDescription?.text || ruleDef?.name || messageText.split("\n")[0] || ruleId;
    // Results with nothing else to tell them apart still differ by the fingerprints SARIF gives for that.
    const fingerprint = uri === null && line === null ? fingerprintOf(result) : null;
    return [
      makeFinding({ kind, localKey: sarifLocalKey({ tool, ruleId, uri, line, fingerprint }), ruleId, title: title.slice(0, 500), severity,
        cvssScore: securitySeverity(ruleDef),
        packageName: pkg.package,
        installedVersion: pkg.installed,
        fixedVersion: pkg.fixed,
        location: uri,
        startLine: line,
        details: compact({ message: messageText, help: ruleDef?.helpUri, tool }),
      }),
    ];
  });
}

const RULE_PROPERTIES = ["ruleId", "ruleID", "RuleID", "rule", "Rule"];
const FILE_PROPERTIES = ["file", "File", "path", "filePath", "uri", "location"];
const LINE_PROPERTIES = ["line", "lineNumber", "startLine", "StartLine", "Line"];

function stringProperty(result: Result, names: string[]): string | null {
  const props = result.properties ?? {};
  const value = names.map((n) => props[n]).find((v) => (typeof v === "string" && v.trim() !== "") || typeof v === "number");
  return value === undefined ? null : String(value).trim();
}

/** The first physical location, else the file and line a tool put in the result's properties. */
function locationOf(result: Result): { uri: string | null; line: number | null } {
  const physical = result.locations?.[0]?.physicalLocation;
  const uri = physical?.artifactLocation?.uri ?? stringProperty(result, FILE_PROPERTIES);
  const rawLine = physical?.region?.startLine ?? stringProperty(result, LINE_PROPERTIES);
  const line = rawLine === null || rawLine === undefined ? null : Number(rawLine);
  return { uri: uri || null, line: Number.isInteger(line) && line! >= 0 && line! <= 2_147_483_647 ? line : null };
}

function fingerprintOf(result: Result): string | null {
  const prints = { ...(result.partialFingerprints ?? {}), ...(result.fingerprints ?? {}) };
  const keys = Object.keys(prints).sort();
  return keys.length ? keys.map((k) => `${k}=${String(prints[k])}`).join("&") : null;
}

function kindOf(ruleId: string, rule: Rule | undefined, tool: string): FindingKind {
  const tags = Array.isArray(rule?.properties?.tags) ? rule.properties.tags.map((t) => String(t).toLowerCase()) : [];
  if (/^(CVE|GHSA|RUSTSEC|GO|PYSEC|OSV)-/i.test(ruleId) || tags.includes("vulnerability")) return "vulnerability";
  if (tags.includes("secret") || tool.includes("gitleaks") || tool.includes("trufflehog")) return "secret";
  return "misconfiguration";
}

/** GitHub's `security-severity` (a CVSS-like 0–10 score) first, then the SARIF level. */
function severityOf(level: string | null | undefined, rule: Rule | undefined): Severity {
  const score = securitySeverity(rule);
  if (score !== null) return severityOfCvss(score);
  const tagged = Array.isArray(rule?.properties?.tags) ? rule.properties.tags.map((t) => severityFromWord(t)).find((s) => s !== "unknown") : undefined;
  if (tagged) return tagged;
  switch (level ?? rule?.defaultConfiguration?.level ?? "warning") {
    case "error":
      return "high";
    case "warning":
      return "medium";
    case "note":
      return "low";
    default:
      return "unknown";
  }
}

function securitySeverity(rule: Rule | undefined): number | null {
  const raw = rule?.properties?.["security-severity"];
  const value = typeof raw === "number" ? raw : typeof raw === "string" ? Number.parseFloat(raw) : Number.NaN;
  return Number.isFinite(value) && value >= 0 && value <= 10 ? value : null;
}

/** Trivy's SARIF puts the package only in the message ("Package: x\nInstalled Version: y\n..."). */
function parseTrivyMessage(text: string): { package: string | null; installed: string | null; fixed: string | null } {
  const field = (name: string) => new RegExp(`^${name}: (.+)$`, "m").exec(text)?.[1]?.trim() || null;
  return { package: field("Package"), installed: field("Installed Version"), fixed: field("Fixed Version") };
}
