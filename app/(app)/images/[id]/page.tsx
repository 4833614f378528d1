import type { Metadata } from "next";
import Link from "next/link";
import { ScoreBreakdown } from "@/components/posture/score-breakdown";
import { Panel } from "@/components/ui/panel";
import { SeverityBadge, SeverityCounts } from "@/components/ui/severity";
import { PageHeader } from "@/components/ui/page-header";
import { requireViewer, visibleOr404 } from "@/lib/auth/viewer";
import { scopeOfViewer } from "@/lib/authz/policy";
import { imageDetail, type PackageFix } from "@/lib/posture/details";
import { recentDecisions } from "@/lib/gate/evaluate";
import { GateDecisions } from "@/components/posture/gate-decisions";
import { visibleClusterIds } from "@/lib/posture/choices";
import { isoDate, plural, shortDigest, timeAgo } from "@/lib/format";

export const metadata: Metadata = { title: "Image" };

const link = "text-brand-700 hover:underline";

export default async function ImagePage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await requireViewer();
  const scope = scopeOfViewer(viewer);
  const search = (await searchParams).pkg;
  const packageSearch = typeof search === "string" ? search : undefined;
  const image = await visibleOr404(imageDetail(scope, (await params).id, { packageSearch }));
  const [visibleClusters, decisions] = await Promise.all([visibleClusterIds(scope, image.workloads.map((w) => w.workload.namespace.cluster.id)), recentDecisions(image.id)]);
  const now = new Date();
  const os = image.osName ? `${image.osFamily ?? ""} ${image.osName}`.trim() : null;
  return (
    <div className="flex flex-col gap-5">
      <PageHeader
        title={image.repository.name}
        description={[image.tags.join(", "), shortDigest(image.digest) && `@${shortDigest(image.digest)}`, os].filter(Boolean).join(" · ")}
      />
      {image.retiredAt && (
        <p className="rounded-md bg-slate-100 p-3 text-sm text-slate-700">
          Retired {timeAgo(image.retiredAt, now)}: it runs nowhere and was not scanned recently, so it no longer counts in posture. A new scan brings it back.
        </p>
      )}
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <ScoreBreakdown score={image.posture.score} label="Image" />
        <Panel title="Open findings">
          <SeverityCounts counts={image.posture.findings} />
          <dl className="mt-3 grid grid-cols-[1fr_auto] gap-y-1 text-sm">
            <dt className="text-slate-600">Unique vulnerabilities</dt><dd className="tabular-nums">{image.uniqueVulnerabilities}</dd>
            <dt className="text-slate-600">Fixable</dt><dd className="tabular-nums">{image.posture.fixable}</dd>
            <dt className="text-slate-600">Owned by</dt><dd>{image.team ? <Link className={link} href={`/teams/${image.team.id}`}>{image.team.name}</Link> : "no team"}</dd>
          </dl>
          <Link className={`mt-2 inline-block text-sm ${link}`} href={`/findings?image=${image.id}`}>All findings of this image</Link>
        </Panel>
        <Panel title="Facts">
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
            <dt className="text-slate-600">OS</dt>
            <dd>{os ?? "unknown"}{image.osEndOfLife && <span className="ml-1 rounded bg-red-100 px-1.5 text-xs font-semibold text-red-800">end of life</span>}</dd>
            <dt className="text-slate-600">Built</dt><dd title={isoDate(image.builtAt)}>{image.builtAt ? timeAgo(image.builtAt, now) : "unknown"}</dd>
            <dt className="text-slate-600">First seen</dt><dd>{timeAgo(image.firstSeenAt, now)}</dd>
            <dt className="text-slate-600">Last scanned</dt><dd>{timeAgo(image.lastScannedAt, now)}</dd>
            <dt className="text-slate-600">Digest</dt><dd className="break-all font-mono text-xs">{image.digest ?? "unknown"}</dd>
          </dl>
        </Panel>
      </div>

      <Panel title="Where it runs">
        {image.workloads.length === 0 ? (
          <p className="text-sm text-slate-500">No cluster report shows this image running.</p>
        ) : (
          <ul className="text-sm">
            {image.workloads.map(({ workload: w, lastSeenAt }) => (
              <li key={`${w.namespace.cluster.id}/${w.namespace.name}/${w.kind}/${w.name}`}>
                {visibleClusters.has(w.namespace.cluster.id) ? <Link className={link} href={`/clusters/${w.namespace.cluster.id}`}>{w.namespace.cluster.name}</Link> : w.namespace.cluster.name}
                {" → "}{w.namespace.name} → {w.kind} {w.name} <span className="text-xs text-slate-500">(seen {timeAgo(lastSeenAt, now)})</span>
              </li>
            ))}
          </ul>
        )}
      </Panel>

      <Panel title="Vulnerabilities by package">
        {image.byPackage.length === 0 ? (
          <p className="text-sm text-slate-500">No open vulnerabilities.</p>
        ) : (
          <>
            <PackageFixes fixes={image.byPackage.slice(0, PACKAGES_SHOWN)} imageId={image.id} />
            {image.byPackage.length > PACKAGES_SHOWN && (
              <details className="mt-1">
                <summary className={`cursor-pointer text-sm ${link}`}>Show {plural(image.byPackage.length - PACKAGES_SHOWN, "more package")}</summary>
                <PackageFixes fixes={image.byPackage.slice(PACKAGES_SHOWN)} imageId={image.id} />
              </details>
            )}
            {image.vulnerablePackages > image.byPackage.length && (
              <p className="mt-2 text-sm text-slate-600">
                These are the {image.byPackage.length} packages with the worst findings of {image.vulnerablePackages.toLocaleString("en")}.{" "}
                <Link className={link} href={`/findings?image=${image.id}&kind=vulnerability`}>All of this image&apos;s vulnerabilities</Link>
              </p>
            )}
          </>
        )}
      </Panel>

      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <FindingList title="Misconfigurations" findings={image.misconfigurations} empty="No open misconfigurations." />
        <FindingList title="Secrets" findings={image.secrets} empty="No secrets found in this image." />
      </div>

      <GateDecisions decisions={decisions} />

      <Panel title="Scan history">
        {image.history.length === 0 ? (
          <p className="text-sm text-slate-500">No scans recorded.</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-sm">
              <thead className="text-left text-xs uppercase text-slate-500"><tr><th className="py-1">When</th><th>Tool</th><th>From</th><th className="pl-3 text-right">Findings</th><th className="pl-3 text-right">Opened</th><th className="pl-3 text-right">Reopened</th><th className="pl-3 text-right">Closed</th><th className="pl-4">Skipped entries</th></tr></thead>
              <tbody className="divide-y divide-slate-100">
                {image.history.map((h) => (
                  <tr key={h.scan.id}>
                    <td className="py-1" title={h.scan.receivedAt.toISOString()}>{h.scan.receivedAt.toISOString().slice(0, 16).replace("T", " ")}</td>
                    <td>{h.scan.tool} {h.scan.toolVersion ?? ""}</td>
                    <td className="text-slate-600">{h.scan.targetKind === "cluster" ? `cluster report (${h.scan.cluster?.name ?? "?"})` : "image scan"}</td>
                    <td className="pl-3 text-right tabular-nums">{h.total}</td>
                    <td className="pl-3 text-right tabular-nums">{h.new}</td>
                    <td className="pl-3 text-right tabular-nums">{h.reopened}</td>
                    <td className="pl-3 text-right tabular-nums">{h.fixed}</td>
                    <td className="pl-4"><SkippedEntries skipped={h.scan.skipped} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>

      <Panel title={`Package inventory (${image.packageCount.toLocaleString("en")})`}>
        <form method="get" role="search" className="mb-2 flex gap-2">
          <input name="pkg" defaultValue={packageSearch ?? ""} aria-label="Search packages" placeholder="Package name" className="w-64 rounded-md border border-slate-300 px-2 py-1 text-sm" />
          <button className="rounded-md bg-brand-600 px-3 py-1 text-sm text-white">Search</button>
        </form>
        {image.packages.length === 0 ? (
          <p className="text-sm text-slate-500">{image.packageCount === 0 ? "No inventory: post an SBOM or a Trivy report with --list-all-pkgs." : "No package matches."}</p>
        ) : (
          <>
            <ul className="columns-1 text-xs md:columns-2 xl:columns-3">
              {image.packages.map((p) => (
                <li key={`${p.name}@${p.version}@${p.path}`} className="break-inside-avoid py-0.5"><span className="font-medium">{p.name}</span> {p.version} <span className="text-slate-400">{p.type ?? ""}</span></li>
              ))}
            </ul>
            {!packageSearch && image.packageCount > image.packages.length && (
              <p className="mt-2 text-xs text-slate-500">The first {image.packages.length} of {image.packageCount.toLocaleString("en")} by name; search to find the others.</p>
            )}
          </>
        )}
      </Panel>
    </div>
  );
}

function FindingList({ title, findings, empty }: { title: string; findings: { id: string; ruleId: string; title: string; severity: "critical" | "high" | "medium" | "low" | "unknown"; location: string | null }[]; empty: string }) {
  return (
    <Panel title={title}>
      {findings.length === 0 ? (
        <p className="text-sm text-slate-500">{empty}</p>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm">
          {findings.map((f) => (
            <li key={f.id} className="flex items-center gap-2 py-1.5">
              <SeverityBadge severity={f.severity} />
              <Link className="font-medium text-brand-700 hover:underline" href={`/findings/${f.id}`}>{f.ruleId}</Link>
              <span className="truncate text-slate-600">{f.title}</span>
              {f.location && <span className="ml-auto truncate text-xs text-slate-400">{f.location}</span>}
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

/** What a report held that could not become findings (kept with the scan, listed here so it is never missed). */
function SkippedEntries({ skipped }: { skipped: unknown }) {
  const entries = Array.isArray(skipped) ? (skipped as { path: string; reason: string }[]) : [];
  if (entries.length === 0) return <span className="text-slate-400">none</span>;
  return (
    <details className="text-xs">
      <summary className="cursor-pointer font-medium text-amber-700">{entries.length.toLocaleString("en")} skipped — nothing closed</summary>
      <ul className="mt-1 space-y-0.5 font-mono text-[11px] text-slate-600">
        {entries.slice(0, 10).map((e) => (
          <li key={e.path}>{e.path}: {e.reason}</li>
        ))}
        {entries.length > 10 && <li>… and {entries.length - 10} more: the answer to the report lists them all</li>}
      </ul>
    </details>
  );
}

const PACKAGES_SHOWN = 25;

function PackageFixes({ fixes, imageId }: { fixes: PackageFix[]; imageId: string }) {
  return (
    <ul className="divide-y divide-slate-100 text-sm">
      {fixes.map((p) => (
        <li key={p.packageName} className="flex flex-wrap items-center gap-2 py-1.5">
          <SeverityBadge severity={p.worst} />
          <Link className={`font-medium ${link}`} href={`/findings?image=${imageId}&q=${encodeURIComponent(p.packageName)}`}>{p.packageName}</Link>
          <span className="text-slate-600">{p.installedVersion}</span>
          <span className="text-slate-700">
            {p.fixedVersion
              ? <>upgrading to <strong>{p.fixedVersion}</strong> closes {plural(p.findings, "finding")} here</>
              : <>{plural(p.findings, "finding")}, no fixed version yet</>}
          </span>
        </li>
      ))}
    </ul>
  );
}
