// The read API (/api/v1/images, /images/{id}, /findings, /findings/{id}, /clusters, /teams) and
// the OpenAPI document: team and cluster binding on every route, cursor pages that visit every
// finding once, strict queries, and every answer checked against /api/v1/openapi.json.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as images } from "@/app/api/v1/images/route";
import { GET as image } from "@/app/api/v1/images/[id]/route";
import { GET as findings } from "@/app/api/v1/findings/route";
import { GET as finding } from "@/app/api/v1/findings/[id]/route";
import { GET as clusters } from "@/app/api/v1/clusters/route";
import { GET as teams } from "@/app/api/v1/teams/route";
import { GET as openapi } from "@/app/api/v1/openapi.json/route";
import { GET as gate } from "@/app/api/v1/gate/route";
import { GET as vex } from "@/app/api/v1/vex/route";
import { POST as scans } from "@/app/api/v1/scans/route";
import { POST as runtimeEvents } from "@/app/api/v1/runtime-events/route";
import { createTeam } from "@/lib/admin/teams";
import { CLI_ACTOR } from "@/lib/authz/actor";
import { db } from "@/lib/db";
import { ingestReport } from "@/lib/ingest/ingest-report";
import { createApiToken } from "@/lib/tokens/api-tokens";
import { resetDatabase } from "../support/db-state";
import { fixtureText } from "../support/fixtures";
import { expectDocumented } from "../support/openapi";

type Handler = (request: Request, segments?: { params: Promise<Record<string, string>> }) => Promise<Response>;
const tokens: Record<"all" | "payments" | "storefront" | "clusterB" | "ingest", string> = { all: "", payments: "", storefront: "", clusterB: "", ingest: "" };
const ids = { payments: "", storefront: "", paymentsImage: "", storefrontImage: "" };

async function call(handler: Handler, url: string, token = tokens.all, init: RequestInit & { params?: Record<string, string> } = {}) {
  const { params, ...rest } = init;
  const request = new Request(`http://localhost${url}`, { ...rest, headers: { authorization: `Bearer ${token}`, ...(rest.headers ?? {}) } });
  const response = await handler(request, params ? { params: Promise.resolve(params) } : undefined);
  const body = (await expectDocumented(rest.method ?? "GET", url, response)) as Record<string, unknown> & { items?: Record<string, unknown>[]; nextCursor?: string | null; error?: { message: string } };
  return { status: response.status, body };
}
const names = (items: Record<string, unknown>[] | undefined) => (items ?? []).map((i) => i.repository ?? i.name).sort();

beforeAll(async () => {
  await resetDatabase();
  ids.payments = (await createTeam(CLI_ACTOR, { name: "Payments" })).id;
  ids.storefront = (await createTeam(CLI_ACTOR, { name: "Storefront" })).id;
  await ingestReport({ body: fixtureText("trivy/trivy_fluentd-gems.json"), context: { format: "auto", team: "Payments", image: "registry.acme.dev/payments/api:1", cluster: "prod-a", namespace: "payments", workload: "deployment/api" } });
  await ingestReport({ body: fixtureText("trivy/trivy_debian-buster.json"), context: { format: "auto", team: "Storefront", image: "registry.acme.dev/storefront/web:2", cluster: "prod-b", namespace: "web", workload: "deployment/web" } });
  ids.paymentsImage = (await db.image.findFirstOrThrow({ where: { teamId: ids.payments } })).id;
  ids.storefrontImage = (await db.image.findFirstOrThrow({ where: { teamId: ids.storefront } })).id;
  const clusterB = await db.cluster.findUniqueOrThrow({ where: { name: "prod-b" } });
  tokens.all = (await createApiToken({ name: "bi", scopes: ["read"] })).token;
  tokens.payments = (await createApiToken({ name: "payments", scopes: ["read"], teamId: ids.payments })).token;
  tokens.storefront = (await createApiToken({ name: "storefront", scopes: ["read"], teamId: ids.storefront })).token;
  tokens.clusterB = (await createApiToken({ name: "prod-b", scopes: ["read"], clusterId: clusterB.id })).token;
  tokens.ingest = (await createApiToken({ name: "ci", scopes: ["ingest"] })).token;
});

