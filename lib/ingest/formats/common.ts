// Small helpers every format parser uses.
import { z } from "zod";
import { ReportError, jsonPath } from "@/lib/ingest/errors";
import type { SkippedEntry } from "@/lib/findings/model";

/** Validates a document against a format's schema; the error names the format and the JSON path. */
export function validate<T>(schema: z.ZodType<T>, doc: unknown, formatName: string): T {
  const parsed = schema.safeParse(doc);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ReportError(`Not a valid ${formatName} report at ${jsonPath(issue.path)}: ${issue.message}`);
}

/**
 * Validates a document whose entries (the arrays named in `entryKeys`, or the top-level array)
 * are validated one by one: an entry that does not fit is taken out and listed as skipped, the
 * rest of the report still counts. A fault outside the entries (the report's frame) refuses it.
 */
export function validateEntries<T>(schema: z.ZodType<T>, doc: unknown, formatName: string, entryKeys: ReadonlySet<string>): { data: T; skipped: SkippedEntry[] } {
  const first = schema.safeParse(doc);
  if (first.success) return { data: first.data, skipped: [] };
  const entries = new Map<string, { path: PropertyKey[]; reason: string }>();
  for (const issue of first.error.issues) {
    const cut = entryEnd(issue.path, Array.isArray(doc), entryKeys);
    if (cut === 0) return { data: validate(schema, doc, formatName), skipped: [] }; // throws: the frame is wrong
    const path = issue.path.slice(0, cut);
    const key = jsonPath(path);
    if (!entries.has(key)) entries.set(key, { path, reason: `${jsonPath(issue.path.slice(cut)).replace(/^\$\.?/, "") || "the entry"}: ${issue.message}` });
  }
  const skipped = [...entries.entries()].map(([path, e]) => ({ path, reason: e.reason }));
  removeEntries(doc, [...entries.values()].map((e) => e.path));
  return { data: validate(schema, doc, formatName), skipped };
}

/** Where the entry an issue is in ends in its path (after the index), or 0 when it is in no entry. */
function entryEnd(path: ReadonlyArray<PropertyKey>, rootIsArray: boolean, entryKeys: ReadonlySet<string>): number {
  for (let i = path.length - 2; i >= 0; i--) {
    if (typeof path[i] === "string" && entryKeys.has(path[i] as string) && typeof path[i + 1] === "number") return i + 2;
  }
  return rootIsArray && typeof path[0] === "number" ? 1 : 0;
}

/** Takes the entries out of their arrays, each array compacted once (a report may have thousands). */
function removeEntries(doc: unknown, paths: PropertyKey[][]): void {
  const doomed = new Map<unknown[], Set<number>>();
  for (const path of paths) {
    let parent: unknown = doc;
    for (const part of path.slice(0, -1)) parent = (parent as Record<PropertyKey, unknown> | null)?.[part];
    if (!Array.isArray(parent)) continue;
    const indexes = doomed.get(parent) ?? new Set<number>();
    doomed.set(parent, indexes.add(path[path.length - 1] as number));
  }
  for (const [array, indexes] of doomed) {
    let kept = 0;
    for (let i = 0; i < array.length; i++) if (!indexes.has(i)) array[kept++] = array[i];
    array.length = kept;
  }
}

/** A date a report states; an unparsable or implausible one (year 0, negative years) is unknown. */
export function parseDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const d = new Date(value);
  const year = d.getUTCFullYear();
  return Number.isNaN(d.getTime()) || year < 1900 || year > 9999 ? null : d;
}

/** Numbers a report states, within what they can mean (PostgreSQL int, a size, a CVSS score). */
export const lineNumber = z.number().int("must be a whole number").min(0, "must not be negative").max(2_147_483_647, "is too large for a line number");
export const byteSize = z.number().int("must be a whole number").min(0, "must not be negative").max(Number.MAX_SAFE_INTEGER, "is too large for a size");
export const cvssScore = z.number().min(0, "a CVSS score is between 0 and 10").max(10, "a CVSS score is between 0 and 10");

/** The non-empty strings, each once, in order. (A loop: it runs for every reference of every finding.) */
export function uniqueStrings(values: ReadonlyArray<string | null | undefined>): string[] {
  const out: string[] = [];
  const seen = values.length > 16 ? new Set<string>() : null;
  for (const v of values) {
    if (typeof v !== "string" || v === "") continue;
    if (seen ? seen.has(v) : out.includes(v)) continue;
    seen?.add(v);
    out.push(v);
  }
  return out;
}

/** Drops empty values; null when nothing is left. */
export function compact(obj: Record<string, unknown>): Record<string, unknown> | null {
  const entries = Object.entries(obj).filter(([, v]) => v !== null && v !== undefined && v !== "" && !(Array.isArray(v) && v.length === 0));
  return entries.length ? Object.fromEntries(entries) : null;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
