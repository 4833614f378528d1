import type { Metadata } from "next";
import Link from "next/link";
import { RuntimeFilter } from "@/components/clusters/runtime-filter";
import { SourceAge } from "@/components/clusters/source-age";
import { ScoreBadge } from "@/components/posture/score-badge";
import { ScoreBreakdown } from "@/components/posture/score-breakdown";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { SeverityBadge, SeverityCounts } from "@/components/ui/severity";
import { requireViewer, visibleOr404 } from "@/lib/auth/viewer";
import { scopeOfViewer } from "@/lib/authz/policy";
import { kindCounts, plural, timeAgo } from "@/lib/format";
import { clusterDetail } from "@/lib/posture/clusters";

export const metadata: Metadata = { title: "Cluster" };

const link = "text-brand-700 hover:underline";
const one = (v: string | string[] | undefined) => (typeof v === "string" && v.length <= 200 ? v : undefined);

export default async function ClusterPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await requireViewer();
  const search = await searchParams;
  const filter = { priority: one(search.priority), namespace: one(search.namespace) };
  const now = new Date();
  const cluster = await visibleOr404(clusterDetail(scopeOfViewer(viewer), (await params).id, filter, now));
  const s = cluster.summary;
  return (
    <div className="flex flex-col gap-5">
      <PageHeader title={cluster.name} description={cluster.team ? `Owned by ${cluster.team.name}` : "No owning team"} />
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <ScoreBreakdown score={s.posture.score} label="Cluster" />
        <Panel title="Open findings">
          <SeverityCounts counts={s.posture.findings} />
          <p className="mt-3 text-sm text-slate-600">
            {kindCounts(s.posture.byKind) || "None open."}
          </p>
          <p className="mt-1 text-xs text-slate-500">Vulnerabilities count those of the images running here.</p>
          <Link className={`mt-2 inline-block text-sm ${link}`} href={`/findings?cluster=${cluster.id}`}>All findings in this cluster</Link>
        </Panel>
        <Panel title="Sources">
          <SourceAge cluster={s} now={now} />
          <p className="mt-2 text-sm text-slate-600">{plural(s.namespaces, "namespace")} · {plural(s.workloads, "workload")} · {plural(s.images, "image")} running</p>
        </Panel>
      </div>

      <Panel title="Namespaces, workloads and images">
        {cluster.namespaces.length === 0 ? (
          <p className="text-sm text-slate-500">No namespaces you may see in this cluster.</p>
        ) : (
          <div className="space-y-4">
            {cluster.namespaces.map((ns) => (
              <section key={ns.id} aria-label={`Namespace ${ns.name}`}>
                <h3 className="text-sm font-semibold text-slate-900">
                  {ns.name} <span className="font-normal text-slate-500">· {ns.team ? ns.team.name : "no team"} · {plural(ns.workloads.length, "workload")}</span>
                </h3>
                <ul className="mt-1 divide-y divide-slate-100 text-sm">
                  {ns.workloads.map((w) => (
                    <li key={w.id} className="py-1.5">
                      <span className="text-slate-700">{w.kind} {w.name}</span>
                      {w.images.length === 0 && <span className="ml-2 text-xs text-slate-400">no image known</span>}
                      <ul className="ml-4">
                        {w.images.map((i) => (
                          <li key={i.imageId} className="flex flex-wrap items-center gap-2 py-0.5">
                            <ScoreBadge grade={i.posture.score.grade} value={i.posture.score.value} score={i.posture.score} />
                            <Link className={link} href={`/images/${i.imageId}`}>{i.repository}{i.tag ? `:${i.tag}` : ""}</Link>
                            <SeverityCounts counts={i.posture.findings} />
                            <span className="text-xs text-slate-500">{i.team ?? "no team"}</span>
                          </li>
                        ))}
                      </ul>
                    </li>
                  ))}
                </ul>
              </section>
            ))}
          </div>
        )}
      </Panel>

      <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
        <Panel title="Misconfigurations by check">
          {cluster.misconfigurations.length === 0 ? (
            <p className="text-sm text-slate-500">No open misconfigurations.</p>
          ) : (
            <table className="w-full text-sm">
              <thead className="text-left text-xs uppercase text-slate-500"><tr><th className="py-1">Check</th><th className="pr-3">Severity</th><th className="text-right">Findings</th><th className="pl-3">Namespaces</th></tr></thead>
              <tbody className="divide-y divide-slate-100">
                {cluster.misconfigurations.map((m) => (
                  <tr key={m.ruleId}>
                    <td className="py-1.5"><Link className={link} href={`/findings?cluster=${cluster.id}&rule=${encodeURIComponent(m.ruleId)}`}>{m.ruleId}</Link> <span className="text-slate-600">{m.title}</span></td>
                    <td className="pr-3"><SeverityBadge severity={m.severity} /></td>
                    <td className="text-right tabular-nums">{m.findings}</td>
                    <td className="pl-3 text-xs text-slate-600">{m.namespaces.join(", ") || "cluster-wide"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Panel>
        <Panel title="CIS benchmark (kube-bench) by node type and section">
          {cluster.cis.length === 0 ? (
            <p className="text-sm text-slate-500">No failing or warning CIS checks open.</p>
          ) : (
            <table className="w-full text-sm">
              <thead className="text-left text-xs uppercase text-slate-500"><tr><th className="py-1">Node type · section</th><th className="text-right">Fail</th><th className="text-right">Warn</th></tr></thead>
              <tbody className="divide-y divide-slate-100">
                {cluster.cis.map((c) => (
                  <tr key={c.section}><td className="py-1.5 text-slate-700">{c.section}</td><td className="text-right tabular-nums text-red-700">{c.fail}</td><td className="text-right tabular-nums text-amber-700">{c.warn}</td></tr>
                ))}
              </tbody>
            </table>
          )}
          <p className="mt-2 text-xs text-slate-500">Passing checks are not stored; only FAIL and WARN results become findings.</p>
        </Panel>
      </div>

      <section id="runtime">
        <Panel title="Runtime alerts, last 7 days">
          <RuntimeFilter priority={filter.priority} namespace={filter.namespace} namespaces={cluster.namespaces.map((n) => n.name)} />
          {cluster.alerts.length === 0 ? (
            <p className="text-sm text-slate-500">No runtime alerts in the last 7 days{filter.priority || filter.namespace ? " matching this filter" : ""}.</p>
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full text-sm">
                <thead className="text-left text-xs uppercase text-slate-500">
                  <tr><th className="py-1">Rule</th><th>Priority</th><th>Namespace / pod / container</th><th>Image</th><th className="text-right">Count</th><th className="pl-3">First / last seen</th></tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {cluster.alerts.map((a, i) => (
                    <tr key={i}>
                      <td className="py-1.5 text-slate-800">{a.rule}</td>
                      <td>{a.priority}</td>
                      <td className="text-slate-600">{[a.namespace, a.pod, a.container].filter(Boolean).join(" / ") || "host"}</td>
                      <td className="text-slate-600">{a.image ?? "—"}</td>
                      <td className="text-right tabular-nums">{a.count}</td>
                      <td className="pl-3 text-xs text-slate-600">{timeAgo(a.firstSeen, now)} / {timeAgo(a.lastSeen, now)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Panel>
      </section>
    </div>
  );
}
