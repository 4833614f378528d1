// The authorization matrix: every page and API route of the app, for every role and every kind
// of API credential, against the running production build. A route found under app/ without an
// entry here fails the first test, so nothing new ships unguarded.
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext, type Browser } from "@playwright/test";
import { admin, unique } from "./support/admin-cli";
import { sql } from "./support/db";
import { discoverRoutes } from "./support/routes";
import { signIn } from "./support/session";

const ROLES = ["admin", "security_lead", "engineer", "manager"] as const;
type Role = (typeof ROLES)[number];
type Viewer = Role | "anonymous";
/** 200, 404 (hidden, the same as missing), or a redirect to the sign-in page or home. */
type Outcome = 200 | 404 | "to-login" | "to-home" | "to-own-queue";
type PageRule = Record<Viewer, Outcome>;

const EVERYONE: PageRule = { anonymous: "to-login", admin: 200, security_lead: 200, engineer: 200, manager: 200 };
const LEADS: PageRule = { anonymous: "to-login", admin: 200, security_lead: 200, engineer: 404, manager: 404 };
const ADMINS: PageRule = { anonymous: "to-login", admin: 200, security_lead: 404, engineer: 404, manager: 404 };
/** Pages of one team's object: [object of the engineer's and manager's team, object of another team]. */
type ScopedRule = { own: PageRule; other: PageRule };
const SCOPED: ScopedRule = { own: EVERYONE, other: LEADS };

const PAGES: Record<string, PageRule | ScopedRule> = {
  "/": EVERYONE,
  "/login": { anonymous: 200, admin: "to-home", security_lead: "to-home", engineer: "to-home", manager: "to-home" },
  "/images": EVERYONE,
  "/images/[id]": SCOPED,
  "/clusters": EVERYONE,
  "/clusters/[id]": SCOPED,
  "/teams": EVERYONE,
  "/teams/[id]": SCOPED,
  // An engineer's queue opens on their own assignments.
  "/findings": { ...EVERYONE, engineer: "to-own-queue" },
  "/findings/[id]": SCOPED,
  "/packages": EVERYONE,
  "/repositories": EVERYONE,
  "/help/score": EVERYONE,
  "/fixes": EVERYONE,
  "/exceptions": EVERYONE,
  "/reports": EVERYONE,
  "/admin": LEADS,
  "/admin/audit": LEADS,
  "/admin/tokens": LEADS,
  "/admin/policy": LEADS,
  "/admin/webhooks": LEADS,
  "/admin/users": ADMINS,
  "/admin/teams": ADMINS,
};

// read-team-a / read-team-b: read tokens bound to the team whose objects the paths name, and to
// another team; read-cluster-b: a read token bound to the other team's cluster.
const CREDENTIALS = ["none", "ingest", "read", "ingest,read", "revoked", "expired", "session", "read-team-a", "read-team-b", "read-cluster-b"] as const;
type Credential = (typeof CREDENTIALS)[number];
type ApiRule = { method: "GET" | "POST"; path: (ids: Ids) => string; body?: string; expect: Record<Credential, number | "2xx"> };

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "../fixtures", name), "utf8");
const BOUND_READERS = { "read-team-a": 403, "read-team-b": 403, "read-cluster-b": 403 } as const;
const INGEST = { none: 401, ingest: "2xx", read: 403, "ingest,read": "2xx", revoked: 401, expired: 401, session: 401, ...BOUND_READERS } as const;
const PUBLIC = { none: 200, ingest: 200, read: 200, "ingest,read": 200, revoked: 200, expired: 200, session: 200, "read-team-a": 200, "read-team-b": 200, "read-cluster-b": 200 } as const;
/** The UI's own data routes: a signed-in person's session cookie, never an API token. */
const SESSION_ONLY = { none: 401, ingest: 401, read: 401, "ingest,read": 401, revoked: 401, expired: 401, session: 200, "read-team-a": 401, "read-team-b": 401, "read-cluster-b": 401 } as const;
/** The read API on lists (and the gate, which always answers): a token with the read scope, bound or not. */
const READ = { none: 401, ingest: 403, read: "2xx", "ingest,read": "2xx", revoked: 401, expired: 401, session: 401, "read-team-a": "2xx", "read-team-b": "2xx", "read-cluster-b": "2xx" } as const;
/** The read API on one of team A's objects: another team's or cluster's token is told it does not exist. */
const READ_OWN = { ...READ, "read-team-b": 404, "read-cluster-b": 404 } as const;
const NOT_EXPOSED = { none: 404, ingest: 404, read: 404, "ingest,read": 404, revoked: 404, expired: 404, session: 404, "read-team-a": 404, "read-team-b": 404, "read-cluster-b": 404 } as const;

