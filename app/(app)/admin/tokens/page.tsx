import { AdminTable } from "@/components/admin/admin-table";
import type { Metadata } from "next";
import { Panel } from "@/components/ui/panel";
import { CreateTokenForm, RevokeTokenForm } from "@/components/admin/token-forms";
import { td } from "@/components/admin/ui";
import { requirePermission } from "@/lib/auth/viewer";
import { listTokens, tokenBindingOptions } from "@/lib/admin/tokens";
import { isoDate, timeAgo } from "@/lib/format";

export const metadata: Metadata = { title: "API tokens" };

function tokenState(token: { revokedAt: Date | null; expiresAt: Date | null }, now: Date): string {
  if (token.revokedAt) return "revoked";
  if (token.expiresAt && token.expiresAt <= now) return "expired";
  return "active";
}

export default async function TokensPage() {
  const viewer = await requirePermission("tokens:manage");
  const [tokens, options] = await Promise.all([listTokens(viewer), tokenBindingOptions(viewer)]);
  const now = new Date();
  return (
    <div className="flex flex-col gap-6">
      <Panel title="New API token">
        <CreateTokenForm teams={options.teams} clusters={options.clusters} />
      </Panel>
      <AdminTable
        columns={["Token", "Scopes", "Bound to", "Expires", "Last used", "State", { label: "Actions", hidden: true }]}
        empty={tokens.length === 0 ? "No API tokens yet. Create one above, or with npm run admin -- create-token." : null}
      >
        {tokens.map((token) => {
          const state = tokenState(token, now);
          return (
            <tr key={token.id} className={state === "active" ? "" : "text-slate-400"}>
              <td className={td}>
                <div className="font-medium text-slate-900">{token.name}</div>
                <div className="font-mono text-xs text-slate-500">{token.prefix}…</div>
                <div className="text-xs text-slate-500">by {token.createdBy?.email ?? "cli"}, {timeAgo(token.createdAt, now)}</div>
              </td>
              <td className={td}>{token.scopes.join(", ")}</td>
              <td className={td}>{token.team ? `team ${token.team.name}` : token.cluster ? `cluster ${token.cluster.name}` : "—"}</td>
              <td className={td}>{token.expiresAt ? isoDate(token.expiresAt) : "never"}</td>
              <td className={td}>{timeAgo(token.lastUsedAt, now)}</td>
              <td className={td}>{state}</td>
              <td className={td}>{state === "active" && <RevokeTokenForm tokenId={token.id} name={token.name} />}</td>
            </tr>
          );
        })}
      </AdminTable>
    </div>
  );
}
