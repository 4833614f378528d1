import { apiRoute, queryObject } from "@/lib/api/handler";
import { scopeOfViewer } from "@/lib/authz/policy";
import { findingFacets, findingQuerySchema } from "@/lib/findings/explore";

export const GET = apiRoute({ session: "posture:read" }, async ({ url, viewer }) =>
  Response.json(await findingFacets(scopeOfViewer(viewer), findingQuerySchema.parse(queryObject(url)))),
);
