import type { Metadata } from "next";
import { ImageFilters } from "@/components/images/image-filters";
import { ImageTable } from "@/components/images/image-table";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { requireViewer } from "@/lib/auth/viewer";
import { scopeOfViewer } from "@/lib/authz/policy";
import { PAGE_SIZE, imageListQuerySchema, listImages } from "@/lib/images/list-images";
import { filterChoices } from "@/lib/posture/choices";

export const metadata: Metadata = { title: "Images" };

export default async function ImagesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await requireViewer();
  const scope = scopeOfViewer(viewer);
  const query = imageListQuerySchema.parse(await searchParams);
  const [{ rows, total }, choices] = await Promise.all([listImages(scope, query), filterChoices(scope)]);
  const filters = Object.entries(query).filter(([k, v]) => !["page", "sort", "state"].includes(k) && v !== undefined).map(([k]) => k);
  const params = Object.fromEntries(Object.entries(query).filter(([k]) => k !== "page").map(([k, v]) => [k, v === true ? "1" : v === undefined ? undefined : String(v)]));
  return (
    <>
      <PageHeader title="Images" description="Every scanned image with its score, open findings, owning team and where it runs." />
      <ImageFilters query={query} teams={choices.teams} clusters={choices.clusters} />
      {rows.length === 0 ? (
        <EmptyState>{filters.length === 0
            ? "No images yet. Post a scanner report to /api/v1/scans to see it here."
            : filters.length === 1 && filters[0] === "q" ? "No image matches this search." : "No image matches these filters."}</EmptyState>
      ) : (
        <ImageTable rows={rows} now={new Date()} />
      )}
      <Pagination page={query.page} pageSize={PAGE_SIZE} total={total} basePath="/images" params={params} />
    </>
  );
}
