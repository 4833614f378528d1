// /api/docs's static parts: Swagger UI's own files (from the swagger-ui-dist package) and the few
// lines that start it, as files (the CSP allows no inline script without a nonce).
import { readFile } from "node:fs/promises";
import path from "node:path";
import { apiRoute } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";

const DIST = path.join(process.cwd(), "node_modules", "swagger-ui-dist");
const FILES: Record<string, string> = { "swagger-ui.css": "text/css; charset=utf-8", "swagger-ui-bundle.js": "text/javascript; charset=utf-8" };
const START = `window.ui = SwaggerUIBundle({ url: "/api/v1/openapi.json", dom_id: "#api-docs", deepLinking: true, tryItOutEnabled: false, validatorUrl: null, persistAuthorization: false });\n`;

export const GET = apiRoute({ public: true }, async ({ params }) => {
  const cache = { "cache-control": "public, max-age=86400" };
  if (params.asset === "portcullis-docs.js") return new Response(START, { headers: { "content-type": "text/javascript; charset=utf-8", ...cache } });
  const type = FILES[params.asset];
  if (!type) throw new AppError("not_found", "No such file");
  return new Response(await readFile(path.join(DIST, params.asset)), { headers: { "content-type": type, ...cache } });
});
