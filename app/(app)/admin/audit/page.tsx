import { AdminTable } from "@/components/admin/admin-table";
import type { Metadata } from "next";
import { button, card, input, label, quietButton, td } from "@/components/admin/ui";
import { Pagination } from "@/components/ui/pagination";
import { requirePermission } from "@/lib/auth/viewer";
import { AUDIT_PAGE_SIZE, auditFilters, listAudit } from "@/lib/audit/query";

export const metadata: Metadata = { title: "Audit log" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function AuditDetails({ details }: { details: unknown }) {
  if (!details || typeof details !== "object") return null;
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-2">
      {Object.entries(details as Record<string, unknown>).map(([key, value]) => (
        <div key={key} className="contents">
          <dt className="text-slate-400">{key}</dt>
          <dd className="break-all font-mono">{typeof value === "string" ? value : JSON.stringify(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requirePermission("audit:read");
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const parsed = auditFilters.safeParse(raw);
  const filters = parsed.success ? parsed.data : auditFilters.parse({});
  const { rows, total, actions } = await listAudit(viewer, filters);
  return (
    <div className="flex flex-col gap-4">
      <form method="get" className={`${card} flex flex-wrap items-end gap-3 p-4`}>
        <label className={label}>
          Action
          <select name="action" defaultValue={filters.action ?? ""} className={input}>
            <option value="">all actions</option>
            {actions.map((a) => (
              <option key={a} value={a}>{a}</option>
            ))}
          </select>
        </label>
        <label className={label}>
          Actor
          <input name="actor" defaultValue={filters.actor ?? ""} placeholder="email, cli, token pcl_…" className={input} />
        </label>
        <label className={label}>
          Target id
          <input name="target" defaultValue={filters.target ?? ""} className={input} />
        </label>
        <label className={label}>
          From
          <input name="from" type="date" defaultValue={filters.from ?? ""} className={input} />
        </label>
        <label className={label}>
          To
          <input name="to" type="date" defaultValue={filters.to ?? ""} className={input} />
        </label>
        <button type="submit" className={button}>Filter</button>
        <a href="/admin/audit" className={quietButton}>Clear</a>
      </form>
      <AdminTable columns={["Time (UTC)", "Action", "Actor · from", "Target", "Details"]} empty={rows.length === 0 ? "No entries match these filters." : null}>
        {rows.map((row) => (
          <tr key={row.id}>
            <td className={`${td} whitespace-nowrap tabular-nums`}>
              {row.at.toISOString().slice(0, 10)}
              <div className="text-xs text-slate-500">{row.at.toISOString().slice(11, 19)}</div>
            </td>
            <td className={`${td} font-mono text-xs`}>{row.action}</td>
            <td className={`${td} min-w-52 [overflow-wrap:anywhere]`}>
              {row.actorLabel}
              {row.sourceIp && <div className="font-mono text-[11px] text-slate-400" title="Source address">{row.sourceIp}</div>}
            </td>
            <td className={`${td} min-w-36 text-xs`}>
              {row.targetType ?? "—"}
              {row.targetId && <div className="font-mono text-[11px] text-slate-400 [overflow-wrap:anywhere]">{row.targetId}</div>}
            </td>
            <td className={`${td} min-w-72 text-xs text-slate-600`}>
              <AuditDetails details={row.details} />
            </td>
          </tr>
        ))}
      </AdminTable>
      <Pagination page={filters.page} pageSize={AUDIT_PAGE_SIZE} total={total} basePath="/admin/audit" params={{ action: filters.action, actor: filters.actor, target: filters.target, from: filters.from, to: filters.to }} />
    </div>
  );
}
