import type { Metadata } from "next";
import Link from "next/link";
import { FindingsExplorer } from "@/components/findings/explorer";
import { WhereItRuns } from "@/components/findings/where-it-runs";
import { PageHeader } from "@/components/ui/page-header";
import { requireViewer } from "@/lib/auth/viewer";
import { scopeOfViewer } from "@/lib/authz/policy";
import { whereItRuns } from "@/lib/findings/by-vulnerability";
import { findFindings, findingFacets, findingQuerySchema } from "@/lib/findings/explore";
import { filterChoices } from "@/lib/posture/choices";

export const metadata: Metadata = { title: "Findings" };

export default async function FindingsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await requireViewer();
  const scope = scopeOfViewer(viewer);
  const raw = Object.fromEntries(Object.entries(await searchParams).filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== ""));
  const query = findingQuerySchema.parse(raw);
  const [rows, facets, choices, placements] = await Promise.all([
    findFindings(scope, query),
    findingFacets(scope, query),
    filterChoices(scope),
    query.vuln ? whereItRuns(scope, query.vuln) : Promise.resolve(null),
  ]);
  const visibleClusters = new Set(choices.clusters.map((c) => c.id));
  const initialSearch = new URLSearchParams(Object.entries(raw).filter(([k]) => k !== "page")).toString();
  return (
    <>
      <PageHeader title="Findings" description="Every finding you may see: search, filter, group by vulnerability, export." />
      <p className="-mt-3 mb-4 text-sm text-slate-600">
        Looking for a package? <Link className="text-brand-700 hover:underline" href="/packages">Search by package and version</Link>.
      </p>
      {placements && query.vuln && <WhereItRuns vulnerabilityId={query.vuln} placements={placements} visibleClusters={visibleClusters} />}
      <FindingsExplorer initialSearch={initialSearch} initialRows={rows} initialFacets={facets} teams={choices.teams} clusters={choices.clusters} />
    </>
  );
}
