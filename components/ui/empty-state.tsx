/** What a list shows when it has nothing to list: say why, and what to do. */
export function EmptyState({ children }: { children: React.ReactNode }) {
  return <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-600">{children}</div>;
}
