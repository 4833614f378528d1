// npm run bench:ingest — ingest throughput of POST /api/v1/scans against a production build on a
// real PostgreSQL, compared with the floor measured in the same run: parsing the same JSON once
// plus COPYing the same number of rows into an unindexed table.
//
// Database: BENCH_DATABASE_URL or TEST_DATABASE_URL (a server; a fresh database is created and
// dropped), default postgresql://postgres@127.0.0.1:5432/postgres. Sizes: BENCH_SIZES=5000,20000,100000
// (BENCH_SIZES= with nothing runs the runtime-events row only). BENCH_KEEP=1 keeps the database
// afterwards, to look into (its name is printed).
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { generateTrivyReport } from "./report-generator";
import { printTable, rssKiB, waitForHealth as waitFor } from "./support";
import { benchRuntimeEvents, runtimeRow } from "./runtime-events";
import { buildIfNeeded, startNextServer } from "../lib/startup/build";
import { createTestDatabase } from "../tests/support/test-database";

const root = path.resolve(import.meta.dirname, "..");
const fixturesDir = path.join(root, "fixtures");
const server = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const sizes = (process.env.BENCH_SIZES ?? "5000,20000,100000").split(",").filter(Boolean).map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const port = 3310;
const base = `http://127.0.0.1:${port}`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

async function main(): Promise<void> {
  const database = await createTestDatabase("bench", 54333, server);
  const databaseUrl = database.url;
  if (process.env.BENCH_KEEP) console.log(`database kept afterwards: ${databaseUrl}`);
  let app: ChildProcess | undefined;
  try {
    process.env.DATABASE_URL = databaseUrl;
    if (buildIfNeeded(root)) console.log("built the app (next build)");
    app = startNextServer(root, {
      port,
      host: "127.0.0.1",
      // The 100k-finding report is ~280 MiB of realistic Trivy JSON: above the default 64 MiB limit.
      // The per-token ingest rate limit is not what is measured here.
      env: { ...process.env, DATABASE_URL: databaseUrl, BETTER_AUTH_SECRET: randomBytes(32).toString("hex"), INGEST_BODY_LIMIT_MB: "500", INGEST_REQUESTS_PER_MIN: "100000" },
      quiet: true,
    });
    await waitFor(base);
    const { createApiToken } = await import("../lib/tokens/api-tokens");
    const { disconnectDb } = await import("../lib/db");
    const { token } = await createApiToken({ name: "bench", scopes: ["ingest"] });
    await disconnectDb();
    const memory = new PeakMemory(app.pid!);

    console.log(`\nPortcullis ingest benchmark · ${new Date().toISOString()} · node ${process.version}\n`);
    // The largest body the default limit accepts, and the memory it needs: on the fresh server, and
    // again after the runtime row (tens of thousands of requests leave the heap larger).
    const memoryProbe = sizes.length > 0 ? largestReportProbe(token, memory) : undefined;
    if (memoryProbe) console.log(await memoryProbe("a fresh server"));
    console.log(runtimeRow(await benchRuntimeEvents(base, token, databaseUrl, RUNS)));
    if (memoryProbe) console.log(await memoryProbe("after the runtime row"));
    console.log("");
    if (sizes.length === 0) return;
    const breakdowns: string[] = [];
    const rows: string[][] = [["findings", "runs", "body", "first ingest (median)", "findings/s", "floor", "ratio to floor", "repeat (duplicate)", "repeat floor", "rescan, nothing changed", "rescan, 10% changed", "peak server RSS"]];
    for (const size of sizes) {
      const firsts: number[] = [];
      const repeats: number[] = [];
      const rescans: number[] = [];
      const sameRescans: number[] = [];
      let body = "";
      memory.reset();
      const runs = size > 50_000 ? 1 : RUNS;
      const steps: Record<string, number>[] = [];
      const repeatSteps: Record<string, number>[] = [];
      const sameRescanSteps: Record<string, number>[] = [];
      for (let run = 0; run < runs; run++) {
        const image = `bench.example.com/app-${size}-${run}-${Date.now()}:1.0`;
        const report = generateTrivyReport(fixturesDir, image, size);
        body = report.body;
        firsts.push(await post(token, report.body, 201, size));
        steps.push(lastSteps[lastSteps.length - 1]);
        repeats.push(await post(token, report.body, 200, size));
        repeatSteps.push(lastSteps[lastSteps.length - 1]);
        // What CI sends most: the same image scanned again, the same findings in a new report
        // (Trivy's CreatedAt differs, so it is not a duplicate).
        sameRescans.push(await post(token, JSON.stringify({ ...report.report, CreatedAt: new Date().toISOString() }), 201, size));
        sameRescanSteps.push(lastSteps[lastSteps.length - 1]);
        rescans.push(await post(token, generateTrivyReport(fixturesDir, image, size, run + 1).body, 201, size));
      }
      const floor = await measureFloor(databaseUrl, body, size);
      const repeatFloor = await measureTransportFloor(body);
      const first = median(firsts);
      const sorted = [...firsts].sort((a, b) => a - b);
      breakdowns.push(
        `${size.toLocaleString("en")} findings, first ingest min ${fmt(sorted[0])} · median ${fmt(first)} · max ${fmt(sorted[sorted.length - 1])}; server steps (median): ` +
          stepMedians(steps) + `; the repeat: ${stepMedians(repeatSteps)}; the rescan with nothing changed: ${stepMedians(sameRescanSteps)}`,
      );
      rows.push([
        String(size),
        String(runs),
        `${(Buffer.byteLength(body) / 1024 / 1024).toFixed(1)} MiB`,
        fmt(first),
        Math.round((size / first) * 1000).toLocaleString("en"),
        fmt(floor),
        (floor / first).toFixed(2),
        fmt(median(repeats)),
        `${fmt(repeatFloor)} (ratio ${(repeatFloor / median(repeats)).toFixed(2)})`,
        `${fmt(median(sameRescans))} (${(median(sameRescans) / first).toFixed(2)}× first)`,
        `${fmt(median(rescans))} (${(median(rescans) / first).toFixed(2)}× first)`,
        `${memory.peakMiB().toFixed(0)} MiB`,
      ]);
    }
    printTable(rows);
    console.log("");
    for (const line of breakdowns) console.log(line);

    memory.stop();
  } finally {
    app?.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    if (!process.env.BENCH_KEEP) await database.drop().catch(() => undefined);
  }
}

