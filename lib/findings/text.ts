// Free text from reports (titles, descriptions, messages) is bounded, so one report cannot store
// megabytes per finding; nothing of a finding is lost but the tail of an overlong text.
import type { VulnerabilityRecord } from "@/lib/findings/model";
import { uniqueStrings } from "@/lib/ingest/formats/common";

export const TEXT_LIMITS = { title: 1000, description: 20_000, detail: 20_000, reference: 2048, references: 100 } as const;

/** Free text cut to a length, marked as cut. */
export function bounded(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function boundedOrNull(text: string | null | undefined, max: number): string | null {
  return text === null || text === undefined ? null : bounded(text, max);
}

/** A finding's details with every string bounded. */
export function boundedDetails(details: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!details) return null;
  if (Object.values(details).every((v) => typeof v !== "string" || v.length <= TEXT_LIMITS.detail)) return details;
  return Object.fromEntries(Object.entries(details).map(([k, v]) => [k, typeof v === "string" ? bounded(v, TEXT_LIMITS.detail) : v]));
}

/**
 * The record itself when it is within bounds (the common case, on the hot path of big reports).
 * Its references are left as listed: storedReferences bounds them when the entry is written.
 */
export function boundedVulnerability(v: VulnerabilityRecord): VulnerabilityRecord {
  const within =
    v.aliases.length <= TEXT_LIMITS.references &&
    v.cwes.length <= TEXT_LIMITS.references &&
    (v.title?.length ?? 0) <= TEXT_LIMITS.title &&
    (v.description?.length ?? 0) <= TEXT_LIMITS.description;
  if (within) return v;
  return {
    ...v,
    aliases: v.aliases.slice(0, TEXT_LIMITS.references),
    title: boundedOrNull(v.title, TEXT_LIMITS.title),
    description: boundedOrNull(v.description, TEXT_LIMITS.description),
    cwes: v.cwes.slice(0, TEXT_LIMITS.references),
  };
}

/**
 * A catalogue entry's references as stored: each once, none empty, bounded. Done only for the
 * entries a report adds or changes: a Trivy finding lists 20–50 links, and deduplicating them for
 * every finding of a 20,000-finding report was a quarter of its normalising.
 */
export function storedReferences(references: readonly string[]): string[] {
  return uniqueStrings(references)
    .slice(0, TEXT_LIMITS.references)
    .map((r) => bounded(r, TEXT_LIMITS.reference));
}
