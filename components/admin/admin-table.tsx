import type { ReactNode } from "react";
import { card, table, td, th } from "@/components/admin/ui";

export interface Column {
  label: string;
  /** Right-aligned (numbers). */
  numeric?: boolean;
  /** Announced to screen readers only (an actions column). */
  hidden?: boolean;
}

/** The admin pages' table: a card, a header row, and a message row when there is nothing to list. */
export function AdminTable({ columns, empty, children }: { columns: (string | Column)[]; empty?: string | null; children: ReactNode }) {
  const cols = columns.map((c) => (typeof c === "string" ? { label: c } : c));
  return (
    <div className={card}>
      <table className={table}>
        <thead className="bg-slate-50">
          <tr>
            {cols.map((c) => (
              <th key={c.label} scope="col" className={c.numeric ? `${th} text-right` : th}>
                {c.hidden ? <span className="sr-only">{c.label}</span> : c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {children}
          {empty && (
            <tr>
              <td colSpan={cols.length} className={`${td} text-center text-slate-500`}>{empty}</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
