// One table of a trend report, with the link that downloads it as CSV.
import type { Table } from "@/lib/reports/tables";

export function ReportTable({ table, csvHref, caption }: { table: Table; csvHref: string; caption?: string }) {
  return (
    <div className="report-table min-w-0">
      <div className="mb-1 flex items-baseline justify-between gap-3">
        <p className="text-xs text-slate-500">{caption ?? table.title}</p>
        <a href={csvHref} className="print:hidden text-xs font-medium text-brand-700 hover:underline" download>
          CSV
        </a>
      </div>
      <div className="max-h-64 overflow-auto rounded border border-slate-200 print:max-h-none print:overflow-visible">
        <table className="w-full text-xs">
          <caption className="sr-only">{table.title}</caption>
          <thead className="sticky top-0 bg-slate-50 text-left text-slate-500">
            <tr>{table.header.map((h) => <th key={h} scope="col" className="px-2 py-1 font-semibold">{h}</th>)}</tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {table.rows.map((row, i) => (
              <tr key={i}>
                {row.map((cell, j) => <td key={j} className={`px-2 py-0.5 ${typeof cell === "number" ? "text-right tabular-nums" : ""}`}>{cell ?? "—"}</td>)}
              </tr>
            ))}
            {table.rows.length === 0 && <tr><td colSpan={table.header.length} className="px-2 py-2 text-slate-500">Nothing in this period.</td></tr>}
          </tbody>
        </table>
      </div>
    </div>
  );
}
