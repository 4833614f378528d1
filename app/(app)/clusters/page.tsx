import type { Metadata } from "next";
import Link from "next/link";
import { DataTable } from "@/components/ui/data-table";
import { ScoreBadge } from "@/components/posture/score-badge";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { SeverityCounts } from "@/components/ui/severity";
import { SourceAge } from "@/components/clusters/source-age";
import { requireViewer } from "@/lib/auth/viewer";
import { scopeOfViewer } from "@/lib/authz/policy";
import { listClusters } from "@/lib/posture/clusters";
import { kindCounts, plural } from "@/lib/format";

export const metadata: Metadata = { title: "Clusters" };

export default async function ClustersPage() {
  const viewer = await requireViewer();
  const now = new Date();
  const clusters = await listClusters(scopeOfViewer(viewer), now);
  return (
    <>
      <PageHeader title="Clusters" description="Each cluster's posture: the images it runs, its misconfigurations, CIS results and runtime alerts." />
      {clusters.length === 0 ? (
        <EmptyState>No clusters yet. Post a <code>trivy k8s</code>, kube-bench or Falco report with <code>cluster=</code> to see one here.</EmptyState>
      ) : (
        <DataTable columns={["Cluster", "Score", "Open (C / H / M / L / ?)", "By kind", { label: "Size", align: "right" }, { label: "Runtime alerts 24 h / 7 d", align: "right" }, "Last reports"]}>
          {clusters.map((c) => (
            <tr key={c.id} className="align-top hover:bg-slate-50">
              <td className="px-4 py-3">
                <Link href={`/clusters/${c.id}`} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">{c.name}</Link>
                <div className="text-xs text-slate-500">{c.team ? c.team.name : "no owning team"}</div>
              </td>
              <td className="px-4 py-3"><ScoreBadge grade={c.posture.score.grade} value={c.posture.score.value} score={c.posture.score} /></td>
              <td className="px-4 py-3"><SeverityCounts counts={c.posture.findings} /></td>
              <td className="px-4 py-3 text-xs text-slate-600">
                {kindCounts(c.posture.byKind) || "none open"}
              </td>
              <td className="px-4 py-3 text-right text-xs text-slate-600">
                {c.namespaces} ns · {plural(c.workloads, "workload")} · {plural(c.images, "image")}
              </td>
              <td className="px-4 py-3 text-right tabular-nums">{c.alerts24h} / {c.alerts7d}</td>
              <td className="px-4 py-3 text-xs"><SourceAge cluster={c} now={now} /></td>
            </tr>
          ))}
            </DataTable>
      )}
    </>
  );
}
