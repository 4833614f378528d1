// Small helpers every format parser uses.
import { z } from "zod";
import { ReportError, jsonPath } from "@/lib/ingest/errors";

/** Validates a document against a format's schema; the error names the format and the JSON path. */
export function validate<T>(schema: z.ZodType<T>, doc: unknown, formatName: string): T {
  const parsed = schema.safeParse(doc);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ReportError(`Not a valid ${formatName} report at ${jsonPath(issue.path)}: ${issue.message}`);
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

export function uniqueStrings(values: ReadonlyArray<string | null | undefined>): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === "string" && v !== ""))];
}

/** Drops empty values; null when nothing is left. */
export function compact(obj: Record<string, unknown>): Record<string, unknown> | null {
  const entries = Object.entries(obj).filter(([, v]) => v !== null && v !== undefined && v !== "" && !(Array.isArray(v) && v.length === 0));
  return entries.length ? Object.fromEntries(entries) : null;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
