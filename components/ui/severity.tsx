import type { Severity } from "@/lib/findings/model";

const styles: Record<Severity, string> = {
  critical: "bg-red-600 text-white",
  high: "bg-orange-500 text-white",
  medium: "bg-amber-300 text-amber-950",
  low: "bg-sky-200 text-sky-900",
  unknown: "bg-slate-200 text-slate-700",
};

export const severityLabel: Record<Severity, string> = {
  critical: "Critical",
  high: "High",
  medium: "Medium",
  low: "Low",
  unknown: "Unknown",
};

const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });

/**
 * A count of findings of one severity; zero is shown faded so the eye goes to what matters.
 * Counts from 10,000 read "12.5K" (the title has the exact number), so a row of counts keeps its width.
 */
export function SeverityCount({ severity, count }: { severity: Severity; count: number }) {
  return (
    <span
      title={`${count.toLocaleString("en")} ${severityLabel[severity].toLowerCase()}`}
      className={`inline-flex min-w-8 justify-center rounded px-1.5 py-0.5 text-xs font-semibold tabular-nums ${
        count > 0 ? styles[severity] : "bg-slate-100 text-slate-400"
      }`}
    >
      {count >= 10_000 ? compact.format(count) : count}
    </span>
  );
}

/** The five counts of a row in severity order (C / H / M / L / ?), each labelled. */
export function SeverityCounts({ counts }: { counts: Record<Severity, number> }) {
  return (
    <span className="flex gap-1">
      {(["critical", "high", "medium", "low", "unknown"] as const).map((s) => (
        <SeverityCount key={s} severity={s} count={counts[s]} />
      ))}
    </span>
  );
}

/** A severity's name as a badge (where the severity, not a count, belongs). */
export function SeverityBadge({ severity }: { severity: Severity }) {
  return <span className={`inline-flex rounded px-1.5 py-0.5 text-xs font-semibold ${styles[severity]}`}>{severityLabel[severity]}</span>;
}
