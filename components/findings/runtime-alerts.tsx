// The latest raw alerts of a runtime finding: when, where, and Falco's output line.
import type { RuntimeAlert } from "@/lib/findings/runtime-alerts";

export function RuntimeAlerts({ alerts }: { alerts: RuntimeAlert[] }) {
  if (alerts.length === 0) return <p className="text-sm text-slate-600">No raw alert is kept for this finding.</p>;
  return (
    <div className="flex flex-col gap-2">
      <p className="text-xs text-slate-500">
        The latest {alerts.length}, newest first (up to 500 raw alerts are kept per finding; all are counted).
      </p>
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase text-slate-500">
            <tr>
              <th className="py-1 pr-3 font-medium">When (UTC)</th>
              <th className="py-1 pr-3 font-medium">Where</th>
              <th className="py-1 pr-3 font-medium">Priority</th>
              <th className="py-1 font-medium">Output</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 align-top">
            {alerts.map((alert, i) => (
              <tr key={i}>
                <td className="whitespace-nowrap py-1 pr-3 tabular-nums text-slate-600">
                  <time dateTime={alert.occurredAt.toISOString()}>{alert.occurredAt.toISOString().slice(0, 19).replace("T", " ")}</time>
                </td>
                <td className="py-1 pr-3 text-slate-700">{[alert.workload, alert.hostname].filter(Boolean).join(" on ") || "—"}</td>
                <td className="py-1 pr-3 text-slate-700">{alert.priority}</td>
                <td className="break-words py-1 font-mono text-xs text-slate-800">{alert.output ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