/** Each step's median over the runs, as "step 12 ms, ...". */
const stepMedians = (runs: Record<string, number>[]) => Object.keys(runs[0] ?? {}).map((step) => `${step} ${fmt(median(runs.map((s) => s[step] ?? 0)))}`).join(", ");

/** The server's own breakdown of the last ingest (its Server-Timing header), step → ms. */
const lastSteps: Record<string, number>[] = [];

async function post(token: string, body: string, expected: number, size: number): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${base}/api/v1/scans`, { method: "POST", body, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } });
  const result = await response.json();
  const elapsed = performance.now() - started;
  const timing = response.headers.get("server-timing") ?? "";
  lastSteps.push(Object.fromEntries([...timing.matchAll(/([\w-]+);dur=([\d.]+)/g)].map((m) => [m[1], Number(m[2])])));
  if (response.status !== expected) throw new Error(`expected ${expected}, got ${response.status}: ${JSON.stringify(result)}`);
  if (expected === 201 && result.findings.total !== size) throw new Error(`expected ${size} findings, got ${result.findings.total}`);
  return elapsed;
}

/**
 * The floor of a repeat: the same body posted to a bare Node HTTP server in this process that only
 * reads and hashes it (no framework), median of the runs.
 */
async function measureTransportFloor(body: string): Promise<number> {
  const { createServer } = await import("node:http");
  const { createHash } = await import("node:crypto");
  const bare = createServer(async (request, response) => {
    const hash = createHash("sha256");
    for await (const chunk of request) hash.update(chunk as Buffer);
    response.end(hash.digest("hex"));
  });
  await new Promise<void>((resolve) => bare.listen(port + 1, "127.0.0.1", resolve));
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    await (await fetch(`http://127.0.0.1:${port + 1}/`, { method: "POST", body })).text();
    times.push(performance.now() - started);
  }
  await new Promise((resolve) => bare.close(resolve));
  return median(times);
}

/** The floor: JSON.parse of the same body, then COPY of as many rows into an unindexed table. */
async function measureFloor(databaseUrl: string, body: string, size: number): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query("CREATE TABLE IF NOT EXISTS bench_floor (identity text, rule text, title text, severity text, package text, version text, fixed text, details jsonb)");
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    await client.query("TRUNCATE bench_floor");
    const started = performance.now();
    const report = JSON.parse(body);
    const vulns = report.Results.flatMap((r: { Vulnerabilities: Record<string, string>[] }) => r.Vulnerabilities);
    const esc = (v: unknown) => (v === undefined || v === null ? "\\N" : String(v).replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r"));
    const lines = vulns.map((v: Record<string, string>) =>
      [v.VulnerabilityID + v.PkgName + v.InstalledVersion, v.VulnerabilityID, v.Title, v.Severity, v.PkgName, v.InstalledVersion, v.FixedVersion, JSON.stringify({ d: v.Description })].map(esc).join("\t") + "\n",
    );
    await pipeline(Readable.from(lines), client.query(copyFrom("COPY bench_floor FROM STDIN")));
    times.push(performance.now() - started);
    if (vulns.length !== size) throw new Error("floor row count mismatch");
  }
  await client.end();
  return median(times);
}

/** Posts a new 63 MiB report (just under the default 64 MiB limit) and reports the server's peak memory. */
function largestReportProbe(token: string, memory: PeakMemory): (when: string) => Promise<string> {
  const target = 63 * 1024 * 1024;
  const perFinding = generateTrivyReport(fixturesDir, "bench.example.com/probe:1", 1000).body.length / 1000;
  const count = Math.floor(target / perFinding);
  return async (when) => {
    const big = generateTrivyReport(fixturesDir, `bench.example.com/huge-${Date.now()}:1`, count);
    memory.reset();
    const before = memory.peakMiB();
    const ms = await post(token, big.body, 201, count);
    const mib = (Buffer.byteLength(big.body) / 1024 / 1024).toFixed(1);
    return `${mib} MiB report (${count.toLocaleString("en")} findings) on ${when}: ${fmt(ms)}, peak server RSS ${memory.peakMiB().toFixed(0)} MiB (target: under 512 MiB; ${before.toFixed(0)} MiB before it)`;
  };
}

/** Peak resident memory of the server process and its children, sampled every 20 ms. */
class PeakMemory {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;
  constructor(private readonly pid: number) {
    this.timer = setInterval(() => (this.peak = Math.max(this.peak, rssKiB(this.pid))), 20);
  }
  reset(): void {
    this.peak = rssKiB(this.pid);
  }
  peakMiB(): number {
    return this.peak / 1024;
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench failed: ${(error as Error).message}`);
    process.exit(1);
  },
);
