import type { Metadata } from "next";
import { AdminTable } from "@/components/admin/admin-table";
import { CreateWebhookForm, WebhookActions } from "@/components/admin/webhook-forms";
import { td } from "@/components/admin/ui";
import { Panel } from "@/components/ui/panel";
import { requirePermission } from "@/lib/auth/viewer";
import { listTeams } from "@/lib/admin/teams";
import { timeAgo } from "@/lib/format";
import { deliveryLog, listWebhooks } from "@/lib/notify/webhooks";

export const metadata: Metadata = { title: "Webhooks" };

const STATE = { delivered: "text-emerald-700", pending: "text-amber-700", failed: "text-red-700" } as Record<string, string>;

export default async function WebhooksPage() {
  const viewer = await requirePermission("policy:manage");
  const [hooks, log, teams] = await Promise.all([listWebhooks(viewer), deliveryLog(viewer), listTeams(viewer)]);
  const now = new Date();
  return (
    <div className="flex flex-col gap-6">
      <Panel title="New webhook">
        <p className="mb-3 text-sm text-slate-500">
          Portcullis posts each event once, signed: <code>X-Portcullis-Signature: sha256=HMAC(secret, timestamp + &quot;.&quot; + body)</code> with{" "}
          <code>X-Portcullis-Timestamp</code>; <code>X-Portcullis-Delivery</code> names the delivery. A failed delivery is retried 5 times over about
          2.5 hours (30 s, 2 min, 8 min, 32 min, 2 h).
        </p>
        <CreateWebhookForm teams={teams.map((t) => t.name)} />
      </Panel>
      <AdminTable columns={["Webhook", "Events", "Of", { label: "Actions", hidden: true }]} empty={hooks.length === 0 ? "No webhooks yet." : null}>
        {hooks.map((hook) => (
          <tr key={hook.id}>
            <td className={td}>
              <div className="font-medium text-slate-900">{hook.name} <span className="font-normal text-slate-500">({hook.format})</span></div>
              <div className="max-w-md break-all font-mono text-xs text-slate-500">{hook.url}</div>
            </td>
            <td className={`${td} text-xs`}>{hook.events.join(", ")}</td>
            <td className={td}>{hook.team?.name ?? "every team"}</td>
            <td className={td}><WebhookActions id={hook.id} name={hook.name} /></td>
          </tr>
        ))}
      </AdminTable>
      <Panel title="Delivery log (latest 50)">
        {log.length === 0 ? (
          <p className="text-sm text-slate-500">Nothing sent yet.</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-sm" aria-label="Webhook deliveries">
              <thead className="text-left text-xs uppercase text-slate-500"><tr><th className="py-1">Queued</th><th>Webhook</th><th>Event</th><th>State</th><th className="text-right">Attempts</th><th className="pl-4">Last answer</th></tr></thead>
              <tbody className="divide-y divide-slate-100">
                {log.map((d) => (
                  <tr key={d.id}>
                    <td className="py-1 whitespace-nowrap" title={d.createdAt.toISOString()}>{timeAgo(d.createdAt, now)}</td>
                    <td>{d.webhook.name}</td>
                    <td className="font-mono text-xs">{d.event}</td>
                    <td className={STATE[d.status] ?? ""}>{d.status === "pending" && d.attempts > 0 ? `retry ${timeAgo(d.nextAttemptAt, now)}` : d.status}</td>
                    <td className="text-right tabular-nums">{d.attempts}</td>
                    <td className="pl-4 text-slate-600">{d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : (d.lastError ?? "—")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
    </div>
  );
}
