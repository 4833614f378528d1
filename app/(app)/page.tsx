import type { Metadata } from "next";
import Link from "next/link";
import { ScoreBadge } from "@/components/posture/score-badge";
import { ScoreBreakdown } from "@/components/posture/score-breakdown";
import { SeverityCounts, severityLabel } from "@/components/ui/severity";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { requireViewer } from "@/lib/auth/viewer";
import { scopeOfViewer } from "@/lib/authz/policy";
import { SEVERITIES } from "@/lib/findings/model";
import { plural, timeAgo } from "@/lib/format";
import { loadOverview, ROOT_OR_PRIVILEGED_CHECKS, type Ranked } from "@/lib/posture/overview";

export const metadata: Metadata = { title: "Overview" };

const accent = { critical: "border-red-600", high: "border-orange-500", medium: "border-amber-400", low: "border-sky-300", unknown: "border-slate-300" };
const link = "text-brand-700 hover:underline";

export default async function OverviewPage() {
  const viewer = await requireViewer();
  const now = new Date();
  const o = await loadOverview(scopeOfViewer(viewer), now);
  const seesAll = viewer.role === "admin" || viewer.role === "security_lead";
  return (
    <>
      <PageHeader title="Overview" description={seesAll ? "Open findings across the organisation." : "Open findings of your teams."} />
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-[minmax(0,20rem)_1fr]">
        <ScoreBreakdown score={o.posture.score} label={seesAll ? "Organisation" : "Your teams'"} />
        <section aria-label="Open findings by severity" className="grid grid-cols-2 gap-3 sm:grid-cols-3 xl:grid-cols-5">
          {SEVERITIES.map((s) => (
            <Link key={s} href={`/findings?severity=${s}`} className={`rounded-lg border-l-4 ${accent[s]} bg-white p-3 shadow-sm hover:ring-2 hover:ring-brand-600/20`}>
              <div className="text-xs font-semibold uppercase tracking-wide text-slate-500">{severityLabel[s]}</div>
              <div className="mt-1 text-2xl font-semibold tabular-nums">{o.uniqueVulnerabilities[s].toLocaleString("en")}</div>
              <div className="text-xs text-slate-500">unique vulnerabilities</div>
              <div className="mt-1 text-sm tabular-nums text-slate-700">{plural(o.posture.findings[s], "finding")}</div>
            </Link>
          ))}
          <Link href="/findings?fixable=1" className="rounded-lg bg-white p-3 shadow-sm hover:ring-2 hover:ring-brand-600/20">
            <div className="text-xs font-semibold uppercase tracking-wide text-slate-500">Fixable</div>
            <div className="mt-1 text-2xl font-semibold tabular-nums">{o.posture.fixable.toLocaleString("en")}</div>
            <div className="text-xs text-slate-500">open findings with a fixed version</div>
          </Link>
        </section>
      </div>

      <div className="mt-6 grid grid-cols-1 gap-4 xl:grid-cols-2">
        <Panel title="Worst images">
          {o.worstImages.length === 0 ? (
            <p className="text-sm text-slate-500">No image has open findings.</p>
          ) : (
            <ol className="divide-y divide-slate-100 text-sm">
              {o.worstImages.map((i) => (
                <li key={i.id} className="flex items-center justify-between gap-3 py-2">
                  <span className="flex min-w-0 items-center gap-2">
                    <ScoreBadge grade={i.grade} value={i.score} />
                    <Link href={`/images/${i.id}`} className={`truncate ${link}`}>{i.repository}{i.tags[0] ? `:${i.tags[0]}` : ""}</Link>
                  </span>
                  <SeverityCounts counts={i} />
                </li>
              ))}
            </ol>
          )}
        </Panel>
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <RankedList title="Worst teams" rows={o.worstTeams} href={(id) => `/teams/${id}`} empty="No teams yet." />
          <RankedList title="Worst clusters" rows={o.worstClusters} href={(id) => `/clusters/${id}`} empty="No clusters yet." />
        </div>
      </div>

      <div className="mt-6 grid grid-cols-1 gap-4 xl:grid-cols-3">
        <Panel title="Practices">
          <ul className="space-y-2 text-sm">
            <Practice label="Images on an end-of-life OS" value={o.practices.endOfLifeImages} href="/images?eosl=1" />
            <Practice label="Workloads running as root or privileged" value={o.practices.rootOrPrivilegedWorkloads} href={`/findings?rule=${ROOT_OR_PRIVILEGED_CHECKS.join(",")}`} />
            <Practice label="Images with secrets in them" value={o.practices.imagesWithSecrets} href="/findings?kind=secret" />
            <Practice label="Runtime alerts in the last 24 h" value={o.practices.runtimeAlerts24h} href="/findings?kind=runtime" />
            <Practice label="Images with no scan in 7 days" value={o.practices.imagesNotScanned7Days} href="/images?stale=1" />
            {o.practices.failingCisByCluster.map((c) => (
              <Practice key={c.clusterId} label={`Failing CIS checks in ${c.name}`} value={c.failing} href={`/findings?kind=compliance&cluster=${c.clusterId}`} />
            ))}
          </ul>
        </Panel>
        <Panel title="Runtime alerts, last 24 h">
          {o.runtimeAlerts24h.length === 0 ? (
            <p className="text-sm text-slate-500">No runtime alerts in the last 24 hours.</p>
          ) : (
            <ul className="space-y-1 text-sm">
              {o.runtimeAlerts24h.map((a) => (
                <li key={a.clusterId} className="flex justify-between">
                  <Link className={link} href={`/clusters/${a.clusterId}#runtime`}>{a.name}</Link>
                  <span className="tabular-nums">{a.alerts.toLocaleString("en")}</span>
                </li>
              ))}
            </ul>
          )}
        </Panel>
        <Panel title="Stale targets">
          <ul className="space-y-1 text-sm">
            <li className="flex justify-between">
              <Link className={link} href="/images?stale=1&running=yes">Running images last scanned over 7 days ago</Link>
              <span className="tabular-nums">{o.staleImages}</span>
            </li>
            {o.staleClusters.map((c) => (
              <li key={c.id} className="flex justify-between gap-2">
                <Link className={link} href={`/clusters/${c.id}`}>{c.name}</Link>
                <span className="text-right text-slate-600">
                  Trivy {timeAgo(c.lastTrivy, now)} · kube-bench {timeAgo(c.lastKubeBench, now)}
                </span>
              </li>
            ))}
            {o.staleClusters.length === 0 && <li className="text-slate-500">Every cluster had a Trivy and a kube-bench report this week.</li>}
          </ul>
        </Panel>
      </div>
    </>
  );
}

function RankedList({ title, rows, href, empty }: { title: string; rows: Ranked[]; href: (id: string) => string; empty: string }) {
  return (
    <Panel title={title}>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-500">{empty}</p>
      ) : (
        <ol className="space-y-2 text-sm">
          {rows.map((r) => (
            <li key={r.id} className="flex items-center justify-between gap-2">
              <Link className={`truncate ${link}`} href={href(r.id)}>{r.name}</Link>
              <ScoreBadge grade={r.posture.score.grade} value={r.posture.score.value} score={r.posture.score} />
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
}

function Practice({ label, value, href }: { label: string; value: number; href: string }) {
  return (
    <li className="flex items-center justify-between gap-3">
      <span className="text-slate-700">{label}</span>
      <Link href={href} className={`font-semibold tabular-nums ${value > 0 ? "text-red-700" : "text-slate-500"} hover:underline`}>{value.toLocaleString("en")}</Link>
    </li>
  );
}
