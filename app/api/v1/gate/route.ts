// GET /api/v1/gate?image=<ref-or-digest>[&policy=][&format=junit]: pass, warn or fail for an image
// (read scope; a bound token only for its own images). Always 200 with a decision.
import { apiRoute, queryObject } from "@/lib/api/handler";
import { check } from "@/lib/admin/input";
import { evaluateGate } from "@/lib/gate/evaluate";
import { gateJunit } from "@/lib/gate/junit";
import { gateQuerySchema, gateResultSchema } from "@/lib/gate/schema";

export const GET = apiRoute({ token: "read" }, async ({ url, token }) => {
  const query = check(gateQuerySchema, queryObject(url));
  const result = gateResultSchema.parse(await evaluateGate(token, query));
  if (query.format === "junit") return new Response(gateJunit(result), { headers: { "content-type": "application/xml; charset=utf-8" } });
  return Response.json(result);
});
