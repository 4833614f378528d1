import type { Metadata } from "next";
import { OpenAgeChart, OpenOverTimeChart, SlaChart, TimeToRemediateChart, WeeklyFlowChart } from "@/components/reports/charts";
import { PrintButton } from "@/components/reports/print-button";
import { ReportTable } from "@/components/reports/report-table";
import { TeamTable } from "@/components/reports/team-table";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { requirePermission, visibleOr404 } from "@/lib/auth/viewer";
import { scopeOfViewer } from "@/lib/authz/policy";
import { filterChoices } from "@/lib/posture/choices";
import { DEFINITIONS } from "@/lib/reports/definitions";
import { loadReport, reportQuerySchema, type Headline, type ReportQuery } from "@/lib/reports/report";
import { reportTables, type ReportTable as TableName } from "@/lib/reports/tables";

export const metadata: Metadata = { title: "Reports" };

const input = "rounded-md border border-slate-300 px-2.5 py-1.5 text-sm";

/** Headline measures, and whether a rise is good news. */
const CARDS: { key: keyof Headline; label: string; better: "up" | "down"; unit?: string }[] = [
  { key: "open", label: "Open at the end", better: "down" },
  { key: "critical", label: "Open critical", better: "down" },
  { key: "new", label: "New", better: "down" },
  { key: "fixed", label: "Fixed", better: "up" },
  { key: "reopened", label: "Reopened", better: "down" },
  { key: "medianDaysToFix", label: "Median days to fix", better: "down" },
  { key: "closureCompliance", label: "Closure compliance", better: "up", unit: "%" },
  { key: "backlogCompliance", label: "Backlog compliance", better: "up", unit: "%" },
];

function Delta({ now, then, better, unit = "" }: { now: number | null; then: number | null; better: "up" | "down"; unit?: string }) {
  if (now === null || then === null) return <span className="text-xs text-slate-400">no comparison</span>;
  const change = Math.round((now - then) * 10) / 10;
  if (change === 0) return <span className="text-xs text-slate-500">= previous period</span>;
  const good = (change > 0) === (better === "up");
  return (
    <span className={`text-xs font-medium ${good ? "text-emerald-700" : "text-red-700"}`}>
      {change > 0 ? "▲" : "▼"} {change > 0 ? "+" : ""}{change}{unit} vs {then}{unit}
    </span>
  );
}

