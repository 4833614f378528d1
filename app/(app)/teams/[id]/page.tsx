import type { Metadata } from "next";
import Link from "next/link";
import { ScoreBadge } from "@/components/posture/score-badge";
import { ScoreBreakdown } from "@/components/posture/score-breakdown";
import { WeeklyBars } from "@/components/posture/weekly-bars";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { SeverityCounts } from "@/components/ui/severity";
import { requireViewer, visibleOr404 } from "@/lib/auth/viewer";
import { scopeOfViewer } from "@/lib/authz/policy";
import { plural } from "@/lib/format";
import { teamDetail } from "@/lib/posture/teams";

export const metadata: Metadata = { title: "Team" };

const link = "text-brand-700 hover:underline";

export default async function TeamPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await requireViewer();
  const team = await visibleOr404(teamDetail(scopeOfViewer(viewer), (await params).id));
  return (
    <div className="flex flex-col gap-5">
      <PageHeader title={team.name} description={`${plural(team.members.length, "member")} · ${plural(team.images, "image")} · ${plural(team.clusters.length, "cluster")} · ${plural(team.namespaces.length, "namespace")}`} />
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <ScoreBreakdown score={team.posture.score} label="Team" />
        <Panel title="Open findings">
          <SeverityCounts counts={team.posture.findings} />
          <dl className="mt-3 grid grid-cols-[1fr_auto] gap-y-1 text-sm">
            <dt className="text-slate-600">Fixable</dt><dd className="tabular-nums">{team.posture.fixable}</dd>
            <dt className="text-slate-600"><Link className={link} href={`/findings?team=${team.id}&sla=breached&sort=due`}>SLA breached</Link></dt><dd className={`tabular-nums ${team.overdue ? "font-semibold text-red-700" : ""}`}>{team.overdue}</dd>
            <dt className="text-slate-600"><Link className={link} href={`/findings?team=${team.id}&sla=at_risk&sort=due`}>At risk (due within 7 days)</Link></dt><dd className={`tabular-nums ${team.atRisk ? "font-semibold text-amber-700" : ""}`}>{team.atRisk}</dd>
            <dt className="text-slate-600">Risk accepted (paused)</dt><dd className="tabular-nums">{team.accepted}</dd>
            <dt className="text-slate-600">Fixed in the last 90 days</dt><dd className="tabular-nums">{team.fixedLast90Days}</dd>
            <dt className="text-slate-600">Median days to fix (90 days)</dt><dd className="tabular-nums">{team.medianDaysToFix ?? "—"}</dd>
          </dl>
          <Link className={`mt-2 inline-block text-sm ${link}`} href={`/findings?team=${team.id}`}>All of the team&apos;s findings</Link>
        </Panel>
        <Panel title="Open critical and high, last 12 weeks">
          <WeeklyBars weeks={team.trend} label="Open critical and high findings per week" />
          <p className="mt-2 text-xs text-slate-500">
            Now: {team.trend.at(-1)?.critical ?? 0} critical, {team.trend.at(-1)?.high ?? 0} high (12 weeks ago: {team.trend[0]?.critical ?? 0} and {team.trend[0]?.high ?? 0}).
          </p>
        </Panel>
      </div>
      <Panel title="Worst images">
        {team.worstImages.length === 0 ? (
          <p className="text-sm text-slate-500">No image of this team has open findings.</p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm">
            {team.worstImages.map((i) => (
              <li key={i.id} className="flex flex-wrap items-center justify-between gap-2 py-1.5">
                <span className="flex min-w-0 items-center gap-2"><ScoreBadge grade={i.grade} value={i.score} /><Link className={`truncate ${link}`} href={`/images/${i.id}`}>{i.repository}{i.tags[0] ? `:${i.tags[0]}` : ""}</Link></span>
                <SeverityCounts counts={i} />
              </li>
            ))}
          </ul>
        )}
        <Link className={`mt-2 inline-block text-sm ${link}`} href={`/images?team=${team.id}`}>All {plural(team.images, "image")}</Link>
      </Panel>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <Panel title="Members">
          <ul className="text-sm">
            {team.members.map((m) => (
              <li key={m.id}>{m.name} <span className="text-slate-500">· {m.email} · {m.role.replace("_", " ")}</span></li>
            ))}
            {team.members.length === 0 && <li className="text-slate-500">No members.</li>}
          </ul>
        </Panel>
        <Panel title="Clusters owned">
          <ul className="text-sm">
            {team.clusters.map((c) => <li key={c.id}><Link className={link} href={`/clusters/${c.id}`}>{c.name}</Link></li>)}
            {team.clusters.length === 0 && <li className="text-slate-500">None.</li>}
          </ul>
        </Panel>
        <Panel title="Namespaces owned">
          <ul className="text-sm">
            {team.namespaces.map((n) => <li key={n.id}>{n.name} <span className="text-slate-500">in <Link className={link} href={`/clusters/${n.cluster.id}`}>{n.cluster.name}</Link></span></li>)}
            {team.namespaces.length === 0 && <li className="text-slate-500">None.</li>}
          </ul>
        </Panel>
      </div>
    </div>
  );
}
