import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { FindingsExplorer } from "@/components/findings/explorer";
import { WhereItRuns } from "@/components/findings/where-it-runs";
import { QueueTabs, queueViewOf } from "@/components/findings/queue-tabs";
import { ExceptionList } from "@/components/exceptions/exception-list";
import { PageHeader } from "@/components/ui/page-header";
import { requireViewer } from "@/lib/auth/viewer";
import { can, scopeOfViewer } from "@/lib/authz/policy";
import { whereItRuns } from "@/lib/findings/by-vulnerability";
import { findFindings, findingFacets, findingQuerySchema } from "@/lib/findings/explore";
import { listExceptions } from "@/lib/exceptions/list";
import { filterChoices } from "@/lib/posture/choices";

export const metadata: Metadata = { title: "Findings" };

export default async function FindingsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await requireViewer();
  const raw = Object.fromEntries(Object.entries(await searchParams).filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== ""));
  // An engineer's queue opens on their own assignments, soonest due first.
  if (viewer.role === "engineer" && Object.keys(raw).length === 0) redirect("/findings?assignee=me&sort=due");
  const view = queueViewOf(raw);
  const lead = can(viewer.role, "exceptions:decide");
  const header = (
    <>
      <PageHeader title="Findings" description="The triage queue: search, filter, assign, change status, ask for exceptions, export." />
      <QueueTabs current={view} lead={lead} engineer={can(viewer.role, "findings:triage")} />
    </>
  );
  if (view === "approval" || view === "requests") {
    const rows = await listExceptions(viewer, view === "approval" ? "pending" : "mine");
    // A lead's own pending requests wait for another lead: not "awaiting my approval".
    const shown = view === "approval" ? rows.filter((r) => r.requestedBy.id !== viewer.userId) : rows;
    return (
      <>
        {header}
        <ExceptionList rows={shown} viewer={viewer} empty={view === "approval" ? "Nothing awaits your approval." : "You have not asked for an exception."} />
      </>
    );
  }
  const scope = scopeOfViewer(viewer);
  const query = findingQuerySchema.parse(raw);
  const [rows, facets, choices, placements] = await Promise.all([
    findFindings(scope, query),
    findingFacets(scope, query),
    filterChoices(scope),
    query.vuln ? whereItRuns(scope, query.vuln) : Promise.resolve(null),
  ]);
  const visibleClusters = new Set(choices.clusters.map((c) => c.id));
  const initialSearch = new URLSearchParams(Object.entries(raw).filter(([k]) => k !== "page" && k !== "all")).toString();
  return (
    <>
      {header}
      <p className="-mt-2 mb-4 text-sm text-slate-600">
        Looking for a package? <Link className="text-brand-700 hover:underline" href="/packages">Search by package and version</Link>.
      </p>
      {placements && query.vuln && <WhereItRuns vulnerabilityId={query.vuln} placements={placements} visibleClusters={visibleClusters} />}
      <FindingsExplorer initialSearch={initialSearch} initialRows={rows} initialFacets={facets} teams={choices.teams} clusters={choices.clusters} canTriage={can(viewer.role, "findings:triage")} viewerId={viewer.userId} />
    </>
  );
}
