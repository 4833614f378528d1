// The runtime-events route as scripts/serve.mjs serves it without Next (lib/api/direct-route.ts):
// on a real HTTP server, with Node's request and response, the same answers and headers.
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { connect } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import "@/app/api/v1/runtime-events/route";
import { db } from "@/lib/db";
import { createApiToken } from "@/lib/tokens/api-tokens";
import { resetDatabase } from "../support/db-state";

type NodeHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;
const routes = (globalThis as unknown as { portcullisDirectRoutes?: Map<string, NodeHandler> }).portcullisDirectRoutes;

let server: Server;
let base: string;
let token: string;

beforeAll(async () => {
  // serve.mjs's dispatch: POSTs to a registered path go to its handler.
  server = createServer((request, response) => {
    const direct = request.method === "POST" ? routes?.get(request.url!.split("?")[0]) : undefined;
    if (direct) void direct(request, response);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(async () => {
  await resetDatabase();
  token = (await createApiToken({ name: "falcosidekick", scopes: ["ingest"] })).token;
});

const alert = (i: number) =>
  JSON.stringify({ output: `shell ${i}`, priority: "Warning", rule: "Terminal shell in container", time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), output_fields: { "k8s.ns.name": "shop", "k8s.pod.name": "api-7d9f8b6c5d-x2k4p" } });

const post = (body: string, headers: Record<string, string> = { authorization: `Bearer ${token}` }, query = "?cluster=prod-eu") =>
  fetch(`${base}/api/v1/runtime-events${query}`, { method: "POST", body, headers });

describe("the runtime-events route served without Next", () => {
  it("is registered when its module loads, for POST on exactly its path", () => {
    expect([...(routes?.keys() ?? [])]).toEqual(["/api/v1/runtime-events"]);
  });

  it("stores alerts and answers as the route does, with the headers every API answer carries", async () => {
    const response = await post([alert(1), alert(2)].join("\n"));
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: 2, rejected: 0, alerts: 2, duplicates: 0, ignored: 0, errors: [] });
    expect(await db.runtimeEvent.count()).toBe(2);
    const headers = response.headers;
    expect(headers.get("content-type")).toBe("application/json");
    expect(headers.get("x-content-type-options")).toBe("nosniff");
    expect(headers.get("x-frame-options")).toBe("DENY");
    expect(headers.get("referrer-policy")).toBe("same-origin");
    expect(headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(headers.get("cache-control")).toBe("no-store, no-transform");
  });

  it("answers errors in the API's JSON shape, with the route's own headers", async () => {
    const unauthenticated = await post(alert(1), {});
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get("www-authenticate")).toBe('Bearer realm="portcullis"');
    expect(unauthenticated.headers.get("x-content-type-options")).toBe("nosniff");
    expect((await unauthenticated.json()).error.code).toBe("unauthorized");
    const noCluster = await post(alert(1), undefined, "");
    expect(noCluster.status).toBe(400);
    expect((await noCluster.json()).error.message).toMatch(/cluster= is required/);
    expect(await db.runtimeEvent.count()).toBe(0);
  });

  it("records the client's address from the socket, as Next fills X-Forwarded-For", async () => {
    await post(alert(1));
    const firstUse = await db.auditLog.findFirstOrThrow({ where: { action: "token.first_used" } });
    expect(firstUse.sourceIp).toMatch(/127\.0\.0\.1$/);
  });

  it("streams a large body in (2 MiB of alerts)", async () => {
    const lines = Array.from({ length: 6000 }, (_, i) => alert(i));
    const body = lines.join("\n");
    expect(Buffer.byteLength(body)).toBeGreaterThan(1024 * 1024);
    const response = await post(body);
    expect(response.status).toBe(202);
    expect((await response.json()).alerts).toBe(6000);
  });

  it("answers 400 for a Host header that is not a host name, and stays up", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(`${base}/api/v1/runtime-events?cluster=prod-eu`, { method: "POST", headers: { host: "not a host", authorization: `Bearer ${token}` } }, (response) => {
        response.resume();
        resolve(response.statusCode!);
      });
      request.on("error", reject);
      request.end(alert(1));
    });
    expect(status).toBe(400);
    expect((await post(alert(2))).status).toBe(202);
  });

  it("survives a client that goes away in the middle of its body", async () => {
    const { port } = server.address() as AddressInfo;
    const socket = connect(port, "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write(`POST /api/v1/runtime-events?cluster=prod-eu HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Length: 5000\r\n\r\n{"output":`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await post(alert(3))).status).toBe(202);
    expect(await db.runtimeEvent.count()).toBe(1);
  });
});