export default async function ReportsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await requirePermission("reports:read");
  const params = Object.fromEntries(Object.entries(await searchParams).filter(([, v]) => typeof v === "string")) as Record<string, string>;
  const query: ReportQuery = reportQuerySchema.parse(params);
  const [report, choices] = await Promise.all([visibleOr404(loadReport(viewer, query)), filterChoices(scopeOfViewer(viewer))]);
  const tables = reportTables(report);
  const search = new URLSearchParams({ scope: query.scope, period: query.period, ...(query.period === "custom" ? { from: report.window.from, to: report.window.to } : {}) });
  const csv = (table: TableName) => `/api/ui/reports/export?${search}&table=${table}`;
  const asOf = report.asOf.slice(0, 16).replace("T", " ");
  return (
    <div className="report flex flex-col gap-5">
      <PageHeader
        title="Reports"
        description={`${report.scopeLabel[0].toUpperCase()}${report.scopeLabel.slice(1)} · ${report.window.from} to ${report.window.to} (${report.window.days} days) against the ${report.previous.days} days before · as of ${asOf} UTC`}
        actions={<PrintButton />}
      />
      <form method="get" className="flex min-w-0 flex-wrap items-end gap-3 print:hidden" aria-label="Report scope and period">
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          Scope
          <select name="scope" defaultValue={query.scope} className={input}>
            <option value="org">{viewer.role === "admin" || viewer.role === "security_lead" ? "Organisation" : "All my teams"}</option>
            {choices.teams.map((t) => <option key={t.id} value={`team:${t.id}`}>Team {t.name}</option>)}
            {choices.clusters.map((c) => <option key={c.id} value={`cluster:${c.id}`}>Cluster {c.name}</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          Period
          <select name="period" defaultValue={query.period} className={input}>
            <option value="30">Last 30 days</option>
            <option value="90">Last 90 days</option>
            <option value="365">Last 365 days</option>
            <option value="custom">Custom</option>
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          From (custom)
          <input type="date" name="from" defaultValue={query.period === "custom" ? report.window.from : ""} className={input} />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          To (custom)
          <input type="date" name="to" defaultValue={query.period === "custom" ? report.window.to : ""} className={input} />
        </label>
        <button type="submit" className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700">Show</button>
      </form>

      <section aria-label="Summary" className="grid grid-cols-2 gap-3 md:grid-cols-4">
        {CARDS.map((card) => (
          <div key={card.key} className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
            <div className="text-xs font-medium uppercase tracking-wide text-slate-500">{card.label}</div>
            <div className="text-2xl font-semibold tabular-nums text-slate-900">{report.current[card.key] ?? "—"}{report.current[card.key] !== null ? card.unit ?? "" : ""}</div>
            <Delta now={report.current[card.key]} then={report.before[card.key]} better={card.better} unit={card.unit} />
          </div>
        ))}
      </section>
      <p className="text-sm text-slate-600">
        Also: {report.current.accepted} risk accepted at the end, {report.current.closedOther} closed as false positive or not affected, {report.current.breached} past due and {report.current.atRisk} due within 7 days. Exceptions now: {report.exceptions.active} active, {report.exceptions.requested} awaiting a decision, {report.exceptions.expiringIn30Days} ending within 30 days.
      </p>

      <div className="report-grid grid grid-cols-1 gap-5 xl:grid-cols-2">
        <Panel title="Open findings over time">
          <OpenOverTimeChart points={report.openOverTime} />
          <div className="print:hidden"><ReportTable table={tables["open-over-time"]} csvHref={csv("open-over-time")} /></div>
          <p className="hidden text-xs text-slate-500 print:block">Daily numbers: the open-over-time CSV.</p>
        </Panel>
        <Panel title="New, reopened and fixed per week">
          <WeeklyFlowChart weeks={report.weekly} />
          <ReportTable table={tables.weekly} csvHref={csv("weekly")} />
        </Panel>
        <Panel title="Time to remediate">
          <TimeToRemediateChart rows={report.timeToRemediate} />
          <ReportTable table={tables["time-to-remediate"]} csvHref={csv("time-to-remediate")} />
        </Panel>
        <Panel title="SLA compliance">
          <SlaChart weeks={report.weekly} />
          <ReportTable table={tables.sla} csvHref={csv("sla")} />
        </Panel>
        <Panel title="Open findings by age">
          <OpenAgeChart buckets={report.openAge} />
          <ReportTable table={tables["open-age"]} csvHref={csv("open-age")} />
        </Panel>
        <Panel title="This period against the previous one">
          <ReportTable table={tables.summary} csvHref={csv("summary")} />
        </Panel>
      </div>

      {report.teams && report.teams.length > 0 && (
        <Panel title="Teams">
          <div className="mb-2 flex justify-end print:hidden">
            <a href={csv("teams")} className="text-xs font-medium text-brand-700 hover:underline" download>CSV</a>
          </div>
          <div className="overflow-x-auto">
            <TeamTable rows={report.teams} />
          </div>
        </Panel>
      )}

      <Panel title="How these numbers are counted">
        <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm md:grid-cols-2">
          {DEFINITIONS.map((d) => (
            <div key={d.term}>
              <dt className="font-medium text-slate-800">{d.term}</dt>
              <dd className="text-slate-600">{d.meaning}</dd>
            </div>
          ))}
        </dl>
        <p className="mt-3 text-xs text-slate-500">
          {"Daily figures come from rollups: today's change with each scan and triage as it commits; they are rebuilt from yesterday on every hour, and in full every night."}
        </p>
      </Panel>
    </div>
  );
}