const APIS: Record<string, ApiRule[]> = {
  "/api/v1/scans": [{ method: "POST", path: (ids) => `/api/v1/scans?team=${ids.teamA}`, body: fixture("trivy/trivy_alpine-310.json"), expect: INGEST }],
  "/api/v1/runtime-events": [{ method: "POST", path: () => "/api/v1/runtime-events?cluster=matrix", body: fixture("falco/falco-website_misc-alerts.jsonl"), expect: INGEST }],
  "/api/health": [{ method: "GET", path: () => "/api/health", expect: PUBLIC }],
  "/api/v1/vex": [{ method: "GET", path: (ids) => `/api/v1/vex?image=${encodeURIComponent(imageOf(ids.teamA))}&format=trivyignore`, expect: READ_OWN }],
  "/api/v1/gate": [{ method: "GET", path: (ids) => `/api/v1/gate?image=${encodeURIComponent(imageOf(ids.teamA))}`, expect: READ }],
  "/api/v1/images": [{ method: "GET", path: () => "/api/v1/images?limit=5", expect: READ }],
  "/api/v1/images/[id]": [{ method: "GET", path: (ids) => `/api/v1/images/${ids.own["/images/[id]"]}`, expect: READ_OWN }],
  "/api/v1/findings": [{ method: "GET", path: () => "/api/v1/findings?severity=critical,high", expect: READ }],
  "/api/v1/findings/[id]": [{ method: "GET", path: (ids) => `/api/v1/findings/${ids.own["/findings/[id]"]}`, expect: READ_OWN }],
  "/api/v1/clusters": [{ method: "GET", path: () => "/api/v1/clusters", expect: READ }],
  "/api/v1/teams": [{ method: "GET", path: () => "/api/v1/teams", expect: { ...READ, "read-cluster-b": 403 } }],
  "/api/v1/openapi.json": [{ method: "GET", path: () => "/api/v1/openapi.json", expect: PUBLIC }],
  "/api/docs": [{ method: "GET", path: () => "/api/docs", expect: PUBLIC }],
  "/api/docs/[asset]": [{ method: "GET", path: () => "/api/docs/swagger-ui.css", expect: PUBLIC }],
  "/api/ui/findings": [
    { method: "GET", path: () => "/api/ui/findings?severity=high", expect: SESSION_ONLY },
    { method: "GET", path: () => "/api/ui/findings?group=vulnerability", expect: SESSION_ONLY },
  ],
  "/api/ui/findings/facets": [{ method: "GET", path: () => "/api/ui/findings/facets", expect: SESSION_ONLY }],
  "/api/ui/findings/export": [{ method: "GET", path: () => "/api/ui/findings/export?kind=vulnerability", expect: SESSION_ONLY }],
  "/api/ui/reports/export": [{ method: "GET", path: () => "/api/ui/reports/export?table=summary&period=30", expect: SESSION_ONLY }],
  // better-auth is mounted only for the SSO callback; its other endpoints do not exist here.
  "/api/auth/[...all]": [
    { method: "GET", path: () => "/api/auth/get-session", expect: NOT_EXPOSED },
    { method: "POST", path: () => "/api/auth/sign-up/email", body: JSON.stringify({ email: "x@example.com", password: "a sturdy passphrase", name: "x" }), expect: NOT_EXPOSED },
  ],
};

interface Ids {
  teamA: string;
  own: Record<string, string>;
  other: Record<string, string>;
}

const imageOf = (team: string) => `registry.example.com/${team.toLowerCase()}/api:1.0`;

const sessions = new Map<Viewer, APIRequestContext>();
const tokens = new Map<Credential, string>();
let ids: Ids;

async function signedInRequest(browser: Browser, role: Role, teamA: string): Promise<APIRequestContext> {
  const email = `${unique(`matrix-${role}`)}@example.com`;
  admin("create-user", "--email", email, "--password", "matrix-password-1", "--role", role, ...(role === "engineer" || role === "manager" ? ["--team", teamA] : []));
  const context = await browser.newContext();
  await signIn(await context.newPage(), email, "matrix-password-1");
  return context.request;
}

async function objectsOf(team: string): Promise<Record<string, string>> {
  const [row] = await sql<{ image: string; finding: string; cluster: string; team: string }>(
    `SELECT i.id AS image, f.id AS finding, n."clusterId" AS cluster, t.id AS team
       FROM "Team" t JOIN "Image" i ON i."teamId" = t.id JOIN "Finding" f ON f."imageId" = i.id
       JOIN "Namespace" n ON n."teamId" = t.id WHERE t.name = $1 LIMIT 1`,
    [team],
  );
  return { "/images/[id]": row.image, "/findings/[id]": row.finding, "/clusters/[id]": row.cluster, "/teams/[id]": row.team };
}

