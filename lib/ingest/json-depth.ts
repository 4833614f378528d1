// Refuses absurdly nested JSON: no scanner report nests anywhere near this deep, and deep
// structures make later recursive steps (validation, storage) fail badly. Checked on the parsed
// document with an explicit stack (JSON.parse itself copes with any depth).
import { ReportError } from "@/lib/ingest/errors";

export const MAX_JSON_DEPTH = 100;

export function assertJsonDepth(doc: unknown, max = MAX_JSON_DEPTH): void {
  // Two parallel stacks rather than [value, depth] pairs: no allocation per object of a large report.
  const values: unknown[] = [doc];
  const depths: number[] = [1];
  while (values.length > 0) {
    const value = values.pop();
    const depth = depths.pop()!;
    if (typeof value !== "object" || value === null) continue;
    if (depth > max) throw new ReportError(`JSON is nested deeper than ${max} levels; no scanner report is`);
    if (Array.isArray(value)) {
      for (const item of value) {
        if (typeof item === "object" && item !== null) {
          values.push(item);
          depths.push(depth + 1);
        }
      }
    } else {
      for (const key in value) {
        const item = (value as Record<string, unknown>)[key];
        if (typeof item === "object" && item !== null) {
          values.push(item);
          depths.push(depth + 1);
        }
      }
    }
  }
}
