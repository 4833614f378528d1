import type { Metadata } from "next";
import { ImageFilters } from "@/components/images/image-filters";
import { ImageTable } from "@/components/images/image-table";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { requireViewer } from "@/lib/auth/viewer";
import { scopeOfViewer } from "@/lib/authz/policy";
import { PAGE_SIZE, imageListQuerySchema, listImages } from "@/lib/images/list-images";

export const metadata: Metadata = { title: "Images" };

export default async function ImagesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await requireViewer();
  const query = imageListQuerySchema.parse(await searchParams);
  const { rows, total } = await listImages(scopeOfViewer(viewer), query);
  return (
    <>
      <PageHeader title="Images" description="Every scanned image with its open findings, owning team and where it runs." />
      <ImageFilters query={query} />
      {rows.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">
          {query.q ? "No image matches this search." : "No images yet. Post a scanner report to /api/v1/scans to see it here."}
        </div>
      ) : (
        <ImageTable rows={rows} now={new Date()} />
      )}
      <Pagination page={query.page} pageSize={PAGE_SIZE} total={total} basePath="/images" params={{ q: query.q, sort: query.sort }} />
    </>
  );
}
