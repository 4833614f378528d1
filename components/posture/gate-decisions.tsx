// The image page's recent answers of the CI gate: when, under which policy version, and why.
import { Panel } from "@/components/ui/panel";
import type { recentDecisions } from "@/lib/gate/evaluate";

const tone = { pass: "bg-emerald-100 text-emerald-800", warn: "bg-amber-100 text-amber-900", fail: "bg-red-100 text-red-800" } as Record<string, string>;

export function GateDecisions({ decisions }: { decisions: Awaited<ReturnType<typeof recentDecisions>> }) {
  return (
    <Panel title="CI gate decisions">
      {decisions.length === 0 ? (
        <p className="text-sm text-slate-500 [overflow-wrap:anywhere]">No pipeline has asked the gate about this image yet (GET /api/v1/gate?image=…).</p>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm" aria-label="Recent gate decisions">
          {decisions.map((d) => {
            const violations = (d.violations as { rule: string; action: string; reason: string }[]) ?? [];
            return (
              <li key={String(d.id)} className="flex min-w-0 flex-wrap items-baseline gap-x-3 gap-y-1 py-1.5 [overflow-wrap:anywhere]">
                <span className={`rounded px-1.5 py-0.5 text-xs font-semibold uppercase ${tone[d.decision] ?? ""}`}>{d.decision}</span>
                <span className="tabular-nums text-slate-600" title={d.evaluatedAt.toISOString()}>{d.evaluatedAt.toISOString().slice(0, 16).replace("T", " ")}</span>
                <span className="text-slate-600">policy {d.policyName} v{d.policyVersion}</span>
                <span className="min-w-0 basis-full text-slate-800 sm:basis-0 sm:flex-1">{violations.length ? violations.map((v) => `${v.action}: ${v.reason}`).join("; ") : "no rule violated"}</span>
              </li>
            );
          })}
        </ul>
      )}
    </Panel>
  );
}
