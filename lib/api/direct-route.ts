// A route that scripts/serve.mjs may serve without Next: the same handler (apiRoute: the same
// authentication, limits and answers) on Node's request, with the headers next.config.ts gives.
// For one route only, runtime alerts: a sensor posts one alert per request, and Next's own work
// per request (routing, its request and response objects) cost more than storing the alert
// (bench:ingest's runtime row: about 530 → 1,000 requests/s).
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { toErrorResponse } from "@/lib/api/errors";
import { AppError } from "@/lib/errors";
import { ingestAnswerHeaders } from "@/lib/security/response-headers";

type NodeHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;
type WebHandler = (request: Request) => Promise<Response>;

/** The registry serve.mjs reads: the server and the app's bundle share the process, not modules. */
const registry = globalThis as unknown as { portcullisDirectRoutes?: Map<string, NodeHandler> };

/** The routes that may be served directly: their answers get the ingest routes' headers. */
type IngestRoute = "/api/v1/runtime-events" | "/api/v1/scans";

/**
 * Lets the server hand POSTs to exactly this path to `handler` without Next, from the moment the
 * route's module is loaded (its first request goes through Next, like any other).
 */
export function serveDirectly(path: IngestRoute, handler: WebHandler): void {
  const headers = ingestAnswerHeaders(process.env.NODE_ENV === "production");
  (registry.portcullisDirectRoutes ??= new Map<string, NodeHandler>()).set(path, (request, response) =>
    // Never a rejected promise in the server (it would stop the process): a failure ends this answer.
    answer(handler, headers, request, response).catch(() => void response.destroy()),
  );
}

async function answer(handler: WebHandler, own: Record<string, string>, request: IncomingMessage, response: ServerResponse): Promise<void> {
  let answered: Response;
  try {
    answered = await handler(webRequest(request));
  } catch (error) {
    // apiRoute answers what its handler throws; this is what comes before it (a Host no URL takes).
    answered = toErrorResponse(error);
  }
  const body = Buffer.from(await answered.arrayBuffer());
  const headers: Record<string, string | string[]> = { ...own };
  answered.headers.forEach((value, key) => (headers[key] = value));
  response.writeHead(answered.status, { ...headers, "content-length": body.length });
  response.end(body);
}

/** The Request a route handler gets from Next, with the X-Forwarded-* headers Next fills in. */
export function webRequest(request: IncomingMessage): Request {
  const headers = new Headers();
  for (const [key, value] of Object.entries(request.headers)) {
    if (typeof value === "string") headers.set(key, value);
    else for (const each of value ?? []) headers.append(key, each);
  }
  const socket = request.socket as IncomingMessage["socket"] & { encrypted?: boolean };
  const proto = headers.get("x-forwarded-proto") ?? (socket.encrypted ? "https" : "http");
  const fill = (key: string, value: string | undefined) => value !== undefined && !headers.has(key) && headers.set(key, value);
  fill("x-forwarded-host", headers.get("host") ?? undefined);
  fill("x-forwarded-port", String(socket.localPort ?? (proto === "https" ? 443 : 80)));
  fill("x-forwarded-proto", proto);
  fill("x-forwarded-for", socket.remoteAddress);
  let url: URL;
  try {
    url = new URL(request.url ?? "/", `${proto}://${headers.get("host") ?? "localhost"}`);
  } catch {
    throw new AppError("bad_request", "The Host header is not a host name");
  }
  return new Request(url, {
    method: request.method,
    headers,
    body: Readable.toWeb(request) as ReadableStream<Uint8Array>,
    duplex: "half",
  } as RequestInit);
}
