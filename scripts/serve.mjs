// Serves the production build: Next's request handler on an HTTP server of our own, so that
//  - SIGTERM/SIGINT stop accepting connections, let requests in flight (a large ingest) finish,
//    run the app's shutdown hooks (job queue, database pools), then exit;
//  - requests Node refuses before Next sees them (headers over 16 KiB, malformed HTTP) get the
//    API's JSON error shape instead of an empty body;
//  - the server exits when the process that started it (npm start) goes away.
// Plain JavaScript, run with node: the container image needs no TypeScript runner for it.
import { createServer } from "node:http";
import next from "next";

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST || undefined;
const graceMs = Number(process.env.SHUTDOWN_GRACE_SECONDS ?? 25) * 1000;
const log = (message) => console.log(`[portcullis] ${message}`);

const app = next({ dev: false, dir: process.cwd(), port, hostname });
await app.prepare();
const handle = app.getRequestHandler();

let inFlight = 0;
let stopping = false;
const server = createServer((request, response) => {
  inFlight += 1;
  response.on("close", () => {
    inFlight -= 1;
    if (stopping && inFlight === 0) finish();
  });
  if (stopping) response.setHeader("Connection", "close");
  // A route the app serves without Next (lib/api/direct-route.ts), once its module is loaded.
  const direct = request.method === "POST" ? globalThis.portcullisDirectRoutes?.get(request.url.split("?")[0]) : undefined;
  if (direct) direct(request, response);
  else handle(request, response);
});

server.on("clientError", (error, socket) => {
  if (!socket.writable || error.code === "ECONNRESET") return socket.destroy();
  const tooLarge = error.code === "HPE_HEADER_OVERFLOW";
  const status = tooLarge ? "431 Request Header Fields Too Large" : "400 Bad Request";
  const body = JSON.stringify({
    error: tooLarge
      ? { code: "header_too_large", message: "The request line and headers are over 16 KiB; send long input in the body, not the URL" }
      : { code: "bad_request", message: "Malformed HTTP request" },
  });
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
});

server.listen(port, hostname, () => log(`ready on http://${hostname ?? "localhost"}:${port}`));

let finished = false;
async function finish() {
  if (finished) return;
  finished = true;
  for (const hook of globalThis.portcullisShutdownHooks ?? []) {
    await Promise.resolve()
      .then(hook)
      .catch(() => undefined);
  }
  log("stopped");
  process.exit(0);
}

function stop(reason) {
  if (stopping) return;
  stopping = true;
  // /api/health answers 503 from now on, so a load balancer stops sending requests here.
  globalThis.portcullisStopping = true;
  log(`${reason}: no new connections; finishing ${inFlight} request(s) in flight`);
  server.close();
  server.closeIdleConnections();
  if (inFlight === 0) void finish();
  setTimeout(() => {
    log(`requests still running after ${graceMs / 1000} s; closing them`);
    server.closeAllConnections();
    void finish();
  }, graceMs).unref();
}

process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
// Started by npm start with an IPC channel: when that process goes away, so does this one.
if (process.connected) process.on("disconnect", () => stop("parent process gone"));
