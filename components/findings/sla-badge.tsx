// A finding's SLA state as a small label: within, at risk (due within 7 days), breached, paused.
import { slaState } from "@/lib/sla/state";

const STYLE = {
  within: "bg-emerald-50 text-emerald-800",
  at_risk: "bg-amber-100 text-amber-800",
  breached: "bg-red-100 text-red-800",
  paused: "bg-slate-100 text-slate-700",
} as const;
const LABEL = { within: "within SLA", at_risk: "at risk", breached: "breached", paused: "paused (exception)" } as const;

export function SlaBadge({ status, dueAt, now }: { status: string; dueAt: Date | string | null; now: Date }) {
  const state = slaState({ status, dueAt: dueAt ? new Date(dueAt) : null }, now);
  if (state === "none") return null;
  return <span className={`whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-medium ${STYLE[state]}`}>{LABEL[state]}</span>;
}
