// CSV of every finding matching the explorer's filter, streamed in keyset pages.
import { apiRoute, queryObject } from "@/lib/api/handler";
import { scopeOfViewer } from "@/lib/authz/policy";
import { findingQuerySchema } from "@/lib/findings/explore";
import { findingPages, FINDING_CSV } from "@/lib/findings/export";
import { csvResponse } from "@/lib/export/csv";

export const GET = apiRoute({ session: "posture:read" }, async ({ url, viewer }) => {
  const query = findingQuerySchema.parse(queryObject(url));
  const asOf = new Date();
  return csvResponse(`findings-${asOf.toISOString().slice(0, 19).replace(/:/g, "")}Z.csv`, FINDING_CSV.header, FINDING_CSV.cells(asOf), findingPages(scopeOfViewer(viewer), query));
});
