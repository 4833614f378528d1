// GET /api/v1/openapi.json (no auth): the OpenAPI 3.1 description of /api/v1, generated from the validation schemas.
import { apiRoute } from "@/lib/api/handler";
import { openApiDocument } from "@/lib/api/openapi";
import { env } from "@/lib/env";

let cached: string | null = null;

export const GET = apiRoute({ public: true }, async () => {
  cached ??= JSON.stringify(openApiDocument(env().publicUrl));
  return new Response(cached, { headers: { "content-type": "application/json; charset=utf-8", "cache-control": "public, max-age=300" } });
});
