// npm run bench:soak — mixed load against a production build on a real PostgreSQL for a while
// (SOAK_SECONDS, default 600): scanner reports, runtime alerts, and page views by a person of each
// role. Per 30 s window it prints requests, 5xx, p50/p95 per kind and the server's memory; at the
// end the 5xx count (must be 0) and the memory at the end against the start (must stay within 10%).
// Exits non-zero when either fails.
//
// Database: BENCH_DATABASE_URL or TEST_DATABASE_URL (a fresh database is created and dropped),
// default postgresql://postgres@127.0.0.1:5432/postgres. SOAK_WORKERS (default 8) requests in flight.
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { generateTrivyReport } from "./report-generator";
import { printTable, quantile, rssKiB, waitForHealth } from "./support";
import { buildIfNeeded, startNextServer } from "../lib/startup/build";
import { createTestDatabase } from "../tests/support/test-database";

const root = path.resolve(import.meta.dirname, "..");
const fixturesDir = path.join(root, "fixtures");
const server = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const seconds = Number(process.env.SOAK_SECONDS ?? 600);
const workers = Number(process.env.SOAK_WORKERS ?? 8);
const WINDOW_MS = 30_000;
const port = 3312;
const base = `http://127.0.0.1:${port}`;
const PASSWORD = "soak-password-12";
const KINDS = ["page", "ingest", "events"] as const;
type Kind = (typeof KINDS)[number];

interface Sample {
  kind: Kind;
  ms: number;
  status: number;
}

async function main(): Promise<void> {
  const database = await createTestDatabase("soak", 54334, server);
  const secret = randomBytes(32).toString("hex");
  process.env.DATABASE_URL = database.url;
  process.env.BETTER_AUTH_SECRET = secret;
  let app: ChildProcess | undefined;
  try {
    if (buildIfNeeded(root)) console.log("built the app (next build)");
    app = startNextServer(root, { port, host: "127.0.0.1", quiet: true, env: { ...process.env, INGEST_REQUESTS_PER_MIN: "1000000", SIGN_IN_ATTEMPTS_PER_IP_PER_MIN: "1000" } });
    await waitForHealth(base);
    const { cookies, token } = await setUp();
    console.log(`\nPortcullis soak · ${new Date().toISOString()} · node ${process.version} · ${seconds} s · ${workers} requests in flight\n`);

    const windows: Sample[][] = [];
    const memory: number[] = [];
    let current: Sample[] = [];
    const deadline = Date.now() + seconds * 1000;
    const ticker = setInterval(() => {
      windows.push(current);
      current = [];
      memory.push(rssKiB(app!.pid!) / 1024);
      report(windows.length, windows.at(-1)!, memory.at(-1)!);
    }, WINDOW_MS);
    let images = 0;
    const worker = async (id: number) => {
      for (let i = 0; Date.now() < deadline; i++) {
        const pick = (id * 7 + i) % 10;
        const kind: Kind = pick < 4 ? "page" : pick < 7 ? "events" : "ingest";
        const started = performance.now();
        const status = await request(kind, { cookies, token, image: images++ }).catch(() => 0);
        current.push({ kind, ms: performance.now() - started, status });
      }
    };
    console.log(["window", "requests", "5xx", ...KINDS.flatMap((k) => [`${k} p50`, `${k} p95`]), "server RSS"].join("  "));
    await Promise.all(Array.from({ length: workers }, (_, id) => worker(id)));
    clearInterval(ticker);
    if (current.length) {
      windows.push(current);
      memory.push(rssKiB(app.pid!) / 1024);
    }
    summarise(windows, memory);
  } finally {
    app?.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 1000));
    await database.drop().catch(() => undefined);
  }
}

