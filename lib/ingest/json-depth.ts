// Refuses absurdly nested JSON: no scanner report nests anywhere near this deep, and deep
// structures make later recursive steps (validation, storage) fail badly. Checked on the parsed
// document with an explicit stack (JSON.parse itself copes with any depth).
import { ReportError } from "@/lib/ingest/errors";

export const MAX_JSON_DEPTH = 100;

export function assertJsonDepth(doc: unknown, max = MAX_JSON_DEPTH): void {
  const stack: [unknown, number][] = [[doc, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== "object" || value === null) continue;
    if (depth > max) throw new ReportError(`JSON is nested deeper than ${max} levels; no scanner report is`);
    if (Array.isArray(value)) {
      for (const item of value) if (typeof item === "object" && item !== null) stack.push([item, depth + 1]);
    } else {
      for (const key in value) {
        const item = (value as Record<string, unknown>)[key];
        if (typeof item === "object" && item !== null) stack.push([item, depth + 1]);
      }
    }
  }
}
