// GET /api/v1/findings: the explorer's query for scripts (its filters, keyset pages); {items, nextCursor}.
import { apiRoute, queryObject } from "@/lib/api/handler";
import { check } from "@/lib/admin/input";
import { readFindings } from "@/lib/read-api/resources";
import { findingsPageSchema, findingsQuerySchema, type FindingsQuery } from "@/lib/read-api/schemas";

export const GET = apiRoute({ token: "read" }, async ({ url, token }) => {
  const query = check(findingsQuerySchema, queryObject(url)) as FindingsQuery;
  return Response.json(findingsPageSchema.parse(await readFindings(token, query)));
});