/** A team, a person of each role, sessions for them, an ingest token, and a few images to look at. */
async function setUp(): Promise<{ cookies: string[]; token: string }> {
  const { createTeam } = await import("../lib/admin/teams");
  const { createUser } = await import("../lib/admin/users");
  const { CLI_ACTOR } = await import("../lib/authz/actor");
  const { createApiToken } = await import("../lib/tokens/api-tokens");
  const { auth } = await import("../lib/auth/auth");
  const { disconnectDb } = await import("../lib/db");
  await createTeam(CLI_ACTOR, { name: "Soak" });
  const cookies: string[] = [];
  for (const role of ["admin", "security_lead", "engineer", "manager"] as const) {
    const email = `${role}@soak.test`;
    await createUser(CLI_ACTOR, { email, password: PASSWORD, role, teams: ["Soak"] });
    const response = await auth().api.signInEmail({ body: { email, password: PASSWORD }, asResponse: true });
    cookies.push(response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; "));
  }
  const { token } = await createApiToken({ name: "soak", scopes: ["ingest"] });
  await disconnectDb();
  return { cookies, token };
}

// The audit log exists only for admins and security leads (the first two sessions); for the others it is a 404.
const PAGES = ["/", "/images", "/images?q=soak", "/admin/audit"];

async function request(kind: Kind, ctx: { cookies: string[]; token: string; image: number }): Promise<number> {
  if (kind === "page") {
    const who = ctx.image % ctx.cookies.length;
    const page = PAGES[Math.floor(ctx.image / ctx.cookies.length) % PAGES.length];
    const response = await fetch(`${base}${page}`, { headers: { cookie: ctx.cookies[who] }, redirect: "manual" });
    await response.arrayBuffer();
    const expected = page === "/admin/audit" && who >= 2 ? 404 : 200;
    return response.status === expected ? 200 : response.status;
  }
  const headers = { authorization: `Bearer ${ctx.token}` };
  if (kind === "events") {
    const events = Array.from({ length: 1 + (ctx.image % 5) }, (_, i) => JSON.stringify({ rule: `Soak rule ${i}`, priority: "Warning", time: new Date().toISOString(), output: `soak ${ctx.image}`, output_fields: { "k8s.ns.name": "soak", "k8s.pod.name": `web-${ctx.image % 20}` } }));
    const response = await fetch(`${base}/api/v1/runtime-events?cluster=soak`, { method: "POST", body: events.join("\n"), headers });
    await response.arrayBuffer();
    return response.status;
  }
  // Rescans of 40 images (10% of the findings change each time) and a new image now and then.
  const image = ctx.image % 10 === 0 ? `registry.example.com/soak/new-${ctx.image}:1` : `registry.example.com/soak/app-${ctx.image % 40}:1`;
  const body = generateTrivyReport(fixturesDir, image, 200 + (ctx.image % 5) * 100, ctx.image % 3).body;
  const response = await fetch(`${base}/api/v1/scans?team=Soak`, { method: "POST", body, headers });
  await response.arrayBuffer();
  return response.status;
}

function report(index: number, samples: Sample[], rssMiB: number): void {
  const cells = KINDS.flatMap((k) => {
    const ms = samples.filter((s) => s.kind === k).map((s) => s.ms);
    return [quantile(ms, 0.5), quantile(ms, 0.95)].map((v) => (Number.isNaN(v) ? "-" : `${v.toFixed(0)} ms`));
  });
  console.log([`${index}`, `${samples.length}`, `${samples.filter((s) => s.status >= 500 || s.status === 0).length}`, ...cells, `${rssMiB.toFixed(0)} MiB`].join("  "));
}

function summarise(windows: Sample[][], memory: number[]): void {
  const all = windows.flat();
  const errors = all.filter((s) => s.status >= 500 || s.status === 0);
  const unexpected = all.filter((s) => s.status < 500 && s.status !== 0 && ![200, 201, 202].includes(s.status));
  const p95s = windows.map((w) => quantile(w.map((s) => s.ms), 0.95)).filter((v) => !Number.isNaN(v));
  // Memory after the first window (warm) against the last window.
  const start = memory[Math.min(1, memory.length - 1)];
  const end = memory.at(-1)!;
  const growth = end / start;
  console.log("");
  printTable([
    ["requests", "5xx or no answer", "other non-2xx", "p95 min", "p95 median", "p95 max", "memory start", "memory end", "end / start"],
    [
      `${all.length}`,
      `${errors.length}`,
      `${unexpected.length}`,
      `${Math.min(...p95s).toFixed(0)} ms`,
      `${quantile(p95s, 0.5).toFixed(0)} ms`,
      `${Math.max(...p95s).toFixed(0)} ms`,
      `${start.toFixed(0)} MiB`,
      `${end.toFixed(0)} MiB`,
      growth.toFixed(2),
    ],
  ]);
  if (unexpected.length) console.log(`unexpected answers: ${[...new Set(unexpected.map((s) => `${s.kind} ${s.status}`))].join(", ")}`);
  const failed = errors.length > 0 || unexpected.length > 0 || growth > 1.1;
  console.log(failed ? "\nsoak FAILED: 5xx, unexpected answers or memory growth over 10%" : "\nsoak passed: no 5xx, memory flat within 10%");
  if (failed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`soak failed: ${(error as Error).message}`);
  process.exitCode = 1;
});
