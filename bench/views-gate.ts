// bench:views phase 5: the pipeline's calls against the running app on the 1M-finding estate —
// the CI gate for the image with the most open findings and for a typical one, and the read API
// (a findings page, the images list). Target (issue 12): gate p95 < 50 ms.
import { printTable, quantile } from "./support";

const CALLS = 100;

async function timed(url: string, token: string): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  return { ms: performance.now() - started, status: response.status };
}

export async function gateAndReadApi(base: string, floorP50: number): Promise<boolean> {
  const { db, disconnectDb } = await import("../lib/db");
  const { createApiToken } = await import("../lib/tokens/api-tokens");
  const token = (await createApiToken({ name: `bench-${Date.now()}`, scopes: ["read"] })).token;
  const images = await db.$queryRaw<{ ref: string; open: number }[]>`
    (SELECT r.name || ':' || i.tags[1] AS ref, (p.critical + p.high + p.medium + p.low + p.unknown)::int AS open
     FROM "ImagePosture" p JOIN "Image" i ON i.id = p."imageId" JOIN "ImageRepository" r ON r.id = i."repositoryId"
     WHERE cardinality(i.tags) > 0 ORDER BY open DESC LIMIT 1)
    UNION ALL
    (SELECT r.name || ':' || i.tags[1], (p.critical + p.high + p.medium + p.low + p.unknown)::int
     FROM "ImagePosture" p JOIN "Image" i ON i.id = p."imageId" JOIN "ImageRepository" r ON r.id = i."repositoryId"
     WHERE cardinality(i.tags) > 0 ORDER BY i.id LIMIT 1)`;
  await disconnectDb();
  const calls: [string, string][] = [
    ...images.map(({ ref, open }, i): [string, string] => [`gate: ${i === 0 ? "most findings" : "typical"} image (${open} open)`, `/api/v1/gate?image=${encodeURIComponent(ref)}`]),
    ["gate: JUnit", `/api/v1/gate?image=${encodeURIComponent(images[0].ref)}&format=junit`],
    ["gate: never scanned", "/api/v1/gate?image=registry.example.com/nope:1"],
    ["read: findings, critical, 100", "/api/v1/findings?severity=critical&limit=100"],
    ["read: images, 50", "/api/v1/images?limit=50"],
  ];
  console.log(`\n5. the pipeline's calls, ${CALLS} sequential each (read token; floor: /api/health p50 ${floorP50.toFixed(1)} ms)\n`);
  const rows = [["call", "min ms", "p50 ms", "p95 ms", "max ms", "p50 / floor", "status"]];
  let ok = true;
  for (const [label, url] of calls) {
    await timed(`${base}${url}`, token);
    const samples = [];
    for (let i = 0; i < CALLS; i++) samples.push(await timed(`${base}${url}`, token));
    const ms = samples.map((s) => s.ms);
    const bad = samples.filter((s) => s.status !== 200);
    if (label.startsWith("gate") && (quantile(ms, 0.95) >= 50 || bad.length)) ok = false;
    rows.push([label, ms.length ? Math.min(...ms).toFixed(1) : "-", quantile(ms, 0.5).toFixed(1), quantile(ms, 0.95).toFixed(1), Math.max(...ms).toFixed(1), (quantile(ms, 0.5) / floorP50).toFixed(1), bad.length ? `${bad.length} × ${bad[0].status}` : "200"]);
  }
  printTable(rows);
  return ok;
}
