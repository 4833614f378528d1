import type { Metadata } from "next";
import Link from "next/link";
import { DataTable } from "@/components/ui/data-table";
import { ScoreBadge } from "@/components/posture/score-badge";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { SeverityCounts } from "@/components/ui/severity";
import { requireViewer } from "@/lib/auth/viewer";
import { scopeOfViewer } from "@/lib/authz/policy";
import { plural } from "@/lib/format";
import { listTeams } from "@/lib/posture/teams";

export const metadata: Metadata = { title: "Teams" };

export default async function TeamsPage() {
  const viewer = await requireViewer();
  const teams = await listTeams(scopeOfViewer(viewer));
  return (
    <>
      <PageHeader title="Teams" description="Each team's score, open findings and what it owns." />
      {teams.length === 0 ? (
        <EmptyState>You are in no team yet. An admin adds you to teams in Admin → Users.</EmptyState>
      ) : (
        <DataTable columns={["Team", "Score", "Open (C / H / M / L / ?)", { label: "Fixable", align: "right" }, "Owns"]}>
          {teams.map((t) => (
            <tr key={t.id} className="hover:bg-slate-50">
              <td className="px-4 py-3">
                <Link className="font-medium text-slate-900 hover:text-brand-700 hover:underline" href={`/teams/${t.id}`}>{t.name}</Link>
                <div className="text-xs text-slate-500">{plural(t.members, "member")}</div>
              </td>
              <td className="px-4 py-3"><ScoreBadge grade={t.posture.score.grade} value={t.posture.score.value} score={t.posture.score} /></td>
              <td className="px-4 py-3"><SeverityCounts counts={t.posture.findings} /></td>
              <td className="px-4 py-3 text-right tabular-nums">{t.posture.fixable}</td>
              <td className="px-4 py-3 text-xs text-slate-600">
                <Link className="hover:underline" href={`/images?team=${t.id}`}>{plural(t.images, "image")}</Link> · {plural(t.clusters, "cluster")} · {plural(t.namespaces, "namespace")}
              </td>
            </tr>
          ))}
            </DataTable>
      )}
    </>
  );
}
