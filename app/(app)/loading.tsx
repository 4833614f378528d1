/** Shown inside the shell while a page's data loads. */
export default function Loading() {
  return (
    <div aria-busy="true" aria-live="polite" className="animate-pulse space-y-4">
      <div className="h-7 w-48 rounded bg-slate-200" />
      <div className="h-4 w-80 rounded bg-slate-200" />
      <div className="h-64 rounded-lg bg-slate-200" />
      <span className="sr-only">Loading…</span>
    </div>
  );
}
