"use client";
// The team comparison of /reports, sortable by any column.
import { useState } from "react";
import type { Report } from "@/lib/reports/report";

type Row = NonNullable<Report["teams"]>[number];
const COLUMNS: { key: keyof Row | "change"; label: string }[] = [
  { key: "name", label: "Team" },
  { key: "critical", label: "Open critical" },
  { key: "high", label: "Open high" },
  { key: "change", label: "Critical + high vs previous" },
  { key: "medianDaysToFix", label: "Median days to fix" },
  { key: "closureCompliance", label: "Closure compliance" },
  { key: "backlogCompliance", label: "Backlog compliance" },
];

const valueOf = (row: Row, key: (typeof COLUMNS)[number]["key"]) => (key === "change" ? row.critical + row.high - row.criticalHighBefore : row[key]);

export function TeamTable({ rows }: { rows: Row[] }) {
  const [sort, setSort] = useState<{ key: (typeof COLUMNS)[number]["key"]; descending: boolean }>({ key: "critical", descending: true });
  const sorted = [...rows].sort((a, b) => {
    const x = valueOf(a, sort.key);
    const y = valueOf(b, sort.key);
    const order = x === null ? 1 : y === null ? -1 : typeof x === "string" ? x.localeCompare(String(y)) : (x as number) - (y as number);
    return sort.descending ? -order : order;
  });
  return (
    <table className="w-full text-sm">
      <thead className="text-left text-xs text-slate-500">
        <tr>
          {COLUMNS.map((c) => (
            <th key={c.key} scope="col" aria-sort={sort.key === c.key ? (sort.descending ? "descending" : "ascending") : "none"} className="px-2 py-1">
              <button type="button" className="font-semibold hover:text-slate-900" onClick={() => setSort({ key: c.key, descending: sort.key === c.key ? !sort.descending : true })}>
                {c.label}{sort.key === c.key ? (sort.descending ? " ↓" : " ↑") : ""}
              </button>
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {sorted.map((row) => {
          const change = row.critical + row.high - row.criticalHighBefore;
          return (
            <tr key={row.id}>
              <td className="px-2 py-1 font-medium">{row.name}</td>
              <td className="px-2 py-1 tabular-nums">{row.critical}</td>
              <td className="px-2 py-1 tabular-nums">{row.high}</td>
              <td className={`px-2 py-1 tabular-nums ${change > 0 ? "text-red-700" : change < 0 ? "text-emerald-700" : "text-slate-500"}`}>{change > 0 ? `▲ +${change}` : change < 0 ? `▼ ${change}` : "="}</td>
              <td className="px-2 py-1 tabular-nums">{row.medianDaysToFix ?? "—"}</td>
              <td className="px-2 py-1 tabular-nums">{row.closureCompliance === null ? "—" : `${row.closureCompliance}%`}</td>
              <td className="px-2 py-1 tabular-nums">{row.backlogCompliance === null ? "—" : `${row.backlogCompliance}%`}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
