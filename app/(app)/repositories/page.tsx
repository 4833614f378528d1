import type { Metadata } from "next";
import Link from "next/link";
import { ScoreBadge } from "@/components/posture/score-badge";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { SeverityCounts } from "@/components/ui/severity";
import { requireViewer } from "@/lib/auth/viewer";
import { scopeOfViewer } from "@/lib/authz/policy";
import { kindCounts, timeAgo } from "@/lib/format";
import { listRepositories } from "@/lib/posture/repositories";

export const metadata: Metadata = { title: "Repositories" };

export default async function RepositoriesPage() {
  const viewer = await requireViewer();
  const now = new Date();
  const repositories = await listRepositories(scopeOfViewer(viewer));
  return (
    <>
      <PageHeader title="Repositories" description="Source repositories and filesystems scanned on their own (trivy fs and repo, SARIF, Grype on a directory)." />
      {repositories.length === 0 ? (
        <EmptyState>No repository or filesystem scans yet. Post one with <code>artifact=</code> (see the API section of the README).</EmptyState>
      ) : (
        <DataTable columns={["Repository", "Team", "Score", "Open (C / H / M / L / ?)", "By kind", "Last scan"]}>
          {repositories.map((r) => (
            <tr key={r.targetKey} className="hover:bg-slate-50">
              <td className="px-4 py-3">
                <Link className="font-medium text-slate-900 hover:text-brand-700 hover:underline" href={`/findings?target=${encodeURIComponent(r.targetKey)}`}>{r.name}</Link>
                <div className="text-xs text-slate-500">{r.tools.join(", ")}</div>
              </td>
              <td className="px-4 py-3 text-slate-700">{r.team ?? <span className="text-slate-400">Unowned</span>}</td>
              <td className="px-4 py-3"><ScoreBadge grade={r.posture.score.grade} value={r.posture.score.value} score={r.posture.score} /></td>
              <td className="px-4 py-3"><SeverityCounts counts={r.posture.findings} /></td>
              <td className="px-4 py-3 text-xs text-slate-600">{kindCounts(r.posture.byKind) || "none open"}</td>
              <td className="px-4 py-3 text-slate-600">{timeAgo(r.lastScannedAt, now)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}
