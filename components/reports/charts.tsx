"use client";
// The charts of /reports (recharts). Each one has its numbers in a table next to it (rendered by
// the page), so nothing here is the only place a number appears. Drawn in the browser only:
// recharts' server HTML carries style attributes, which the strict CSP refuses (styles set from
// script are allowed), and a chart sized by a refused style draws nothing.
import { useSyncExternalStore } from "react";
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { Report } from "@/lib/reports/report";

export const SEVERITY_COLOURS = { critical: "#dc2626", high: "#f97316", medium: "#fbbf24", low: "#7dd3fc", unknown: "#cbd5e1" } as const;
const axis = { fontSize: 11, fill: "#475569" };
const short = (day: string) => day.slice(5);

const noop = () => () => undefined;

/**
 * Legend and tooltip entries in the order given (recharts sorts them by name otherwise:
 * "critical, high, low, medium", "fixed, new, reopened").
 */
const inOrder = (keys: readonly string[]) => (item: { dataKey?: unknown }) => keys.indexOf(String(item.dataKey));
const SEVERITY_ORDER = inOrder(["critical", "high", "medium", "low", "accepted"]);
const FLOW_ORDER = inOrder(["new", "reopened", "fixed"]);
const REMEDIATE_ORDER = inOrder(["median", "p90"]);
const SLA_ORDER = inOrder(["closureCompliance", "backlogCompliance"]);

function Frame({ label, children }: { label: string; children: React.ReactElement }) {
  const inBrowser = useSyncExternalStore(noop, () => true, () => false);
  return (
    <figure aria-label={label} className="report-chart h-64 w-full">
      {inBrowser && (
        <ResponsiveContainer width="100%" height="100%" minWidth={200}>
          {children}
        </ResponsiveContainer>
      )}
    </figure>
  );
}

export function OpenOverTimeChart({ points }: { points: Report["openOverTime"] }) {
  return (
    <Frame label="Open findings by severity over time">
      <AreaChart data={points} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis dataKey="day" tickFormatter={short} tick={axis} minTickGap={24} />
        <YAxis allowDecimals={false} tick={axis} width={40} />
        <Tooltip itemSorter={SEVERITY_ORDER} />
        <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={SEVERITY_ORDER} />
        {(["low", "medium", "high", "critical"] as const).map((s) => (
          <Area key={s} type="stepAfter" dataKey={s} stackId="open" stroke={SEVERITY_COLOURS[s]} fill={SEVERITY_COLOURS[s]} fillOpacity={0.75} isAnimationActive={false} />
        ))}
        <Line type="stepAfter" dataKey="accepted" name="risk accepted" stroke="#64748b" strokeDasharray="4 3" dot={false} isAnimationActive={false} />
      </AreaChart>
    </Frame>
  );
}

export function WeeklyFlowChart({ weeks }: { weeks: Report["weekly"] }) {
  return (
    <Frame label="New, reopened and fixed per week">
      <BarChart data={weeks} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis dataKey="week" tickFormatter={short} tick={axis} />
        <YAxis allowDecimals={false} tick={axis} width={40} />
        <Tooltip itemSorter={FLOW_ORDER} />
        <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={FLOW_ORDER} />
        <Bar dataKey="new" fill="#dc2626" isAnimationActive={false} />
        <Bar dataKey="reopened" fill="#a855f7" isAnimationActive={false} />
        <Bar dataKey="fixed" fill="#16a34a" isAnimationActive={false} />
      </BarChart>
    </Frame>
  );
}

export function TimeToRemediateChart({ rows }: { rows: Report["timeToRemediate"] }) {
  return (
    <Frame label="Days to remediate by severity">
      <BarChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis dataKey="severity" tick={axis} />
        <YAxis allowDecimals={false} tick={axis} width={40} />
        <Tooltip itemSorter={REMEDIATE_ORDER} />
        <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={REMEDIATE_ORDER} />
        <Bar dataKey="median" name="median days" fill="#3b82f6" isAnimationActive={false} />
        <Bar dataKey="p90" name="p90 days" fill="#1e3a8a" isAnimationActive={false} />
      </BarChart>
    </Frame>
  );
}

export function SlaChart({ weeks }: { weeks: Report["weekly"] }) {
  return (
    <Frame label="SLA compliance per week">
      <LineChart data={weeks} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis dataKey="week" tickFormatter={short} tick={axis} />
        <YAxis domain={[0, 100]} tick={axis} width={40} unit="%" />
        <Tooltip itemSorter={SLA_ORDER} />
        <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={SLA_ORDER} />
        <Line dataKey="closureCompliance" name="closure %" stroke="#16a34a" connectNulls isAnimationActive={false} />
        <Line dataKey="backlogCompliance" name="backlog %" stroke="#2563eb" connectNulls isAnimationActive={false} />
      </LineChart>
    </Frame>
  );
}

export function OpenAgeChart({ buckets }: { buckets: Report["openAge"] }) {
  return (
    <Frame label="Open findings by age">
      <BarChart data={buckets} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis dataKey="bucket" tick={axis} />
        <YAxis allowDecimals={false} tick={axis} width={40} />
        <Tooltip />
        <Bar dataKey="count" name="open" fill="#f97316" isAnimationActive={false} />
      </BarChart>
    </Frame>
  );
}
