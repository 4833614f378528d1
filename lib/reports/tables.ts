// The tables of a trend report: shown under each chart on /reports and exported as CSV (each row
// with the report's as_of), from one definition, so the page and the file always agree.
import { SEVERITIES } from "@/lib/findings/model";
import type { Headline, Report } from "@/lib/reports/report";

export const REPORT_TABLES = ["summary", "open-over-time", "weekly", "time-to-remediate", "sla", "open-age", "teams"] as const;
export type ReportTable = (typeof REPORT_TABLES)[number];

export interface Table {
  title: string;
  header: string[];
  rows: (string | number | null)[][];
}

const HEADLINE: [keyof Headline, string][] = [
  ["open", "open at the end"],
  ["critical", "open critical"],
  ["high", "open high"],
  ["accepted", "risk accepted at the end"],
  ["new", "new"],
  ["reopened", "reopened"],
  ["fixed", "fixed"],
  ["closedOther", "false positive or not affected"],
  ["acceptedNew", "newly risk accepted"],
  ["medianDaysToFix", "median days to fix"],
  ["reopenRate", "reopen rate %"],
  ["closureCompliance", "closure compliance %"],
  ["backlogCompliance", "backlog compliance %"],
  ["breached", "past due at the end"],
  ["atRisk", "due within 7 days at the end"],
];

export function reportTables(r: Report): Record<ReportTable, Table> {
  return {
    summary: {
      title: `Summary: ${r.window.from} to ${r.window.to} against ${r.previous.from} to ${r.previous.to}`,
      header: ["measure", "this period", "previous period", "change"],
      rows: HEADLINE.map(([key, label]) => {
        const now = r.current[key];
        const then = r.before[key];
        return [label, now, then, now !== null && then !== null ? Math.round((now - then) * 10) / 10 : null];
      }),
    },
    "open-over-time": {
      title: "Open findings at the end of each day, by severity (risk accepted apart)",
      header: ["day", ...SEVERITIES, "risk accepted"],
      rows: r.openOverTime.map((p) => [p.day, ...SEVERITIES.map((s) => p[s]), p.accepted]),
    },
    weekly: {
      title: "New, reopened and fixed per week (weeks start on Monday)",
      header: ["week", "new", "reopened", "fixed", "false positive or not affected", "risk accepted"],
      rows: r.weekly.map((w) => [w.week, w.new, w.reopened, w.fixed, w.closedOther, w.acceptedNew]),
    },
    "time-to-remediate": {
      title: "Time to remediate, in days, over findings fixed in the period",
      header: ["severity", "fixed", "median", "mean", "p90", "reopen rate %"],
      rows: r.timeToRemediate.map((t) => [t.severity, t.fixes, t.median, t.mean, t.p90, t.reopenRate]),
    },
    sla: {
      title: "SLA compliance per week",
      header: ["week", "closure compliance %", "backlog compliance % (end of week)"],
      rows: r.weekly.map((w) => [w.week, w.closureCompliance, w.backlogCompliance]),
    },
    "open-age": {
      title: `Open findings by age at the end of the period (${r.window.to})`,
      header: ["age", "open"],
      rows: r.openAge.map((a) => [a.bucket, a.count]),
    },
    teams: {
      title: "Teams",
      header: ["team", "open critical", "open high", "critical and high, change", "median days to fix", "closure compliance %", "backlog compliance %"],
      rows: (r.teams ?? []).map((t) => [t.name, t.critical, t.high, t.critical + t.high - t.criticalHighBefore, t.medianDaysToFix, t.closureCompliance, t.backlogCompliance]),
    },
  };
}
