import type { Metadata } from "next";
import { SeveritySummary } from "@/components/posture/severity-summary";
import { Panel } from "@/components/ui/panel";
import { PageHeader } from "@/components/ui/page-header";
import { requireViewer, visibleOr404 } from "@/lib/auth/viewer";
import { scopeOfViewer } from "@/lib/authz/policy";
import { clusterDetail } from "@/lib/posture/details";

export const metadata: Metadata = { title: "Cluster" };

export default async function ClusterPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await requireViewer();
  const cluster = await visibleOr404(clusterDetail(scopeOfViewer(viewer), (await params).id));
  return (
    <div className="flex flex-col gap-5">
      <PageHeader title={cluster.name} description={cluster.team ? `Owned by ${cluster.team.name}` : "No owning team"} />
      <Panel title="Open findings">
        <SeveritySummary counts={cluster.severity} />
        <p className="mt-3 text-sm text-slate-500">{cluster.openByKind.map((k) => `${k.count} ${k.kind}`).join(" · ") || "None open."}</p>
      </Panel>
      <Panel title="Namespaces">
        <ul className="text-sm">
          {cluster.namespaces.map((ns) => (
            <li key={ns.id}>
              {ns.name} <span className="text-slate-500">· {ns.team?.name ?? "no team"} · {ns._count.workloads} workloads</span>
            </li>
          ))}
        </ul>
      </Panel>
    </div>
  );
}
