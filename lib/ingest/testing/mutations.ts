// Property-based testing of the parsers: arbitrary JSON, and real reports with one node changed
// to something odd (the kinds of value that once answered 500: NUL, lone surrogates, huge or
// fractional numbers, long strings, wrong types, missing fields).
import fc from "fast-check";
import { readdirSync } from "node:fs";
import path from "node:path";
import { FIXTURES_DIR, fixtureJson } from "@/lib/ingest/testing/fixtures";

/** Every real JSON report the repository holds (Falco's line-delimited files are separate). */
export function realReports(): { name: string; doc: unknown }[] {
  const reports: { name: string; doc: unknown }[] = [];
  for (const dir of ["trivy", "grype", "kube-bench", "k8s-misconfig"]) {
    for (const file of readdirSync(path.join(FIXTURES_DIR, dir)).filter((f) => f.endsWith(".json"))) reports.push({ name: `${dir}/${file}`, doc: fixtureJson(`${dir}/${file}`) });
  }
  return reports;
}

/** Values chosen to break things: each was once a 500 somewhere. */
export const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(null, [], {}, "", 0, -1, 1.5, 1e300, -1e300, 2 ** 53 + 2, "\u0000", "a\u0000b", "\ud800", "x\udc00y", "0000-01-01T00:00:00Z", "-000001-01-01T00:00:00Z", "javascript:alert(1)", "<script>alert(1)</script>", true),
  fc.string({ minLength: 3000, maxLength: 9000 }),
);

/** Paths to every node of a document. */
function paths(doc: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (out.length > 5000) return out;
  if (Array.isArray(doc)) doc.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (doc && typeof doc === "object") for (const [k, v] of Object.entries(doc)) paths(v, [...prefix, k], out);
  return out;
}

/** A copy of `doc` with the node at `path` replaced (or, with `undefined`, deleted). */
function replaced(doc: unknown, at: (string | number)[], value: unknown): unknown {
  if (at.length === 0) return value === undefined ? null : value;
  const copy: unknown = structuredClone(doc);
  let node = copy as Record<string | number, unknown>;
  for (const key of at.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = at.at(-1)!;
  if (value === undefined && !Array.isArray(node)) delete node[last];
  else node[last] = value;
  return copy;
}

/** A real report with one node replaced by an odd value, or removed. */
export function mutatedReport(reports: { name: string; doc: unknown }[]): fc.Arbitrary<{ name: string; at: (string | number)[]; doc: unknown }> {
  return fc
    .tuple(fc.nat(reports.length - 1), fc.nat(), fc.option(oddValue, { nil: undefined, freq: 5 }))
    .map(([r, n, value]) => {
      const { name, doc } = reports[r];
      const all = paths(doc);
      const at = all[n % all.length];
      return { name, at, doc: replaced(doc, at, value) };
    });
}
