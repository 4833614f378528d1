// Test helper: the real scanner outputs kept in fixtures/ (see fixtures/SOURCES.md).
import { readFileSync } from "node:fs";
import path from "node:path";

export const FIXTURES_DIR = path.resolve(import.meta.dirname, "../../../fixtures");

export function fixtureText(relative: string): string {
  return readFileSync(path.join(FIXTURES_DIR, relative), "utf8");
}

export function fixtureJson<T = unknown>(relative: string): T {
  return JSON.parse(fixtureText(relative)) as T;
}

export function severityHistogram(findings: readonly { severity: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const f of findings) counts[f.severity] = (counts[f.severity] ?? 0) + 1;
  return counts;
}
