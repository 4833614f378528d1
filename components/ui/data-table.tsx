import type { ReactNode } from "react";

export interface Column {
  label: string;
  align?: "right";
}

/**
 * The app's list table: a bordered white card with a header row; rows are the children. A
 * compact table (cells px-3, not px-4) fits more columns on a laptop's screen.
 */
export function DataTable({ columns, children, compact = false }: { columns: readonly (string | Column)[]; children: ReactNode; compact?: boolean }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            {columns.map((c) => {
              const column = typeof c === "string" ? { label: c } : c;
              return <th key={column.label} scope="col" className={`${compact ? "px-3" : "px-4"} py-3 ${column.align === "right" ? "text-right" : ""}`}>{column.label}</th>;
            })}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}
