// POST /api/v1/scans — ingest one scanner report (raw output, format auto-detected). Token scope: ingest.
import { apiRoute, queryObject } from "@/lib/api/handler";
import { readJsonBody } from "@/lib/api/body";
import { withinByteBudget } from "@/lib/api/inflight";
import { env } from "@/lib/env";
import { ingestContextSchema } from "@/lib/ingest/context";
import { ingestReport } from "@/lib/ingest/ingest-report";
import { scanAnswerSchema } from "@/lib/ingest/answers";
import { bindingOf, bindToToken } from "@/lib/ingest/token-binding";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute({ token: "ingest" }, async ({ request, url, token }) => {
  const context = await bindToToken(ingestContextSchema.parse(queryObject(url)), token);
  let read = 0;
  const result = await withinByteBudget("scans", request, async () => {
    const started = performance.now();
    const body = await readJsonBody(request, env().ingestBodyLimitBytes);
    read = performance.now() - started;
    return ingestReport({ body: () => body.takeText(), bodyDigest: body.sha256, context, tokenId: token.id, binding: bindingOf(token) });
  });
  const { duplicate, timings, ...scan } = result;
  // Where the time went, per step (bench:ingest prints it); standard, and ignored by clients that do not ask.
  const headers = { "Server-Timing": Object.entries({ read, ...timings }).map(([step, ms]) => `${step};dur=${ms.toFixed(1)}`).join(", ") };
  return duplicate ? Response.json(scanAnswerSchema.parse({ ...scan, duplicate: true }), { status: 200, headers }) : Response.json(scanAnswerSchema.parse(scan), { status: 201, headers });
});
