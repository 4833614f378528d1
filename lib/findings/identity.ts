import { createHash } from "node:crypto";

// Stable identities of findings (PRODUCT.md, "Identity"). A key is the kind, the target and the
// kind's identifying fields joined by a separator that cannot appear in JSON-decoded scanner text
// without escaping, so that two different tuples never produce the same key.
const SEP = "\u001f";

export function joinKey(parts: ReadonlyArray<string | number | null | undefined>): string {
  return parts.map((p) => (p === null || p === undefined ? "" : String(p))).join(SEP);
}

/** (vulnerability id, package name, installed version, package path); the image is the target. */
export function vulnerabilityLocalKey(v: { id: string; pkg: string; version: string; path: string | null }): string {
  return joinKey(["vulnerability", v.id, v.pkg, v.version, v.path]);
}

/** (resource or file, check id) */
export function misconfigurationLocalKey(m: { resource: string; checkId: string }): string {
  return joinKey(["misconfiguration", m.resource, m.checkId]);
}

/** (file, rule id, line) */
export function secretLocalKey(s: { file: string; ruleId: string; line: number | null }): string {
  return joinKey(["secret", s.file, s.ruleId, s.line]);
}

/**
 * The global identity: the target (e.g. an image id) plus the key within it, hashed to 128 bits
 * so that the unique index every ingest probes stays small (the parts are columns of the finding).
 */
export function identityKey(targetKey: string, localKey: string): string {
  return createHash("sha256").update(joinKey([targetKey, localKey])).digest("base64url").slice(0, 22);
}

/** (tool, rule id, location uri, start line); a result with no location adds its fingerprints. */
export function sarifLocalKey(r: { tool: string; ruleId: string; uri: string | null; line: number | null; fingerprint?: string | null }): string {
  return joinKey(["sarif", r.tool, r.ruleId, r.uri, r.line, ...(r.fingerprint ? [r.fingerprint] : [])]);
}

/** (node type, check id); the cluster is the target. */
export function complianceLocalKey(c: { nodeType: string; checkId: string }): string {
  return joinKey(["compliance", c.nodeType, c.checkId]);
}

/** (namespace, workload, rule); the cluster is the target. */
export function runtimeLocalKey(r: { namespace: string; workload: string; rule: string }): string {
  return joinKey(["runtime", r.namespace, r.workload, r.rule]);
}
