// npm run bench:compare — this checkout's ingest against another's, interleaved on one machine.
// The machines here are shared and their speed drifts from minute to minute (the same floor
// measured 856 and 1,170 ms in two runs an hour apart), so two bench:ingest runs cannot tell a
// 10% change. This serves both builds at once, each on its own fresh database, and sends them the
// same reports in turn (the order swapped every round), so both meet the same noise.
//
// BENCH_BASELINE: the other checkout (e.g. `git worktree add /tmp/base <commit>`, with its own
// node_modules and lib/generated); built first when needed. BENCH_SIZE (20000), BENCH_ROUNDS (5).
import { spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { generateTrivyReport } from "./report-generator";
import { printTable, quantile, spread, waitForHealth } from "./support";
import { buildIfNeeded, startNextServer } from "../lib/startup/build";
import { createTestDatabase, type TestDatabase } from "../tests/support/test-database";

const root = path.resolve(import.meta.dirname, "..");
const baseline = process.env.BENCH_BASELINE;
const size = Number(process.env.BENCH_SIZE ?? 20_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const server = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/** What is timed for each new image, in this order: step name → expected status. */
const MEASURES = [
  ["first ingest", 201],
  ["repeat (duplicate)", 200],
  ["rescan, nothing changed", 201],
  ["rescan, 10% changed", 201],
] as const;

interface Side {
  label: string;
  root: string;
  base: string;
  token: string;
  database: TestDatabase;
  app: ChildProcess;
  /** Wall time of each measure, and the server's own time of each of its steps (Server-Timing). */
  times: Record<string, number[]>;
}

async function startSide(label: string, checkout: string, port: number): Promise<Side> {
  if (buildIfNeeded(checkout)) console.log(`built ${checkout}`);
  const database = await createTestDatabase(`compare_${port}`, port + 50_000, server);
  const env = { ...process.env, DATABASE_URL: database.url, BETTER_AUTH_SECRET: randomBytes(32).toString("hex"), INGEST_BODY_LIMIT_MB: "500", INGEST_REQUESTS_PER_MIN: "100000" };
  const app = startNextServer(checkout, { port, host: "127.0.0.1", env, quiet: true });
  const base = `http://127.0.0.1:${port}`;
  await waitForHealth(base);
  // This checkout's CLI makes the token in either database (the schema is the same).
  const cli = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "scripts", "admin.ts"), "create-token", "--name", "compare", "--scope", "ingest"], {
    cwd: root,
    env,
    encoding: "utf8",
  });
  if (cli.status !== 0) throw new Error(`create-token failed: ${cli.stderr}`);
  const token = cli.stdout.trim().split("\n").pop()!;
  return { label, root: checkout, base, token, database, app, times: {} };
}

async function post(side: Side, name: string, body: string, expected: number): Promise<void> {
  const started = performance.now();
  const response = await fetch(`${side.base}/api/v1/scans`, { method: "POST", body, headers: { authorization: `Bearer ${side.token}`, "content-type": "application/json" } });
  const answer = await response.json();
  const elapsed = performance.now() - started;
  if (response.status !== expected) throw new Error(`${side.label}: expected ${expected}, got ${response.status}: ${JSON.stringify(answer)}`);
  if (answer.findings.total !== size) throw new Error(`${side.label}: expected ${size} findings, got ${answer.findings.total}`);
  record(side, name, elapsed);
  // The server's steps are measured in the server: the client's own work and waits are not in them.
  for (const [, step, ms] of (response.headers.get("server-timing") ?? "").matchAll(/([\w-]+);dur=([\d.]+)/g)) {
    if (STEPS.includes(step)) record(side, `${name}: ${step}`, Number(ms));
  }
}

/** The steps printed under each measure: those an ingest's time goes to. */
const STEPS = ["read", "parse", "catalogue", "merge"];

function record(side: Side, key: string, ms: number): void {
  (side.times[key] ??= []).push(ms);
}

/** One new image: its first report, the same bytes again, the same findings in a new report, then 10% changed. */
async function round(side: Side, image: string, variant: number): Promise<void> {
  const fixtures = path.join(root, "fixtures");
  const { report, body } = generateTrivyReport(fixtures, image, size);
  const bodies = [body, body, JSON.stringify({ ...report, CreatedAt: new Date().toISOString() }), generateTrivyReport(fixtures, image, size, variant).body];
  for (const [i, [name, status]] of MEASURES.entries()) await post(side, name, bodies[i], status);
}

const median = (xs: number[]) => quantile(xs, 0.5);

async function main(): Promise<void> {
  if (!baseline) throw new Error("set BENCH_BASELINE to the checkout to compare with (see the comment at the top of bench/compare.ts)");
  const sides: Side[] = [];
  try {
    sides.push(await startSide("baseline", path.resolve(baseline), 3330));
    sides.push(await startSide("this checkout", root, 3331));
    console.log(`\nPortcullis ingest, this checkout against ${baseline} · ${new Date().toISOString()} · ${size.toLocaleString("en")} findings, ${rounds} rounds\n`);
    for (let r = 0; r < rounds; r++) {
      // ABBA: each side goes first in half of the rounds.
      for (const side of r % 2 === 0 ? sides : [...sides].reverse()) await round(side, `bench.example.com/compare-${r}-${side.label.replace(/\W/g, "")}:1`, r + 1);
      process.stdout.write(`round ${r + 1} of ${rounds} done\n`);
    }
    const [before, after] = sides;
    const rows = [["ms (min / median / max)", "baseline", "this checkout", "ratio of medians"]];
    // Each measure's wall time, then its steps as the server timed them (the same keys on both sides).
    for (const key of Object.keys(before.times).filter((k) => after.times[k])) {
      rows.push([key, spread(before.times[key]), spread(after.times[key]), (median(after.times[key]) / median(before.times[key])).toFixed(2)]);
    }
    console.log("");
    printTable(rows);
  } finally {
    for (const side of sides) side.app.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 1000));
    for (const side of sides) await side.database.drop().catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench failed: ${(error as Error).message}`);
    process.exit(1);
  },
);
