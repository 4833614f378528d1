import type { Metadata } from "next";
import Link from "next/link";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { requireViewer } from "@/lib/auth/viewer";
import { scopeOfViewer } from "@/lib/authz/policy";
import { filterChoices } from "@/lib/posture/choices";
import { fixSummary } from "@/lib/fixes/summary";
import { endOfLifeImages, topFixes, topFixesQuerySchema } from "@/lib/fixes/top-fixes";
import { plural } from "@/lib/format";

export const metadata: Metadata = { title: "Top fixes" };

const link = "text-brand-700 hover:underline";

export default async function FixesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await requireViewer();
  const scope = scopeOfViewer(viewer);
  const query = topFixesQuerySchema.parse(Object.fromEntries(Object.entries(await searchParams).filter((e) => typeof e[1] === "string")));
  const [{ fixes, asOf }, eol, choices] = await Promise.all([topFixes(scope, query), endOfLifeImages(scope, query), filterChoices(scope)]);
  return (
    <>
      <PageHeader title="Top fixes" description="The upgrades that close the most open findings, weighted by severity. Each target is the lowest version that fixes all of that package's vulnerabilities." />
      <form method="get" className="mb-4 flex flex-wrap items-center gap-2 text-sm">
        <label className="flex items-center gap-2">
          Team
          <select name="team" defaultValue={query.team ?? ""} className="rounded-md border border-slate-300 bg-white px-2 py-1.5">
            <option value="">{scope.teamIds === null ? "All teams" : "All my teams"}</option>
            {choices.teams.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
          </select>
        </label>
        <button className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50">Show</button>
        {asOf && <span className="text-slate-500">All teams as of {asOf.toISOString().slice(11, 16)} UTC (recomputed every 5 minutes; a team&apos;s list is live)</span>}
      </form>
      {fixes.length === 0 ? (
        <EmptyState>No open finding has a known fix{query.team ? " in this team" : ""}.</EmptyState>
      ) : (
        <DataTable columns={["Upgrade", "Closes", { label: "Images", align: "right" }]}>
          {fixes.map((f) => (
            <tr key={`${f.packageName} ${f.installedVersion}`} className="align-top">
              <td className="px-4 py-3">
                <div className="font-medium text-slate-900">
                  upgrade {f.packageName} {f.installedVersion} → {f.target ?? <span className="text-slate-500">a fixed version (see findings)</span>}
                </div>
                <div className="text-xs text-slate-500">{f.ecosystem === "other" ? "version order: generic" : `${f.ecosystem} versions`} · {plural(f.vulnerabilities, "vulnerability", "vulnerabilities")}</div>
              </td>
              <td className="px-4 py-3">
                {fixSummary(f)}
                <div><Link className={`text-xs ${link}`} href={`/findings?all=1&fixable=1&q=${encodeURIComponent(f.packageName)}${query.team ? `&team=${query.team}` : ""}`}>the findings</Link></div>
              </td>
              <td className="px-4 py-3 text-right">
                <details>
                  <summary className={`cursor-pointer ${link}`}>{f.images}</summary>
                  <ul className="mt-1 text-left text-xs">
                    {f.imageList.map((i) => <li key={i.id}><Link className={link} href={`/images/${i.id}`}>{i.name}</Link></li>)}
                    {f.images > f.imageList.length && <li className="text-slate-500">and {f.images - f.imageList.length} more</li>}
                  </ul>
                </details>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <div className="mt-6">
        <Panel title="Images on an end-of-life OS">
          {eol.length === 0 ? (
            <p className="text-sm text-slate-600">None: every image you may see runs on a supported OS release.</p>
          ) : (
            <>
              <p className="mb-2 text-sm text-slate-600">No upgrade of a package fixes these: rebuild them on a supported base image.</p>
              <ul className="text-sm">
                {eol.map((i) => (
                  <li key={i.id}><Link className={link} href={`/images/${i.id}`}>{i.name}</Link> <span className="text-slate-500">· {i.osName ?? "unknown OS"} · {plural(i.open, "open finding")}{i.critical ? `, ${i.critical} critical` : ""}</span></li>
                ))}
              </ul>
              <Link className={`mt-2 inline-block text-sm ${link}`} href="/images?eosl=1">All of them</Link>
            </>
          )}
        </Panel>
      </div>
    </>
  );
}
