// Display formatting shared by pages.
import { FINDING_KINDS, type FindingKind } from "@/lib/findings/model";
const rtf = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

export function timeAgo(date: Date | null, now: Date = new Date()): string {
  if (!date) return "never";
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit);
  }
  return "just now";
}

export function isoDate(date: Date | null): string {
  return date ? date.toISOString().slice(0, 10) : "";
}

export function shortDigest(digest: string | null): string | null {
  return digest ? digest.replace(/^sha256:/, "").slice(0, 12) : null;
}

/** "1 workload", "3 workloads". */
export function plural(count: number, noun: string, many = `${noun}s`): string {
  return `${count.toLocaleString("en")} ${count === 1 ? noun : many}`;
}

const KIND_NOUNS: Record<FindingKind, string> = {
  vulnerability: "vulnerability",
  misconfiguration: "misconfiguration",
  secret: "secret",
  compliance: "compliance check",
  runtime: "runtime alert",
};

/** Open findings by kind in words ("13 vulnerabilities · 1 compliance check"), kinds in a fixed order. */
export function kindCounts(byKind: Partial<Record<FindingKind, number>>): string {
  return FINDING_KINDS.filter((k) => byKind[k])
    .map((k) => plural(byKind[k]!, KIND_NOUNS[k], k === "vulnerability" ? "vulnerabilities" : undefined))
    .join(" · ");
}
