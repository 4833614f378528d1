// kube-bench JSON ({Controls, Totals} or a bare array of controls) → CIS compliance findings.
// Only FAIL and WARN results are findings. A cluster is covered per node type (kube-bench runs
// on each node), so a newer run closes only the findings of the node types it checked.
import { z } from "zod";
import { compact, isObject, validateEntries } from "@/lib/ingest/formats/common";
import { makeFinding, targetGroup, type NormalisedReport, type Severity } from "@/lib/findings/model";
import { complianceLocalKey } from "@/lib/findings/identity";

const text = z.string().nullish();
const control = z.looseObject({
  id: z.string(),
  version: text,
  detected_version: text,
  text: text,
  node_type: z.string().min(1),
  tests: z
    .array(
      z.looseObject({
        section: text,
        desc: text,
        results: z
          .array(
            z.looseObject({
              test_number: z.string().min(1),
              test_desc: z.string(),
              status: z.string(),
              scored: z.boolean().nullish(),
              remediation: text,
              audit: text,
              actual_value: text,
              expected_result: text,
              reason: text,
            }),
          )
          .nullish(),
      }),
    )
    .nullish(),
});
const kubeBenchReport = z.union([z.looseObject({ Controls: z.array(control) }), z.array(control)]);

export function looksLikeKubeBench(doc: unknown): boolean {
  if (isObject(doc)) return Array.isArray(doc.Controls);
  return Array.isArray(doc) && isObject(doc[0]) && "node_type" in doc[0] && "tests" in doc[0];
}

const MAX_ACTUAL = 2000;

/** A failed scored check is high; an unscored (manual) failure medium; a warning low. */
function severityOf(status: string, scored: boolean | null | undefined): Severity {
  if (status === "FAIL") return scored === false ? "medium" : "high";
  return "low";
}

export function parseKubeBench(doc: unknown): NormalisedReport {
  const { data: parsed, skipped } = validateEntries(kubeBenchReport, doc, "kube-bench", new Set(["tests", "results"]));
  const controls = Array.isArray(parsed) ? parsed : parsed.Controls;
  const byNodeType = new Map<string, ReturnType<typeof makeFinding>[]>();
  for (const c of controls) {
    const findings = byNodeType.get(c.node_type) ?? [];
    byNodeType.set(c.node_type, findings);
    for (const group of c.tests ?? []) {
      for (const r of group.results ?? []) {
        const status = r.status.toUpperCase();
        if (status !== "FAIL" && status !== "WARN") continue;
        findings.push(
          makeFinding({
            kind: "compliance",
            localKey: complianceLocalKey({ nodeType: c.node_type, checkId: r.test_number }),
            ruleId: `CIS ${r.test_number}`,
            title: r.test_desc,
            severity: severityOf(status, r.scored),
            scannerStatus: status,
            location: `${c.node_type} · ${group.section ?? c.id} ${group.desc ?? ""}`.trim(),
            details: compact({
              benchmark: c.version,
              kubernetesVersion: c.detected_version,
              scored: r.scored,
              remediation: r.remediation,
              audit: r.audit,
              expected: r.expected_result,
              actual: r.actual_value?.slice(0, MAX_ACTUAL),
              reason: r.reason,
            }),
          }),
        );
      }
    }
  }
  return {
    format: "kube-bench",
    tool: "kube-bench",
    toolVersion: null,
    reportCreatedAt: null,
    // A run that checked no node type (no controls) is recorded, and closes nothing.
    groups: byNodeType.size
      ? [...byNodeType.entries()].map(([nodeType, findings]) => targetGroup({ kind: "cluster", name: null, part: `kube-bench:${nodeType}` }, findings))
      : [targetGroup({ kind: "cluster", name: null, covers: { namespaces: [], clusterScoped: false } }, [])],
    skipped,
  };
}
