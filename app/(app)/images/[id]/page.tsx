import type { Metadata } from "next";
import Link from "next/link";
import { SeveritySummary } from "@/components/posture/severity-summary";
import { Panel } from "@/components/ui/panel";
import { SeverityCount } from "@/components/ui/severity";
import { PageHeader } from "@/components/ui/page-header";
import { requireViewer, visibleOr404 } from "@/lib/auth/viewer";
import { scopeOfViewer } from "@/lib/authz/policy";
import { imageDetail } from "@/lib/posture/details";
import { shortDigest, timeAgo } from "@/lib/format";

export const metadata: Metadata = { title: "Image" };

export default async function ImagePage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await requireViewer();
  const image = await visibleOr404(imageDetail(scopeOfViewer(viewer), (await params).id));
  const now = new Date();
  return (
    <div className="flex flex-col gap-5">
      <PageHeader
        title={image.repository.name}
        description={[image.tags.join(", "), shortDigest(image.digest) && `@${shortDigest(image.digest)}`, image.osName && `${image.osFamily ?? ""} ${image.osName}`].filter(Boolean).join(" · ")}
      />
      <Panel title="Open findings">
        <SeveritySummary counts={image.severity} fixable={image.fixable} />
        <p className="mt-3 text-sm text-slate-500">
          Owned by {image.team ? <Link className="text-brand-700 hover:underline" href={`/teams/${image.team.id}`}>{image.team.name}</Link> : "no team"} · first seen {timeAgo(image.firstSeenAt, now)} · last scanned {timeAgo(image.lastScannedAt, now)}
        </p>
      </Panel>
      <Panel title="Runs in">
        {image.workloads.length === 0 ? (
          <p className="text-sm text-slate-500">No cluster report has shown this image running.</p>
        ) : (
          <ul className="text-sm">
            {image.workloads.map(({ workload: w }) => (
              <li key={`${w.namespace.cluster.id}/${w.namespace.name}/${w.kind}/${w.name}`}>
                <Link className="text-brand-700 hover:underline" href={`/clusters/${w.namespace.cluster.id}`}>{w.namespace.cluster.name}</Link> / {w.namespace.name} / {w.kind} {w.name}
              </li>
            ))}
          </ul>
        )}
      </Panel>
      <Panel title={`Open findings (${image.findings.length === 50 ? "first 50" : image.findings.length})`}>
        <ul className="divide-y divide-slate-100 text-sm">
          {image.findings.map((f) => (
            <li key={f.id} className="flex items-center gap-3 py-2">
              <SeverityCount severity={f.severity} count={1} />
              <Link className="font-medium text-brand-700 hover:underline" href={`/findings/${f.id}`}>{f.ruleId}</Link>
              <span className="text-slate-600">{f.packageName} {f.installedVersion}{f.fixedVersion ? ` → ${f.fixedVersion}` : ""}</span>
              <span className="truncate text-slate-500">{f.title}</span>
            </li>
          ))}
        </ul>
      </Panel>
      <Panel title="Scan history">
        <ul className="text-sm text-slate-700">
          {image.scans.map((s) => (
            <li key={s.id}>
              {s.receivedAt.toISOString().slice(0, 16).replace("T", " ")} · {s.tool} {s.toolVersion ?? ""} · {s.totalCount} findings ({s.newCount} new, {s.fixedCount} fixed)
            </li>
          ))}
        </ul>
      </Panel>
    </div>
  );
}
