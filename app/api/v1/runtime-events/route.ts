// POST /api/v1/runtime-events — Falco events (JSON, array or NDJSON; Falcosidekick's webhook body as is). Token scope: ingest.
import { AppError } from "@/lib/errors";
import { apiRoute, queryObject } from "@/lib/api/handler";
import { serveDirectly } from "@/lib/api/direct-route";
import { readJsonText } from "@/lib/api/body";
import { withinByteBudget } from "@/lib/api/inflight";
import { env } from "@/lib/env";
import { ingestRuntimeEvents } from "@/lib/ingest/falco/ingest-runtime-events";
import { bindingOf, bindToToken } from "@/lib/ingest/token-binding";
import { runtimeEventsQuerySchema } from "@/lib/ingest/context";
import { runtimeAnswerSchema } from "@/lib/ingest/answers";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute({ token: "ingest", budget: "runtime-events", remembered: true }, async ({ request, url, token }) => {
  const bound = await bindToToken(runtimeEventsQuerySchema.parse(queryObject(url)), token);
  if (!bound.cluster) throw new AppError("bad_request", "cluster= is required: name the cluster these events come from");
  const result = await withinByteBudget("runtime-events", request, async () =>
    ingestRuntimeEvents({ body: await readJsonText(request, env().ingestBodyLimitBytes), cluster: bound.cluster!, binding: bindingOf(token) }),
  );
  return Response.json(runtimeAnswerSchema.parse(result), { status: 202 });
});

// One alert per request: served without Next's per-request work once this module is loaded.
serveDirectly("/api/v1/runtime-events", POST);
