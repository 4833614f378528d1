import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireViewer } from "@/lib/auth/viewer";
import { scopeOfViewer } from "@/lib/authz/policy";
import { searchPackage } from "@/lib/findings/package-search";
import { parsePackageQuery } from "@/lib/findings/version-range";
import { visibleClusterIds } from "@/lib/posture/choices";

export const metadata: Metadata = { title: "Package search" };

const link = "text-brand-700 hover:underline";

export default async function PackagesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await requireViewer();
  const scope = scopeOfViewer(viewer);
  const q = typeof (await searchParams).q === "string" ? ((await searchParams).q as string).slice(0, 300) : "";
  const parsed = q ? parsePackageQuery(q) : null;
  const result = parsed ? await searchPackage(scope, parsed) : null;
  const visibleClusters = await visibleClusterIds(scope, result?.hits.flatMap((h) => h.runsIn.map((r) => r.clusterId)) ?? []);
  return (
    <>
      <PageHeader title="Package search" description="Which images contain a package, in which versions, where they run and who owns them." />
      <form method="get" role="search" className="mb-4 flex flex-wrap gap-2">
        <input name="q" defaultValue={q} aria-label="Package, optionally with a version or range" placeholder="log4j-core < 2.17.1" className="w-80 max-w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm" />
        <button className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white">Search</button>
      </form>
      {q && !parsed && <p role="alert" className="mb-4 text-sm text-red-700">Write a package name, optionally followed by &lt;, &lt;=, =, &gt;= or &gt; and a version: e.g. <code>openssl &lt; 3.0.7</code>.</p>}
      {!q && <EmptyState>Search a package by name, with an optional version or range, e.g. <code>log4j-core &lt; 2.17.1</code> or <code>openssl</code>.</EmptyState>}
      {result && result.hits.length === 0 && <EmptyState>No image you may see contains {parsed!.name}{parsed!.comparison ? ` ${parsed!.comparison} ${parsed!.version}` : ""}.</EmptyState>}
      {result && result.hits.length > 0 && (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
              <tr><th className="px-4 py-2">Image</th><th className="px-4 py-2">Versions</th><th className="px-4 py-2">Team</th><th className="px-4 py-2 text-right">Open findings in it</th><th className="px-4 py-2">Runs in</th></tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {result.hits.map((h) => (
                <tr key={h.imageId} className="align-top">
                  <td className="px-4 py-2"><Link className={link} href={`/images/${h.imageId}`}>{h.image}</Link>{h.retired && <span className="ml-1 rounded bg-slate-200 px-1 text-xs">retired</span>}</td>
                  <td className="px-4 py-2 font-mono text-xs">{h.versions.join(", ")}</td>
                  <td className="px-4 py-2">{h.team ?? "no team"}</td>
                  <td className="px-4 py-2 text-right tabular-nums">
                    {h.openFindings > 0 ? <Link className={link} href={`/findings?image=${h.imageId}&q=${encodeURIComponent(parsed!.name)}`}>{h.openFindings}</Link> : 0}
                  </td>
                  <td className="px-4 py-2 text-xs">
                    {h.runsIn.length === 0 ? <span className="text-slate-400">nowhere</span> : h.runsIn.map((r) => (
                      <div key={`${r.clusterId}/${r.namespace}/${r.workload}`}>
                        {visibleClusters.has(r.clusterId) ? <Link className={link} href={`/clusters/${r.clusterId}`}>{r.cluster}</Link> : r.cluster} / {r.namespace} / {r.workload}
                      </div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {result.truncated && <p className="p-3 text-xs text-slate-500">The first 500 images are shown; narrow the version range for the rest.</p>}
        </div>
      )}
    </>
  );
}
