// What a report may put into the database as identifiers (names, ids, versions). They land in
// unique indexes, where PostgreSQL refuses entries over ~2.7 KB and text with NUL characters: a
// report with such an identifier is refused with a 400 that says which and why, before anything
// is written. (Free text is bounded instead: lib/findings/text.ts.)
import { ReportError } from "@/lib/ingest/errors";
import type { NormalisedFinding, TargetFindings } from "@/lib/findings/model";

/** Byte limits of identifiers; together they stay under PostgreSQL's index entry limit. */
export const LIMITS = {
  name: 253, // Kubernetes names: cluster, namespace, workload
  kind: 100,
  id: 256, // vulnerability, rule and check ids
  tag: 128,
  imageId: 256,
  artifact: 1024,
  packageName: 512,
  packageVersion: 256,
  packagePath: 1536,
} as const;

const CONTROL = /[\u0000-\u001f\u007f]/;

/** null when the value is storable as an identifier, else the reason. */
export function identifierProblem(value: string, maxBytes: number): string | null {
  if (CONTROL.test(value)) return "contains a control character (such as NUL)";
  const bytes = Buffer.byteLength(value, "utf8");
  if (bytes > maxBytes) return `is ${bytes} bytes long; at most ${maxBytes} are kept`;
  return null;
}

function check(value: string | null | undefined, maxBytes: number, what: () => string): void {
  if (value === null || value === undefined) return;
  const problem = identifierProblem(value, maxBytes);
  if (problem) throw new ReportError(`${what()} ${problem}: ${JSON.stringify(value.slice(0, 60))}${value.length > 60 ? "…" : ""}`);
}

/** Refuses a report whose identifiers cannot be stored (after parsing, before any write). */
export function assertStorable(tool: string, groups: readonly TargetFindings[]): void {
  check(tool, LIMITS.id, () => "The tool's name");
  for (const [g, group] of groups.entries()) {
    const t = group.target;
    const where = `target ${g + 1}`;
    if (t.kind === "image") {
      check(t.repository, 512, () => `The image repository of ${where}`);
      for (const tag of t.tags) check(tag, LIMITS.tag, () => `An image tag of ${where}`);
      check(t.configId, LIMITS.imageId, () => `The image id of ${where}`);
    } else if (t.kind === "artifact") {
      check(t.name, LIMITS.artifact, () => `The scanned artifact's name`);
    } else {
      check(t.name, LIMITS.name, () => "The cluster name");
      check(t.part, LIMITS.id, () => `The part of the cluster ${where} covers (a kube-bench node type)`);
      for (const ns of t.covers?.namespaces ?? []) check(ns, LIMITS.name, () => `A namespace of ${where}`);
    }
    for (const w of group.workloads) checkWorkload(w, where);
    for (const [i, p] of group.packages.entries()) {
      check(p.name, LIMITS.packageName, () => `The name of package ${i + 1} of ${where}`);
      check(p.version, LIMITS.packageVersion, () => `The version of package ${i + 1} of ${where}`);
      check(p.path, LIMITS.packagePath, () => `The path of package ${i + 1} of ${where}`);
    }
    for (const [i, f] of group.findings.entries()) checkFinding(f, `finding ${i + 1} of ${where}`);
  }
}

function checkWorkload(w: { namespace: string; kind: string; name: string }, where: string): void {
  check(w.namespace, LIMITS.name, () => `A namespace of ${where}`);
  check(w.kind, LIMITS.kind, () => `A Kubernetes kind of ${where}`);
  check(w.name, LIMITS.name, () => `A Kubernetes object name of ${where}`);
}

function checkFinding(f: NormalisedFinding, where: string): void {
  check(f.ruleId, LIMITS.id, () => `The rule or vulnerability id of ${where}`);
  check(f.vulnerability?.id, LIMITS.id, () => `The vulnerability id of ${where}`);
  check(f.packageName, LIMITS.packageName, () => `The package name of ${where}`);
  check(f.installedVersion, LIMITS.packageVersion, () => `The package version of ${where}`);
  if (f.resource) checkWorkload(f.resource, where);
}
