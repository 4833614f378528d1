"use client";
// The findings explorer in the browser: filters and facets on the left, the table on the right.
// Filters live in the URL (nuqs); data comes from /api/ui/findings through TanStack Query, so a
// filter change refetches without reloading the page. The first page arrives with the HTML.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable } from "@tanstack/react-table";
import Link from "next/link";
import { useState } from "react";
import { SeverityBadge } from "@/components/ui/severity";
import { SlaBadge } from "@/components/findings/sla-badge";
import { BulkBar } from "@/components/findings/bulk-bar";
import { toSearch, useExplorerState, type ExplorerState } from "@/components/findings/explorer-state";
import type { Facets, FindingRow } from "@/lib/findings/explore";
import type { VulnerabilityGroup } from "@/lib/findings/by-vulnerability";

export interface Choice {
  id: string;
  name: string;
}

interface Props {
  initialSearch: string;
  initialRows: { rows: FindingRow[]; next: string | null };
  initialFacets: Facets;
  teams: Choice[];
  clusters: Choice[];
  /** whether the viewer may triage (shows selection and bulk actions) */
  canTriage: boolean;
  viewerId: string;
}

const SEVERITIES = ["critical", "high", "medium", "low", "unknown"];
const KINDS = ["vulnerability", "misconfiguration", "secret", "compliance", "runtime"];
const STATUSES = ["open", "in_progress", "fixed", "false_positive", "not_affected", "risk_accepted"];

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { accept: "application/json" } });
  if (!response.ok) {
    const body = await response.json().catch(() => null);
    throw new Error(body?.error?.message ?? `The server answered ${response.status}`);
  }
  return response.json() as Promise<T>;
}

const SLA_LABELS = new Map([["breached", "Breached"], ["at_risk", "At risk (due within 7 days)"]]);

const column = createColumnHelper<FindingRow>();
const columns = [
  column.accessor("severity", { header: "Severity", cell: (c) => <SeverityBadge severity={c.getValue()} /> }),
  column.accessor("ruleId", {
    header: "Finding",
    cell: (c) => {
      const f = c.row.original;
      return (
        <div className="min-w-0 max-w-[15rem]">
          <Link className="font-medium text-brand-700 hover:underline" href={`/findings/${f.id}`}>{c.getValue()}</Link>
          <div className="truncate text-xs text-slate-500" title={f.title}>{f.title}</div>
          {f.packageName && (
            <div className="break-words text-xs">
              {f.packageName} {f.installedVersion}
              {f.fixedVersion ? <span className="text-emerald-700"> → {f.fixedVersion}</span> : <span className="text-slate-400"> (no fix)</span>}
            </div>
          )}
        </div>
      );
    },
  }),
  column.accessor("target", {
    header: "Where",
    cell: (c) => {
      const f = c.row.original;
      return (
        <div className="max-w-[12rem] text-xs">
          <div className="truncate" title={f.target}>
            {f.imageId ? <Link className="hover:underline" href={`/images/${f.imageId}`}>{f.target}</Link> : f.target}
          </div>
          <div className="truncate text-slate-500">{[f.team ?? "no team", f.namespace].filter(Boolean).join(" · ")}</div>
        </div>
      );
    },
  }),
  column.accessor("status", {
    header: "Status · due",
    cell: (c) => {
      const f = c.row.original;
      return (
        <div className="flex flex-col items-start gap-0.5 whitespace-nowrap text-xs">
          <span>{f.status.replace("_", " ")}</span>
          {f.assignee && <span className="max-w-[9rem] truncate text-slate-500" title={f.assignee}>{f.assignee}</span>}
          {f.dueAt && <span className="text-slate-600">due {new Date(f.dueAt).toISOString().slice(0, 10)}</span>}
          <SlaBadge status={f.status} dueAt={f.dueAt} now={new Date()} />
        </div>
      );
    },
  }),
];

