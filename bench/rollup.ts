// npm run bench:rollup — what the hourly rollup rebuild (the job reports.rollup) costs the reports
// that arrive while it runs. A fresh database gets BENCH_ROLLUP_FINDINGS findings (default 200,000,
// in reports of 20,000), all first seen today as on a new installation's first day (the rebuild
// then reads every episode); then small rescans (500 findings, a tenth changed each time, so each
// one opens and closes findings) are timed alone, and one after another while a rebuild runs.
// It prints min / median / max and the ratio of the medians, which travels between machines.
//
// Database: BENCH_DATABASE_URL or TEST_DATABASE_URL (a server; a fresh database is created and
// dropped), default postgresql://postgres@127.0.0.1:5432/postgres. BENCH_RUNS rescans alone (default 30).
import path from "node:path";
import { generateTrivyReport } from "./report-generator";
import { printTable, quantile, spread as spreadOf } from "./support";
import { createTestDatabase } from "../tests/support/test-database";

const root = path.resolve(import.meta.dirname, "..");
const fixturesDir = path.join(root, "fixtures");
const server = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const FINDINGS = Number(process.env.BENCH_ROLLUP_FINDINGS ?? 200_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const REPORT = 20_000;

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
const spread = (xs: number[]) => spreadOf(xs, fmt);

async function main(): Promise<void> {
  const database = await createTestDatabase("bench_rollup", 54334, server);
  process.env.DATABASE_URL = database.url;
  const { ingestReport } = await import("../lib/ingest/ingest-report");
  const { rebuildRollups } = await import("../lib/reports/rollups");
  const { disconnectDb } = await import("../lib/db");
  const { closeSqlPool } = await import("../lib/sql");
  try {
    console.log(`\nPortcullis rollup benchmark · ${new Date().toISOString()} · node ${process.version}\n`);
    const loading = performance.now();
    for (let i = 0; i * REPORT < FINDINGS; i++) {
      const body = generateTrivyReport(fixturesDir, `bench.example.com/estate-${i}:1.0`, Math.min(REPORT, FINDINGS - i * REPORT)).body;
      await ingestReport({ body, context: { format: "auto" } });
    }
    console.log(`${FINDINGS.toLocaleString("en")} findings of today ingested in ${((performance.now() - loading) / 1000).toFixed(1)} s`);
    await rebuildRollups("all");

    // A rescan that changes a tenth of its findings: its transaction adds to today's rollups.
    let variant = 0;
    const rescan = async () => {
      variant += 1;
      const body = generateTrivyReport(fixturesDir, "bench.example.com/pipeline:1.0", 500, 1 + (variant % 2)).body;
      const started = performance.now();
      await ingestReport({ body, context: { format: "auto" } });
      return performance.now() - started;
    };
    const rescans = async () => {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) times.push(await rescan());
      return times;
    };
    await rescan();

    const rebuilds: number[] = [];
    for (let i = 0; i < 3; i++) rebuilds.push((await rebuildRollups("recent")).ms);
    const alone = await rescans();
    // Rescans one after another for as long as each of three rebuilds runs: every one meets a rebuild.
    const during: number[] = [];
    const meanwhile: number[] = [];
    for (let i = 0; i < 3; i++) {
      let rebuilding = true;
      const rebuild = rebuildRollups("recent").finally(() => (rebuilding = false));
      while (rebuilding) meanwhile.push(await rescan());
      during.push((await rebuild).ms);
    }

    printTable([
      ["measure", "runs", "min / median / max", "ratio of medians"],
      ["hourly rebuild (yesterday on), alone", String(rebuilds.length), spread(rebuilds), "—"],
      ["hourly rebuild, while rescans arrive", String(during.length), spread(during), (quantile(during, 0.5) / quantile(rebuilds, 0.5)).toFixed(2)],
      ["rescan of 500 findings, alone", String(alone.length), spread(alone), "1.00"],
      ["rescan of 500 findings, during rebuilds", String(meanwhile.length), spread(meanwhile), (quantile(meanwhile, 0.5) / quantile(alone, 0.5)).toFixed(2)],
    ]);
  } finally {
    await disconnectDb();
    await closeSqlPool();
    await database.drop().catch(() => undefined);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
