// Falco events as Falco and Falcosidekick send them: one JSON event, an array of them, or
// newline-delimited JSON. Each event is validated on its own; bad ones are reported, not fatal.
import { z } from "zod";
import { quoteBigIntegers } from "@/lib/ingest/falco/big-integers";
import { ReportError } from "@/lib/ingest/errors";
import { assertJsonDepth } from "@/lib/ingest/json-depth";
import { isObject } from "@/lib/ingest/formats/common";
import type { Severity } from "@/lib/findings/model";
import { workloadOfPod } from "@/lib/ingest/k8s-names";

const falcoEvent = z.looseObject({
  rule: z.string().trim().min(1).max(1000),
  priority: z.string().min(1).max(50),
  time: z.string().min(1).max(100),
  output: z.string().max(100_000).nullish(),
  output_fields: z.record(z.string(), z.unknown()).nullish(),
  source: z.string().max(200).nullish(),
  hostname: z.string().max(500).nullish(),
  tags: z.array(z.unknown()).nullish(),
});
export type FalcoEvent = z.infer<typeof falcoEvent>;

export interface ParsedEvents {
  events: { event: FalcoEvent; raw: string }[];
  errors: string[];
}

export function parseFalcoBody(body: string): ParsedEvents {
  const text = quoteBigIntegers(body);
  let whole: unknown;
  let isOneDocument = true;
  try {
    whole = JSON.parse(text);
  } catch {
    isOneDocument = false;
  }
  if (isOneDocument) {
    assertJsonDepth(whole);
    const candidates = Array.isArray(whole) ? whole.map((value, i) => ({ value, where: `[${i}]` })) : [{ value: whole, where: "$" }];
    return withErrors(candidates, []);
  }
  // Not one JSON document: newline-delimited events.
  const candidates: { value: unknown; where: string }[] = [];
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") return;
    try {
      const value: unknown = JSON.parse(line);
      assertJsonDepth(value);
      candidates.push({ value, where: `line ${i + 1}` });
    } catch (error) {
      errors.push(`line ${i + 1}: not valid JSON (${(error as Error).message})`);
    }
  });
  if (candidates.length === 0) throw new ReportError(`Body is neither JSON nor newline-delimited JSON: ${errors[0] ?? "empty"}`);
  return withErrors(candidates, errors);
}

function withErrors(candidates: { value: unknown; where: string }[], errors: string[]): ParsedEvents {
  const events: ParsedEvents["events"] = [];
  for (const { value, where } of candidates) {
    const parsed = falcoEvent.safeParse(value);
    if (parsed.success) events.push({ event: parsed.data, raw: JSON.stringify(value) });
    else {
      const issue = parsed.error.issues[0];
      const hint = isObject(value) ? "" : " (expected a Falco event object)";
      errors.push(`${where}: ${issue.path.join(".") || "event"}: ${issue.message}${hint}`);
    }
  }
  return { events, errors };
}

const priorities: Record<string, Severity> = {
  emergency: "critical",
  alert: "critical",
  critical: "critical",
  error: "high",
  warning: "medium",
  notice: "low",
  informational: "unknown",
  info: "unknown",
  debug: "unknown",
};

/** Falco's priorities, highest first, as Falco spells them. */
export const FALCO_PRIORITIES = ["Emergency", "Alert", "Critical", "Error", "Warning", "Notice", "Informational", "Debug"] as const;

/**
 * The priorities, lower case, of alerts at `minimum` or above (Falco's own "minimum priority"
 * reading), with the short "info" that some tools send; null when `minimum` is not a Falco priority.
 */
export function prioritiesAtLeast(minimum: string): string[] | null {
  const rank = FALCO_PRIORITIES.findIndex((p) => p.toLowerCase() === minimum.trim().toLowerCase());
  if (rank < 0) return null;
  const names = FALCO_PRIORITIES.slice(0, rank + 1).map((p) => p.toLowerCase());
  return names.includes("informational") ? [...names, "info"] : names;
}

/** Falco priorities, matched case-insensitively (Falco, its rules and old tools disagree on case). */
export function severityOfPriority(priority: string): Severity {
  return priorities[priority.trim().toLowerCase()] ?? "unknown";
}

export function isFalcoInternal(event: FalcoEvent): boolean {
  return event.rule.startsWith("Falco internal:") || event.source === "internal";
}

const ISO = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:?\d\d)?/;

/** Falco's time to the millisecond for ordering; the raw string keeps the nanoseconds. */
export function occurredAt(time: string, fallback: Date): Date {
  const m = ISO.exec(time.trim());
  if (!m) return fallback;
  const millis = m[2] ? m[2].slice(0, 4) : "";
  const d = new Date(`${m[1]}${millis}${m[3] ?? "Z"}`);
  const year = d.getUTCFullYear();
  return Number.isNaN(d.getTime()) || year < 1900 || year > 9999 ? fallback : d;
}

const field = (event: FalcoEvent, name: string): string | null => {
  const value = event.output_fields?.[name];
  return typeof value === "string" && value !== "" ? value : typeof value === "number" ? String(value) : null;
};

/** Where an alert happened: namespace and workload from k8s fields, audit-log fields, or the host. */
export function placeOf(event: FalcoEvent): { namespace: string; workload: string } {
  const namespace = field(event, "k8s.ns.name") ?? field(event, "ka.target.namespace") ?? "";
  const pod = field(event, "k8s.pod.name");
  if (pod) return { namespace, workload: workloadOfPod(pod) };
  const target = field(event, "ka.target.name");
  if (target) return { namespace, workload: `${field(event, "ka.target.resource") ?? "object"}/${target}` };
  const container = field(event, "container.name");
  if (container && container !== "host") return { namespace, workload: container };
  return { namespace, workload: event.hostname ? `host/${event.hostname}` : "" };
}