export function FindingsExplorer({ initialSearch, initialRows, initialFacets, teams, clusters, canTriage, viewerId }: Props) {
  const [state, setState] = useExplorerState();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulkOpen, setBulkOpen] = useState(false);
  const toggle = (id: string) => setSelected((s) => { const next = new Set(s); if (next.has(id)) next.delete(id); else next.add(id); return next; });
  const search = toSearch(state, ["page"]);
  const grouped = state.group === "vulnerability";
  const rowsQuery = useQuery({
    queryKey: ["findings", search],
    queryFn: () => getJson<{ rows: FindingRow[]; next: string | null }>(`/api/ui/findings?${search}`),
    initialData: search === initialSearch ? initialRows : undefined,
    placeholderData: keepPreviousData,
    enabled: !grouped,
  });
  const facetSearch = toSearch(state, ["after", "sort", "group", "page"]);
  const facetsQuery = useQuery({
    queryKey: ["findings-facets", facetSearch],
    queryFn: () => getJson<Facets>(`/api/ui/findings/facets?${facetSearch}`),
    initialData: facetSearch === toSearch(Object.fromEntries(new URLSearchParams(initialSearch)), ["after", "sort", "group", "page"]) ? initialFacets : undefined,
    placeholderData: keepPreviousData,
  });
  const groupSearch = toSearch(state, ["after", "sort"]);
  const groupsQuery = useQuery({
    queryKey: ["findings-by-vulnerability", groupSearch],
    queryFn: () => getJson<{ rows: VulnerabilityGroup[]; more: boolean }>(`/api/ui/findings?${groupSearch}`),
    placeholderData: keepPreviousData,
    enabled: grouped,
  });
  // Any filter change starts again from the first page.
  const set = (patch: Partial<ExplorerState>) => {
    setSelected(new Set());
    return setState({ ...patch, after: null, page: null });
  };
  // The table object is recreated from its inputs on each render; nothing memoises it.
  const rows = rowsQuery.data?.rows ?? [];
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({ data: rows, columns, getCoreRowModel: getCoreRowModel() });
  const names = { team: new Map(teams.map((t) => [t.id, t.name])), cluster: new Map(clusters.map((c) => [c.id, c.name])) };
  const facets = facetsQuery.data;

  return (
    <div className="grid gap-4 lg:grid-cols-[15rem_minmax(0,1fr)]">
      <aside aria-label="Filters" className="space-y-4 text-sm">
        <SearchBox value={state.q ?? ""} onSearch={(q) => set({ q: q || null })} />
        <FacetGroup title="Severity" param="severity" values={SEVERITIES} counts={facets?.severity} state={state} set={set} />
        <FacetGroup title="SLA" param="sla" values={["breached", "at_risk"]} labels={SLA_LABELS} state={state} set={set} single />
        <FacetGroup title="Kind" param="kind" values={KINDS} counts={facets?.kind} state={state} set={set} />
        <FacetGroup title="Status" param="status" values={STATUSES} counts={facets?.status} state={state} set={set} hint="open and in progress unless chosen" />
        <FacetGroup title="Team" param="team" values={teams.map((t) => t.id)} labels={names.team} counts={facets?.team} state={state} set={set} single />
        <FacetGroup title="Cluster" param="cluster" values={clusters.map((c) => c.id)} labels={names.cluster} counts={facets?.cluster} state={state} set={set} single />
        <FacetGroup title="Tool" param="tool" values={Object.keys(facets?.tool ?? {}).concat(state.tool && !facets?.tool?.[state.tool] ? [state.tool] : [])} counts={facets?.tool} state={state} set={set} single />
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={state.fixable === "1"} onChange={(e) => set({ fixable: e.target.checked ? "1" : null })} className="h-4 w-4" />
          Fixable only {facets?.fixable !== null && facets?.fixable !== undefined && <span className="text-slate-500">({facets.fixable.toLocaleString("en")})</span>}
        </label>
        {(state.rule || state.vuln || state.image || state.namespace || state.target) && (
          <div className="rounded-md bg-slate-100 p-2 text-xs text-slate-700">
            {state.rule && <div>Rule: {state.rule}</div>}
            {state.vuln && <div>Vulnerability: {state.vuln}</div>}
            {state.image && <div>One image</div>}
            {state.namespace && <div>One namespace</div>}
            {state.target && <div>Target: {state.target.replace(/^artifact:/, "")}</div>}
            <button className="mt-1 text-brand-700 hover:underline" onClick={() => set({ rule: null, vuln: null, image: null, namespace: null, target: null })}>Clear these</button>
          </div>
        )}
        <Link href="/findings?all=1" className="block text-brand-700 hover:underline">Reset all filters</Link>
      </aside>

      <section aria-label="Findings" className="min-w-0">
        <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
          <div className="flex gap-1 rounded-md bg-slate-100 p-1 text-sm" role="tablist">
            <button role="tab" aria-selected={!grouped} className={`rounded px-3 py-1 ${!grouped ? "bg-white shadow-sm" : ""}`} onClick={() => set({ group: null })}>Findings</button>
            <button role="tab" aria-selected={grouped} className={`rounded px-3 py-1 ${grouped ? "bg-white shadow-sm" : ""}`} onClick={() => set({ group: "vulnerability" })}>By vulnerability</button>
          </div>
          <span className="text-sm text-slate-600" aria-live="polite">
            {facets ? (facets.total === null ? "More than 10,000 findings" : `${facets.total.toLocaleString("en")} findings`) : "Counting…"}
            {facets?.source === "none" && " (narrow the filter for counts per facet)"}
          </span>
          <div className="flex items-center gap-2 text-sm">
            {!grouped && (
              <select aria-label="Sort" value={state.sort ?? "severity"} onChange={(e) => set({ sort: e.target.value === "severity" ? null : (e.target.value as ExplorerState["sort"]) })} className="rounded-md border border-slate-300 bg-white px-2 py-1">
                <option value="severity">Most severe first</option>
                <option value="first_seen">Newest first</option>
                <option value="due">Due soonest</option>
              </select>
            )}
            <a className="rounded-md border border-slate-300 bg-white px-3 py-1 hover:bg-slate-50" href={`/api/ui/findings/export?${toSearch(state, ["after", "group", "page"])}`}>Export CSV</a>
          </div>
        </div>
        {canTriage && !grouped && !bulkOpen && selected.size === 0 && (
          <p className="mb-2 text-sm text-slate-600">
            Select findings to act on them, or <button className="text-brand-700 hover:underline" onClick={() => setBulkOpen(true)}>act on all matching this filter</button>.
          </p>
        )}
        {canTriage && !grouped && (bulkOpen || selected.size > 0) && (
          <BulkBar selected={[...selected]} filter={toSearch(state, ["after", "group", "page"])} total={facets?.total ?? null} viewerId={viewerId} clear={() => { setSelected(new Set()); setBulkOpen(true); }} />
        )}
        {grouped ? (
          <VulnerabilityTable query={groupsQuery} page={Number(state.page ?? "1")} setPage={(p) => setState({ page: p > 1 ? String(p) : null })} onPick={(vuln) => setState({ vuln, group: null, after: null, page: null })} />
        ) : rowsQuery.isError ? (
          <p role="alert" className="rounded-md bg-red-50 p-4 text-sm text-red-800">Could not load findings: {rowsQuery.error.message}</p>
        ) : (
          <>
            <div className={`overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm ${rowsQuery.isFetching ? "opacity-60" : ""}`}>
              <table className="min-w-full divide-y divide-slate-200 text-sm">
                <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
                  {table.getHeaderGroups().map((g) => (
                    <tr key={g.id}>
                      {canTriage && (
                        <th scope="col" className="px-2 py-2">
                          <input type="checkbox" aria-label="Select all on this page" className="h-4 w-4"
                            checked={rows.length > 0 && rows.every((r) => selected.has(r.id))}
                            onChange={(e) => setSelected(e.target.checked ? new Set(rows.map((r) => r.id)) : new Set())} />
                        </th>
                      )}
                      {g.headers.map((h) => <th key={h.id} scope="col" className="px-2 py-2">{flexRender(h.column.columnDef.header, h.getContext())}</th>)}
                    </tr>
                  ))}
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {table.getRowModel().rows.map((row) => (
                    <tr key={row.id} className="align-top hover:bg-slate-50">
                      {canTriage && (
                        <td className="px-2 py-2">
                          <input type="checkbox" aria-label={`Select ${row.original.ruleId} on ${row.original.target}`} className="h-4 w-4" checked={selected.has(row.original.id)} onChange={() => toggle(row.original.id)} />
                        </td>
                      )}
                      {row.getVisibleCells().map((cell) => <td key={cell.id} className="px-2 py-2">{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>)}
                    </tr>
                  ))}
                  {rowsQuery.data && rowsQuery.data.rows.length === 0 && (
                    <tr><td colSpan={columns.length + 1} className="p-8 text-center text-slate-500">No finding matches this filter.</td></tr>
                  )}
                  {!rowsQuery.data && <tr><td colSpan={columns.length + 1} className="p-8 text-center text-slate-500">Loading…</td></tr>}
                </tbody>
              </table>
            </div>
            <nav aria-label="Pagination" className="mt-3 flex justify-end gap-2 text-sm">
              {state.after && <button className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50" onClick={() => setState({ after: null })}>First page</button>}
              {rowsQuery.data?.next && <button className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50" onClick={() => setState({ after: rowsQuery.data!.next })}>Next page</button>}
            </nav>
          </>
        )}
      </section>
    </div>
  );
}

function SearchBox({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const [text, setText] = useState(value);
  return (
    <form role="search" onSubmit={(e) => { e.preventDefault(); onSearch(text.trim()); }} className="flex gap-1">
      <input aria-label="Search findings" value={text} onChange={(e) => setText(e.target.value)} placeholder="CVE, package, title, rule" className="w-full rounded-md border border-slate-300 bg-white px-2 py-1.5" />
      <button className="rounded-md bg-brand-600 px-2 text-white">Go</button>
    </form>
  );
}

function FacetGroup(props: {
  title: string;
  param: "severity" | "kind" | "status" | "team" | "cluster" | "tool" | "sla";
  values: string[];
  labels?: Map<string, string>;
  counts?: Record<string, number>;
  state: ExplorerState;
  set: (patch: Partial<ExplorerState>) => void;
  single?: boolean;
  hint?: string;
}) {
  const chosen = new Set((props.state[props.param] ?? "").split(",").filter(Boolean));
  const toggle = (value: string) => {
    const next = props.single ? (chosen.has(value) ? [] : [value]) : chosen.has(value) ? [...chosen].filter((v) => v !== value) : [...chosen, value];
    props.set({ [props.param]: next.length ? next.join(",") : null });
  };
  if (props.values.length === 0) return null;
  return (
    <fieldset>
      <legend className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">{props.title}</legend>
      {props.hint && <p className="mb-1 text-xs text-slate-400">{props.hint}</p>}
      <ul className="max-h-48 space-y-0.5 overflow-y-auto">
        {props.values.map((value) => (
          <li key={value}>
            <label className="flex items-center justify-between gap-2">
              <span className="flex items-center gap-2">
                <input type="checkbox" checked={chosen.has(value)} onChange={() => toggle(value)} className="h-4 w-4" />
                {props.labels?.get(value) ?? value.replace("_", " ")}
              </span>
              {props.counts && <span className="tabular-nums text-slate-500">{(props.counts[value] ?? 0).toLocaleString("en")}</span>}
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

function VulnerabilityTable({ query, page, setPage, onPick }: {
  query: { data?: { rows: VulnerabilityGroup[]; more: boolean }; isError: boolean; error: Error | null; isFetching: boolean };
  page: number;
  setPage: (page: number) => void;
  onPick: (vuln: string) => void;
}) {
  if (query.isError) return <p role="alert" className="rounded-md bg-red-50 p-4 text-sm text-red-800">Could not load: {query.error?.message}</p>;
  const rows = query.data?.rows;
  return (
    <>
      <div className={`overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm ${query.isFetching ? "opacity-60" : ""}`}>
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
            <tr><th className="px-2 py-2">Severity</th><th className="px-2 py-2">Vulnerability</th><th className="px-2 py-2 text-right">Findings</th><th className="px-2 py-2 text-right">Fixable</th><th className="px-2 py-2 text-right">Images</th><th className="px-2 py-2 text-right">Clusters</th><th className="px-2 py-2 text-right">Teams</th></tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows?.map((v) => (
              <tr key={v.vulnerabilityId} className="hover:bg-slate-50">
                <td className="px-2 py-2"><SeverityBadge severity={v.severity} /></td>
                <td className="px-2 py-2">
                  <button className="font-medium text-brand-700 hover:underline" onClick={() => onPick(v.vulnerabilityId)}>{v.vulnerabilityId}</button>
                  <div className="max-w-[16rem] truncate text-xs text-slate-500" title={v.title ?? ""}>{v.title}</div>
                </td>
                <td className="px-2 py-2 text-right tabular-nums">{v.findings}</td>
                <td className="px-2 py-2 text-right tabular-nums">{v.fixable}</td>
                <td className="px-2 py-2 text-right tabular-nums">{v.images}</td>
                <td className="px-2 py-2 text-right tabular-nums">{v.clusters}</td>
                <td className="px-2 py-2 text-right tabular-nums">{v.teams}</td>
              </tr>
            ))}
            {rows && rows.length === 0 && <tr><td colSpan={7} className="p-8 text-center text-slate-500">No open vulnerability matches this filter.</td></tr>}
            {!rows && <tr><td colSpan={7} className="p-8 text-center text-slate-500">Loading…</td></tr>}
          </tbody>
        </table>
      </div>
      <nav aria-label="Pagination" className="mt-3 flex justify-end gap-2 text-sm">
        {page > 1 && <button className="rounded-md border border-slate-300 bg-white px-3 py-1.5" onClick={() => setPage(page - 1)}>Previous</button>}
        {query.data?.more && <button className="rounded-md border border-slate-300 bg-white px-3 py-1.5" onClick={() => setPage(page + 1)}>Next</button>}
      </nav>
    </>
  );
}
