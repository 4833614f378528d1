import { SeverityCount, severityLabel } from "@/components/ui/severity";
import { SEVERITIES, type Severity } from "@/lib/findings/model";

/** Open findings per severity, labelled, as a row of counts. */
export function SeveritySummary({ counts, fixable }: { counts: Record<Severity, number>; fixable?: number }) {
  return (
    <dl className="flex flex-wrap gap-4">
      {SEVERITIES.map((s) => (
        <div key={s} className="flex items-center gap-2 text-sm">
          <dt className="text-slate-500">{severityLabel[s]}</dt>
          <dd><SeverityCount severity={s} count={counts[s]} /></dd>
        </div>
      ))}
      {fixable !== undefined && (
        <div className="flex items-center gap-2 text-sm">
          <dt className="text-slate-500">Fixable</dt>
          <dd className="font-semibold tabular-nums">{fixable}</dd>
        </div>
      )}
    </dl>
  );
}