describe("read API: scoping by token", () => {
  it("lists images as each token may see them", async () => {
    expect(names((await call(images, "/api/v1/images")).body.items)).toEqual(["registry.acme.dev/payments/api", "registry.acme.dev/storefront/web"]);
    expect(names((await call(images, "/api/v1/images", tokens.payments)).body.items)).toEqual(["registry.acme.dev/payments/api"]);
    expect(names((await call(images, "/api/v1/images", tokens.clusterB)).body.items)).toEqual(["registry.acme.dev/storefront/web"]);
    expect((await call(images, `/api/v1/images?cluster=${ids.payments}`, tokens.clusterB)).status).toBe(403);
  });

  it("answers one image or finding to a token that may see it, 404 to any other", async () => {
    const own = await call(image, `/api/v1/images/${ids.paymentsImage}`, tokens.payments, { params: { id: ids.paymentsImage } });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ repository: "registry.acme.dev/payments/api", team: { name: "Payments" }, runsIn: [{ cluster: { name: "prod-a" }, namespace: "payments" }] });
    expect((own.body.posture as { open: { critical: number } }).open.critical).toBe(await db.finding.count({ where: { imageId: ids.paymentsImage, severity: "critical", status: "open" } }));
    for (const token of [tokens.storefront, tokens.clusterB]) {
      const hidden = await call(image, `/api/v1/images/${ids.paymentsImage}`, token, { params: { id: ids.paymentsImage } });
      expect(hidden.status).toBe(404);
    }
    expect((await call(image, "/api/v1/images/..%2F..", tokens.all, { params: { id: "../.." } })).status).toBe(404);
    const one = await db.finding.findFirstOrThrow({ where: { imageId: ids.paymentsImage } });
    expect((await call(finding, `/api/v1/findings/${one.id}`, tokens.payments, { params: { id: one.id } })).body).toMatchObject({ id: one.id, image: { id: ids.paymentsImage } });
    expect((await call(finding, `/api/v1/findings/${one.id}`, tokens.storefront, { params: { id: one.id } })).status).toBe(404);
    expect((await call(finding, `/api/v1/findings/${one.id}`, tokens.clusterB, { params: { id: one.id } })).status).toBe(404);
  });

  it("lists clusters and teams within the binding; a cluster-bound token may not list teams", async () => {
    expect(names((await call(clusters, "/api/v1/clusters")).body.items)).toEqual(["prod-a", "prod-b"]);
    expect(names((await call(clusters, "/api/v1/clusters", tokens.clusterB)).body.items)).toEqual(["prod-b"]);
    expect(names((await call(teams, "/api/v1/teams", tokens.payments)).body.items)).toEqual(["Payments"]);
    expect(names((await call(teams, "/api/v1/teams")).body.items)).toEqual(["Payments", "Storefront"]);
    const refused = await call(teams, "/api/v1/teams", tokens.clusterB);
    expect(refused.status).toBe(403);
    expect(refused.body.error!.message).toMatch(/bound to a cluster/);
  });

  it("refuses tokens without the read scope", async () => {
    expect((await call(findings, "/api/v1/findings", tokens.ingest)).status).toBe(403);
    expect((await call(findings, "/api/v1/findings", "pc_nope")).status).toBe(401);
  });
});