test.beforeAll(async ({ browser, playwright }) => {
  const [teamA, teamB] = [unique("TeamA"), unique("TeamB")];
  for (const team of [teamA, teamB]) {
    admin("create-team", "--name", team);
    const token = admin("create-token", "--name", unique("seed"), "--scope", "ingest", "--team", team);
    const api = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
    const image = imageOf(team);
    const posted = await api.post(`/api/v1/scans?image=${encodeURIComponent(image)}&cluster=${team.toLowerCase()}-prod&namespace=${team.toLowerCase()}&workload=deployment/api`, {
      headers: { authorization: `Bearer ${token}` },
      data: fixture("trivy/trivy_fluentd-gems.json"),
    });
    expect(posted.status()).toBe(201);
    await sql(`UPDATE "Namespace" SET "teamId" = (SELECT id FROM "Team" WHERE name = $1) WHERE name = $2`, [team, team.toLowerCase()]);
    await api.dispose();
  }
  ids = { teamA, own: await objectsOf(teamA), other: await objectsOf(teamB) };
  sessions.set("anonymous", (await browser.newContext()).request);
  for (const role of ROLES) sessions.set(role, await signedInRequest(browser, role, teamA));
  for (const scope of ["ingest", "read", "ingest,read"] as const) tokens.set(scope, admin("create-token", "--name", unique(scope), "--scope", scope));
  tokens.set("read-team-a", admin("create-token", "--name", unique("read-a"), "--scope", "read", "--team", teamA));
  tokens.set("read-team-b", admin("create-token", "--name", unique("read-b"), "--scope", "read", "--team", teamB));
  tokens.set("read-cluster-b", admin("create-token", "--name", unique("read-cb"), "--scope", "read", "--cluster", `${teamB.toLowerCase()}-prod`));
  tokens.set("revoked", admin("create-token", "--name", unique("revoked"), "--scope", "ingest"));
  await sql(`UPDATE "ApiToken" SET "revokedAt" = now() WHERE name LIKE 'revoked-%'`);
  tokens.set("expired", admin("create-token", "--name", unique("expired"), "--scope", "ingest", "--expires-days", "1"));
  await sql(`UPDATE "ApiToken" SET "expiresAt" = now() - interval '1 second' WHERE name LIKE 'expired-%'`);
});

test("every page and API route under app/ has an entry in this matrix", () => {
  const found = discoverRoutes();
  expect(found.pages).toEqual(Object.keys(PAGES).sort());
  expect(found.apis).toEqual(Object.keys(APIS).sort());
});

function outcomeOf(status: number, location: string | undefined): Outcome | number {
  if (status >= 300 && status < 400 && location) {
    const to = new URL(location, "http://x");
    if (to.pathname === "/findings" && to.searchParams.get("assignee") === "me") return "to-own-queue";
    return to.pathname === "/login" ? "to-login" : "to-home";
  }
  return status;
}

for (const [route, rule] of Object.entries(PAGES)) {
  test(`page ${route}`, async () => {
    const cases = "own" in rule ? (["own", "other"] as const).map((which) => ({ which, expected: rule[which] })) : [{ which: null, expected: rule }];
    for (const { which, expected } of cases) {
      const url = which ? route.replace("[id]", ids[which][route]) : route;
      for (const [viewer, outcome] of Object.entries(expected) as [Viewer, Outcome][]) {
        const response = await sessions.get(viewer)!.get(url, { maxRedirects: 0 });
        const got = outcomeOf(response.status(), response.headers().location);
        expect(got, `${viewer} on ${url}${which ? ` (${which} team)` : ""}`).toBe(outcome);
      }
    }
  });
}

for (const [route, rules] of Object.entries(APIS)) {
  test(`API ${route}`, async ({ baseURL }) => {
    for (const rule of rules) {
      for (const credential of CREDENTIALS) {
        const request = sessions.get(credential === "session" ? "admin" : "anonymous")!;
        const token = tokens.get(credential);
        const headers: Record<string, string> = { origin: baseURL!, "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) };
        const response = await request.fetch(rule.path(ids), { method: rule.method, headers, data: rule.body, maxRedirects: 0 });
        const expected = rule.expect[credential];
        const label = `${credential} ${rule.method} ${rule.path(ids)}`;
        if (expected === "2xx") expect(response.status(), label).toBeGreaterThanOrEqual(200);
        if (expected === "2xx") expect(response.status(), label).toBeLessThan(300);
        else expect(response.status(), label).toBe(expected);
      }
    }
  });
}
