import type { Metadata } from "next";
import Link from "next/link";
import { Panel } from "@/components/ui/panel";
import { SeverityBadge } from "@/components/ui/severity";
import { PageHeader } from "@/components/ui/page-header";
import { requireViewer, visibleOr404 } from "@/lib/auth/viewer";
import { scopeOfViewer } from "@/lib/authz/policy";
import { findingDetail } from "@/lib/posture/details";
import { findingHistory } from "@/lib/findings/history";

export const metadata: Metadata = { title: "Finding" };

export default async function FindingPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await requireViewer();
  const finding = await visibleOr404(findingDetail(scopeOfViewer(viewer), (await params).id));
  const history = await findingHistory(finding.id);
  const facts: [string, React.ReactNode][] = [
    ["Severity", <span key="s" className="flex items-center gap-2"><SeverityBadge severity={finding.severity} /></span>],
    ["Status", finding.status.replace("_", " ")],
    ["Kind", finding.kind],
    ["Package", finding.packageName ? `${finding.packageName} ${finding.installedVersion ?? ""}` : "—"],
    ["Fixed in", finding.fixedVersion ?? "no fix known"],
    ["Image", finding.image ? <Link key="i" className="text-brand-700 hover:underline" href={`/images/${finding.image.id}`}>{finding.image.repository.name}</Link> : "—"],
    ["Where", [finding.cluster?.name, finding.namespace?.name, finding.workload && `${finding.workload.kind} ${finding.workload.name}`, finding.location && `${finding.location}${finding.startLine ? `:${finding.startLine}` : ""}`].filter(Boolean).join(" / ") || "—"],
    ["Team", finding.team?.name ?? "no team"],
    ["Reported by", finding.reportedBy.join(", ") || "no scanner any more"],
  ];
  return (
    <div className="flex flex-col gap-5">
      <PageHeader title={finding.ruleId} description={finding.title} />
      <Panel title="Facts">
        <dl className="grid grid-cols-[10rem_1fr] gap-y-1 text-sm">
          {facts.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-slate-500">{k}</dt>
              <dd className="text-slate-800">{v}</dd>
            </div>
          ))}
        </dl>
        {finding.vulnerability?.description && <p className="mt-4 whitespace-pre-line text-sm text-slate-700">{finding.vulnerability.description}</p>}
      </Panel>
      <Panel title="History">
        <ol className="text-sm text-slate-700">
          {history.map((h, i) => (
            <li key={i}>
              {h.at.toISOString().slice(0, 16).replace("T", " ")} · {h.type.replace("_", " ")}
              {h.toStatus ? ` → ${h.toStatus.replace("_", " ")}` : ""}
            </li>
          ))}
        </ol>
      </Panel>
    </div>
  );
}