describe("read API: findings pages", () => {
  it("visits every open finding exactly once by following nextCursor, in each sort", async () => {
    const open = await db.finding.findMany({ where: { status: { in: ["open", "in_progress"] } }, select: { id: true } });
    expect(open.length).toBeGreaterThan(3);
    for (const sort of ["severity", "first_seen", "due"]) {
      const seen: string[] = [];
      let cursor: string | null | undefined;
      do {
        const page = await call(findings, `/api/v1/findings?limit=2&sort=${sort}${cursor ? `&cursor=${cursor}` : ""}`);
        expect(page.status).toBe(200);
        seen.push(...page.body.items!.map((i) => String(i.id)));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen.sort(), sort).toEqual(open.map((f) => f.id).sort());
    }
  });

  it("takes the explorer's filters, scoped to the token", async () => {
    const critical = await call(findings, "/api/v1/findings?severity=critical&kind=vulnerability", tokens.payments);
    expect(critical.body.items!.map((i) => i.id).sort()).toEqual((await db.finding.findMany({ where: { severity: "critical", teamId: ids.payments } })).map((f) => f.id).sort());
    const inCluster = await call(findings, "/api/v1/findings", tokens.clusterB);
    expect(new Set(inCluster.body.items!.map((i) => i.imageId))).toEqual(new Set([ids.storefrontImage]));
  });

  it("answers 400 with the reason for a filter, cursor or limit that does not parse", async () => {
    const cases: [string, RegExp][] = [
      ["severity=urgent", /severity|Invalid/i],
      ["sort=newest", /sort is severity, first_seen or due/],
      ["limit=0", /limit is at least 1/],
      ["limit=5000", /limit is at most 500/],
      ["cursor=garbage", /cursor is not one this API gave out/],
      ["colour=red", /colour/],
      ["assignee=me", /assignee=me is for people signed in/],
    ];
    for (const [query, message] of cases) {
      const answer = await call(findings, `/api/v1/findings?${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.body.error!.message, query).toMatch(message);
    }
    const imagesAnswer = await call(images, "/api/v1/images?cursor=abc");
    expect(imagesAnswer.status).toBe(400);
  });
});

describe("OpenAPI", () => {
  it("describes every route under app/api/v1 with each method it exports", async () => {
    const response = await openapi(new Request("http://localhost/api/v1/openapi.json"));
    const document = (await response.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(document.openapi).toBe("3.1.0");
    const root = path.resolve(import.meta.dirname, "../../app/api/v1");
    const routes: { path: string; methods: string[] }[] = [];
    const walk = (dir: string, segments: string[]) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(path.join(dir, entry.name), [...segments, entry.name.replace(/^\[(.+)\]$/, "{$1}")]);
        else if (entry.name === "route.ts") {
          const methods = [...readFileSync(path.join(dir, entry.name), "utf8").matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1].toLowerCase());
          routes.push({ path: `/api/v1/${segments.join("/")}`, methods });
        }
      }
    };
    walk(root, []);
    expect(routes.length).toBeGreaterThanOrEqual(11);
    for (const route of routes) {
      expect(document.paths[route.path], route.path).toBeTruthy();
      for (const method of route.methods) expect(document.paths[route.path][method], `${method} ${route.path}`).toBeTruthy();
    }
  });

  it("validates what the ingest, gate and VEX routes answer", async () => {
    const ingestToken = (await createApiToken({ name: "ingest-all", scopes: ["ingest", "read"] })).token;
    const body = fixtureText("trivy/trivy_alpine-310.json");
    const post = (url: string, data: string, handler: Handler = scans) => call(handler, url, ingestToken, { method: "POST", body: data, headers: { "content-type": "application/json" } });
    expect((await post("/api/v1/scans?image=registry.acme.dev/x/base:1", body)).status).toBe(201);
    expect((await post("/api/v1/scans?image=registry.acme.dev/x/base:1", body)).body.duplicate).toBe(true);
    expect((await post("/api/v1/scans?format=grype", body)).status).toBe(400);
    expect((await post("/api/v1/runtime-events?cluster=prod-a", fixtureText("falco/falco-website_misc-alerts.jsonl"), runtimeEvents)).status).toBe(202);
    expect((await call(gate, "/api/v1/gate?image=registry.acme.dev/x/base:1", ingestToken)).body.decision).toBeDefined();
    expect((await call(gate, "/api/v1/gate?image=registry.acme.dev/x/base:1&format=junit", ingestToken)).status).toBe(200);
    // No digest: a VEX document could not be matched to the image (409); the .trivyignore is plain text.
    expect((await call(vex, "/api/v1/vex?image=registry.acme.dev/x/base:1", ingestToken)).status).toBe(409);
    expect((await call(vex, "/api/v1/vex?image=registry.acme.dev/x/base:1&format=trivyignore", ingestToken)).status).toBe(200);
  });
});

describe("read API: images pages", () => {
  const more = [
    ["trivy/trivy_alpine-310.json", "registry.acme.dev/payments/alpine:3.10"],
    ["trivy/trivy_ubuntu-1804.json", "registry.acme.dev/storefront/ubuntu:18.04"],
    ["trivy/trivy_centos-7.json", "registry.acme.dev/data/centos:7"],
    ["trivy/trivy_distroless-base.json", "registry.acme.dev/data/base:1"],
    ["trivy/trivy_spring4shell-jre11.json", "registry.acme.dev/data/spring:1"],
  ];
  beforeAll(async () => {
    for (const [file, ref] of more) await ingestReport({ body: fixtureText(file), context: { format: "auto", image: ref } });
  });

  const pageThrough = async (sort: string, between?: (page: number) => Promise<void>) => {
    const seen: string[] = [];
    let cursor: string | null | undefined;
    let pages = 0;
    do {
      const page = await call(images, `/api/v1/images?limit=2&sort=${sort}${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.status, sort).toBe(200);
      seen.push(...page.body.items!.map((i) => String(i.id)));
      cursor = page.body.nextCursor;
      await between?.(++pages);
    } while (cursor);
    return seen;
  };

  it("visits every image exactly once by following nextCursor, in each sort, in the sort's order", async () => {
    const all = (await db.image.findMany({ where: { retiredAt: null }, select: { id: true } })).map((i) => i.id).sort();
    expect(all.length).toBeGreaterThan(6);
    for (const sort of ["score", "critical", "age", "scanned", "name"]) {
      const seen = await pageThrough(sort);
      expect([...seen].sort(), sort).toEqual(all);
      const whole = await call(images, `/api/v1/images?limit=200&sort=${sort}`);
      expect(seen, sort).toEqual(whole.body.items!.map((i) => String(i.id)));
    }
  });

  it("neither repeats nor skips an image when others arrive ahead of the page a client is on", async () => {
    const before = (await db.image.findMany({ where: { retiredAt: null }, select: { id: true } })).map((i) => i.id);
    let arrivals = 0;
    // After each page, a new image that sorts first (by name; by score: the worst) arrives.
    const arrive = async () => {
      arrivals += 1;
      await ingestReport({ body: fixtureText("trivy/trivy_fluentd-gems.json"), context: { format: "auto", image: `registry.aaa.dev/first/n${arrivals}:1` } });
    };
    for (const sort of ["name", "score"]) {
      const seen = await pageThrough(sort, arrive);
      expect(new Set(seen).size, sort).toBe(seen.length);
      for (const id of before) expect(seen, sort).toContain(id);
    }
  });

  it("refuses a cursor given out for another sort", async () => {
    const first = await call(images, "/api/v1/images?limit=1&sort=name");
    const other = await call(images, `/api/v1/images?limit=1&sort=score&cursor=${first.body.nextCursor}`);
    expect(other.status).toBe(400);
    expect(other.body.error!.message).toMatch(/cursor is not one this API gave out for this sort/);
    // A made-up cursor of the right shape but wrong values is refused the same way, never a 500.
    for (const forged of [{ s: "scanned", v: ["not a date"], id: "x" }, { s: "score", v: ["1", 0, 0, null], id: "x" }, { s: "name", v: [3], id: "x" }]) {
      const answer = await call(images, `/api/v1/images?sort=${forged.s}&cursor=${Buffer.from(JSON.stringify(forged)).toString("base64url")}`);
      expect(answer.status, JSON.stringify(forged)).toBe(400);
    }
  });
});
