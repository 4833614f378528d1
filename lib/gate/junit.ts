// A gate decision as a JUnit XML report, for CI systems that show test results: one test case per
// violated rule (a failure for `fail`, a passing case with the warning in its output for `warn`),
// and one passing case when nothing was violated.
import { XMLBuilder } from "fast-xml-parser";
import type { GateResult, GateViolation } from "@/lib/gate/schema";

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@", format: true, suppressEmptyNode: true, processEntities: true });

function details(v: GateViolation): string {
  const lines = v.findings.map((f) => `${f.severity.toUpperCase()} ${f.vulnerability} ${f.package ?? ""} ${f.installed ?? ""}${f.fixedVersion ? ` → ${f.fixedVersion}` : ""}`.replace(/\s+/g, " ").trim());
  const more = v.count > v.findings.length ? [`… and ${v.count - v.findings.length} more`] : [];
  return [v.reason, ...lines, ...more, `Remediation: ${v.remediation}`].join("\n");
}

export function gateJunit(result: GateResult): string {
  const suite = `portcullis gate: ${result.image.ref} (policy ${result.policy.name} v${result.policy.version})`;
  const cases: Record<string, unknown>[] = result.violations.map((v) => ({
    "@name": v.rule,
    "@classname": "portcullis.gate",
    ...(v.action === "fail" ? { failure: { "@message": v.reason, "@type": "fail", "#text": details(v) } } : { "system-out": `warning: ${details(v)}` }),
  }));
  if (cases.length === 0) cases.push({ "@name": "no rule of the policy is violated", "@classname": "portcullis.gate" });
  const failures = result.violations.filter((v) => v.action === "fail").length;
  const xml = builder.build({
    testsuites: {
      "@name": "portcullis",
      "@tests": cases.length,
      "@failures": failures,
      testsuite: { "@name": suite, "@tests": cases.length, "@failures": failures, "@errors": 0, "@timestamp": result.evaluatedAt, properties: { property: [{ "@name": "decision", "@value": result.decision }] }, testcase: cases },
    },
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`;
}
