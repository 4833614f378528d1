// Each scanner's severity scale mapped onto ours.
import type { Severity } from "@/lib/findings/model";

const words: Record<string, Severity> = {
  critical: "critical",
  high: "high",
  medium: "medium",
  moderate: "medium",
  low: "low",
  negligible: "low",
  minimal: "low",
  info: "unknown",
  informational: "unknown",
  none: "unknown",
  unknown: "unknown",
};

/** A severity word from any scanner, case-insensitive; anything unrecognised is "unknown". */
export function severityFromWord(word: unknown): Severity {
  if (typeof word !== "string") return "unknown";
  return words[word.trim().toLowerCase()] ?? "unknown";
}

/** CVSS's qualitative bands: v3 and v4 have critical at 9; v2 tops out at high. 0 is "none": unknown here. */
export function severityOfCvss(score: number, version: "v2" | "v3" = "v3"): Severity {
  if (score >= 9 && version !== "v2") return "critical";
  return score >= 7 ? "high" : score >= 4 ? "medium" : score > 0 ? "low" : "unknown";
}

export const severityRank: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, unknown: 0 };
