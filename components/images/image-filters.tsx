import Link from "next/link";
import type { ImageListQuery } from "@/lib/images/list-images";
import type { Choice } from "@/lib/posture/choices";

const field = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm";
const label = "flex flex-col gap-1 text-xs font-medium text-slate-600";

/** A plain GET form: the filters live in the URL, so a view can be shared and reloaded. */
export function ImageFilters({ query, teams, clusters }: { query: ImageListQuery; teams: Choice[]; clusters: Choice[] }) {
  return (
    <form method="get" className="mb-4 flex flex-wrap items-end gap-3" role="search">
      <label className={label}>
        Search
        <input name="q" defaultValue={query.q ?? ""} placeholder="Repository, tag or digest" className={`${field} w-64 max-w-full`} />
      </label>
      <Select name="team" label="Team" value={query.team} options={teams} />
      <Select name="cluster" label="Cluster" value={query.cluster} options={clusters} />
      <label className={label}>
        Severity at least
        <select name="severity" defaultValue={query.severity ?? ""} className={field}>
          <option value="">Any</option>
          <option value="critical">Critical</option>
          <option value="high">High</option>
          <option value="medium">Medium</option>
          <option value="low">Low</option>
        </select>
      </label>
      <label className={label}>
        Running
        <select name="running" defaultValue={query.running ?? ""} className={field}>
          <option value="">Either</option>
          <option value="yes">Running somewhere</option>
          <option value="no">Running nowhere</option>
        </select>
      </label>
      <label className={label}>
        Show
        <select name="state" defaultValue={query.state} className={field}>
          <option value="active">Current images</option>
          <option value="retired">Retired images</option>
          <option value="all">All</option>
        </select>
      </label>
      <label className={label}>
        Sort
        <select name="sort" defaultValue={query.sort} className={field}>
          <option value="score">Worst score first</option>
          <option value="critical">Most criticals</option>
          <option value="age">Oldest build first</option>
          <option value="scanned">Recently scanned</option>
          <option value="name">Name</option>
        </select>
      </label>
      <fieldset className="flex flex-wrap gap-3 text-sm text-slate-700">
        <legend className="sr-only">Only</legend>
        <Check name="fixable" checked={query.fixable} text="Fixable only" />
        <Check name="eosl" checked={query.eosl} text="End-of-life OS" />
        <Check name="stale" checked={query.stale} text="Stale scan" />
      </fieldset>
      <button type="submit" className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700">Apply</button>
      <Link href="/images" className="py-1.5 text-sm text-slate-600 hover:underline">Reset</Link>
    </form>
  );
}

function Select({ name, label: text, value, options }: { name: string; label: string; value?: string; options: Choice[] }) {
  return (
    <label className={label}>
      {text}
      <select name={name} defaultValue={value ?? ""} className={`${field} max-w-48`}>
        <option value="">All</option>
        {options.map((o) => (
          <option key={o.id} value={o.id}>{o.name}</option>
        ))}
      </select>
    </label>
  );
}

function Check({ name, checked, text }: { name: string; checked?: boolean; text: string }) {
  return (
    <label className="flex items-center gap-1.5">
      <input type="checkbox" name={name} value="1" defaultChecked={checked} className="h-4 w-4" />
      {text}
    </label>
  );
}
