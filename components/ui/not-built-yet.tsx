import { PageHeader } from "@/components/ui/page-header";

/** A page of the product that a later release builds; it says so plainly. */
export function NotBuiltYet({ title, what }: { title: string; what: string }) {
  return (
    <>
      <PageHeader title={title} />
      <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-slate-600">
        <p className="font-medium text-slate-800">Not built yet.</p>
        <p className="mt-1 text-sm">{what}</p>
      </div>
    </>
  );
}
