// The runtime-events row of bench:ingest: Falcosidekick posts one event per request, so what counts
// is single-event requests per second from many clients at once. The floor, measured in the same
// run, is the same requests through the same route answered before any work (no token: 401).
import pg from "pg";
import { quantile } from "./support";

const CLIENTS = Number(process.env.BENCH_RUNTIME_CLIENTS ?? 20);
const REQUESTS = Number(process.env.BENCH_RUNTIME_REQUESTS ?? 4000);

export interface RuntimeFigures {
  runs: number[];
  floor: number;
  p50: number;
  p95: number;
  /** alerts counted by their findings */
  counted: number;
  /** raw events kept for drill-down */
  kept: number;
  requests: number;
}

let sequence = 0;
const event = () => {
  const i = sequence++;
  return JSON.stringify({
    output: `A shell was spawned in a container (user=root container=api-${i % 50})`,
    priority: i % 10 === 0 ? "Critical" : "Warning",
    rule: `Bench rule ${i % 20}`,
    time: new Date(Date.UTC(2026, 0, 1) + i).toISOString(),
    output_fields: { "k8s.ns.name": `ns-${i % 10}`, "k8s.pod.name": `api-${i % 50}-7d9f8b6c5d-x2k4p`, "proc.cmdline": "bash" },
  });
};

/** Sends `REQUESTS` single-event posts from `CLIENTS` clients; answers requests per second and latencies. */
async function burst(base: string, token: string | null, expected: number): Promise<{ perSecond: number; latencies: number[] }> {
  let next = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next++ < REQUESTS) {
        const t0 = performance.now();
        const response = await fetch(`${base}/api/v1/runtime-events?cluster=bench`, {
          method: "POST",
          body: event(),
          headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        });
        await response.arrayBuffer();
        if (response.status !== expected) throw new Error(`runtime event: expected ${expected}, got ${response.status}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { perSecond: REQUESTS / ((performance.now() - started) / 1000), latencies };
}

export async function benchRuntimeEvents(base: string, token: string, databaseUrl: string, runs: number): Promise<RuntimeFigures> {
  await burst(base, token, 202); // warm-up: the route compiled, the cluster and namespaces written
  const perRun: number[] = [];
  const latencies: number[] = [];
  const floors: number[] = [];
  for (let run = 0; run < runs; run++) {
    floors.push((await burst(base, null, 401)).perSecond);
    const measured = await burst(base, token, 202);
    perRun.push(measured.perSecond);
    latencies.push(...measured.latencies);
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  // Every alert counts into its finding; the raw events beyond each finding's limit are pruned.
  const counted = Number((await client.query(`SELECT COALESCE(sum((details->>'eventCount')::int), 0) AS n FROM "Finding" WHERE kind = 'runtime'`)).rows[0].n);
  const kept = Number((await client.query(`SELECT count(*) AS n FROM "RuntimeEvent"`)).rows[0].n);
  await client.end();
  return { runs: perRun, floor: quantile(floors, 0.5), p50: quantile(latencies, 0.5), p95: quantile(latencies, 0.95), counted, kept, requests: REQUESTS * (runs + 1) };
}

export function runtimeRow(f: RuntimeFigures): string {
  const sorted = [...f.runs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return [
    `Runtime events: ${f.requests.toLocaleString("en")} single-event posts from ${CLIENTS} clients, ${f.counted.toLocaleString("en")} counted by their findings (none lost: ${f.counted === f.requests ? "yes" : "NO"}), ${f.kept.toLocaleString("en")} raw events kept`,
    `  requests/s min ${sorted[0].toFixed(0)} · median ${median.toFixed(0)} · max ${sorted[sorted.length - 1].toFixed(0)} (target ≥ 1000); latency p50 ${f.p50.toFixed(1)} ms, p95 ${f.p95.toFixed(1)} ms`,
    `  floor (same route, refused before any work) ${f.floor.toFixed(0)} requests/s · ratio ${(median / f.floor).toFixed(2)}`,
  ].join("\n");
}
