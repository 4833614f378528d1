// POST /api/v1/runtime-events — Falco events (JSON, array or NDJSON; Falcosidekick's webhook body as is). Token scope: ingest.
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { apiRoute, queryObject } from "@/lib/api/handler";
import { readJsonText } from "@/lib/api/body";
import { withinByteBudget } from "@/lib/api/inflight";
import { env } from "@/lib/env";
import { ingestRuntimeEvents } from "@/lib/ingest/falco/ingest-runtime-events";
import { bindingOf, bindToToken } from "@/lib/ingest/token-binding";
import { contextName } from "@/lib/ingest/context";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const query = z.object({ cluster: contextName.optional() }).strict();

export const POST = apiRoute({ token: "ingest", budget: "runtime-events" }, async ({ request, url, token }) => {
  const bound = await bindToToken(query.parse(queryObject(url)), token);
  if (!bound.cluster) throw new AppError("bad_request", "cluster= is required: name the cluster these events come from");
  const result = await withinByteBudget("runtime-events", request, async () =>
    ingestRuntimeEvents({ body: await readJsonText(request, env().ingestBodyLimitBytes), cluster: bound.cluster!, binding: bindingOf(token) }),
  );
  return Response.json(result, { status: 202 });
});
