import type { ImageListQuery } from "@/lib/images/list-images";

/** A plain GET form: the filters live in the URL, so a view can be shared and reloaded. */
export function ImageFilters({ query }: { query: ImageListQuery }) {
  return (
    <form method="get" className="mb-4 flex flex-wrap items-end gap-3" role="search">
      <label className="flex flex-col gap-1 text-xs font-medium text-slate-600">
        Search
        <input
          name="q"
          defaultValue={query.q ?? ""}
          placeholder="Repository, tag or digest"
          className="w-72 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm"
        />
      </label>
      <label className="flex flex-col gap-1 text-xs font-medium text-slate-600">
        Sort
        <select name="sort" defaultValue={query.sort} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm">
          <option value="risk">Most severe first</option>
          <option value="recent">Recently scanned</option>
          <option value="name">Name</option>
        </select>
      </label>
      <button type="submit" className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700">
        Apply
      </button>
    </form>
  );
}
