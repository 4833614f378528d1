// The explorer's data for the browser (session): a page of findings, or of vulnerabilities when grouped.
import { apiRoute, queryObject } from "@/lib/api/handler";
import { scopeOfViewer } from "@/lib/authz/policy";
import { groupByVulnerability } from "@/lib/findings/by-vulnerability";
import { findFindings, findingQuerySchema } from "@/lib/findings/explore";

export const GET = apiRoute({ session: "posture:read" }, async ({ url, viewer }) => {
  const params = queryObject(url);
  const query = findingQuerySchema.parse(params);
  const scope = scopeOfViewer(viewer);
  if (params.group === "vulnerability") {
    const page = Math.min(10_000, Math.max(1, Number.parseInt(params.page ?? "1", 10) || 1));
    return Response.json(await groupByVulnerability(scope, query, page));
  }
  return Response.json(await findFindings(scope, query));
});
