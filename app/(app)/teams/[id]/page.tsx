import type { Metadata } from "next";
import { SeveritySummary } from "@/components/posture/severity-summary";
import { Panel } from "@/components/ui/panel";
import { roleLabel } from "@/components/shell/app-shell";
import { PageHeader } from "@/components/ui/page-header";
import { requireViewer, visibleOr404 } from "@/lib/auth/viewer";
import { scopeOfViewer } from "@/lib/authz/policy";
import { teamDetail } from "@/lib/posture/details";

export const metadata: Metadata = { title: "Team" };

export default async function TeamPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await requireViewer();
  const team = await visibleOr404(teamDetail(scopeOfViewer(viewer), (await params).id));
  return (
    <div className="flex flex-col gap-5">
      <PageHeader title={team.name} description={`${team._count.images} images`} />
      <Panel title="Open findings">
        <SeveritySummary counts={team.severity} fixable={team.fixable} />
      </Panel>
      <Panel title="Members">
        <ul className="text-sm">
          {team.members.map((m) => (
            <li key={m.email}>
              {m.name} <span className="text-slate-500">· {m.email} · {roleLabel[m.role]}</span>
            </li>
          ))}
        </ul>
      </Panel>
    </div>
  );
}
