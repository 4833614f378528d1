import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { severityLabel } from "@/components/ui/severity";
import { requireViewer } from "@/lib/auth/viewer";
import { scopeOfViewer } from "@/lib/authz/policy";
import { SEVERITIES } from "@/lib/findings/model";
import { timeAgo } from "@/lib/format";
import { loadOverview } from "@/lib/posture/overview";

export const metadata: Metadata = { title: "Overview" };

const accent = { critical: "border-red-600", high: "border-orange-500", medium: "border-amber-400", low: "border-sky-300", unknown: "border-slate-300" };

export default async function OverviewPage() {
  const viewer = await requireViewer();
  const now = new Date();
  const overview = await loadOverview(scopeOfViewer(viewer), now);
  return (
    <>
      <PageHeader title="Overview" description="Open findings across the images you can see." />
      <section aria-label="Open findings by severity" className="grid grid-cols-2 gap-4 md:grid-cols-5">
        {SEVERITIES.map((s) => (
          <div key={s} className={`rounded-lg border-l-4 ${accent[s]} bg-white p-4 shadow-sm`}>
            <div className="text-xs font-semibold uppercase tracking-wide text-slate-500">{severityLabel[s]}</div>
            <div className="mt-1 text-3xl font-semibold tabular-nums">{overview.openBySeverity[s]}</div>
          </div>
        ))}
      </section>
      <section className="mt-6 grid gap-4 md:grid-cols-3">
        <Stat label="Open findings with a fix available" value={overview.fixableOpen} />
        <Stat label="Images" value={overview.images} href="/images" />
        <Stat label="Scans in the last 7 days" value={overview.scansLast7Days} />
      </section>
      <section className="mt-8">
        <h2 className="mb-3 text-lg font-semibold">Latest scans</h2>
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white shadow-sm">
          {overview.recentScans.length === 0 && <li className="p-4 text-sm text-slate-500">No scans yet.</li>}
          {overview.recentScans.map((scan) => (
            <li key={scan.id} className="flex items-center justify-between gap-4 px-4 py-3 text-sm">
              <span className="truncate font-medium">{scan.targetName}</span>
              <span className="shrink-0 text-slate-500">
                {scan.tool} · {scan.newCount} new · {scan.fixedCount} fixed · {timeAgo(scan.receivedAt, now)}
              </span>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

function Stat({ label, value, href }: { label: string; value: number; href?: string }) {
  const body = (
    <>
      <div className="text-sm text-slate-500">{label}</div>
      <div className="mt-1 text-2xl font-semibold tabular-nums">{value}</div>
    </>
  );
  return href ? (
    <Link href={href} className="rounded-lg bg-white p-4 shadow-sm hover:ring-2 hover:ring-brand-600/20">{body}</Link>
  ) : (
    <div className="rounded-lg bg-white p-4 shadow-sm">{body}</div>
  );
}
