// npm run smoke:post — keeps a running Portcullis busy the way a fleet of pipelines would, while
// people use it (run it beside smoke:pages): every real report under fixtures/ (the same report
// again is a duplicate), a new generated Trivy report each round, and Falco alerts one per request
// as Falcosidekick sends them. A 429 is waited out (Retry-After) and the request sent again.
// Prints the answers by status at the end; exits non-zero on any 5xx or unexpected 4xx.
//
// BASE (default http://127.0.0.1:3400), INGEST_TOKEN (an ingest-scoped token:
// `npm run admin -- create-token --name smoke --scope ingest`), SECONDS (default 120).
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { generateTrivyReport } from "../../bench/report-generator";

const base = process.env.BASE ?? "http://127.0.0.1:3400";
const token = process.env.INGEST_TOKEN;
const seconds = Number(process.env.SECONDS ?? 120);
const fixtures = path.resolve(import.meta.dirname, "../../fixtures");

/** Each report fixture with the context a pipeline would give it. */
function reports(): { name: string; query: string; body: string }[] {
  const out: { name: string; query: string; body: string }[] = [];
  for (const dir of ["trivy", "grype", "trivy-operator", "kube-bench", "k8s-misconfig"]) {
    for (const file of readdirSync(path.join(fixtures, dir)).filter((f) => f.endsWith(".json"))) {
      const body = readFileSync(path.join(fixtures, dir, file), "utf8");
      const clusterReport = dir !== "trivy" && dir !== "grype" ? true : file.includes("k8s");
      // SARIF and CycloneDX name no image of their own: the pipeline says which.
      const carrier = file.includes(".sarif.") || file.includes(".cyclonedx.");
      const query = clusterReport ? "cluster=smoke-cluster" : carrier ? `image=registry.example.com/smoke/${file.split(".")[0]}:1` : "team=Payments";
      out.push({ name: `${dir}/${file}`, query, body });
    }
  }
  return out;
}

function falcoEvents(): string[] {
  const dir = path.join(fixtures, "falco");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .flatMap((f) => readFileSync(path.join(dir, f), "utf8").split("\n").filter((l) => l.trim()));
}

async function post(url: string, body: string): Promise<number> {
  for (;;) {
    const response = await fetch(`${base}${url}`, { method: "POST", body, headers: { authorization: `Bearer ${token}` } });
    const text = await response.text();
    if (response.status !== 429) {
      if (response.status >= 400) console.log(`${response.status} ${url}: ${text.slice(0, 300)}`);
      return response.status;
    }
    const wait = Number(response.headers.get("retry-after") ?? 1);
    await new Promise((r) => setTimeout(r, wait * 1000));
  }
}

async function main(): Promise<void> {
  if (!token) throw new Error("INGEST_TOKEN is not set");
  const answers = new Map<string, number>();
  const count = (kind: string, status: number) => answers.set(`${kind} ${status}`, (answers.get(`${kind} ${status}`) ?? 0) + 1);
  const deadline = Date.now() + seconds * 1000;
  const fixtureReports = reports();
  const events = falcoEvents();
  const scans = async () => {
    for (let round = 0; Date.now() < deadline; round++) {
      for (const r of fixtureReports) {
        if (Date.now() >= deadline) break;
        count("scan", await post(`/api/v1/scans?${r.query}`, r.body));
      }
      const image = `registry.example.com/smoke/generated-${round}:1`;
      count("scan", await post("/api/v1/scans?team=Payments", generateTrivyReport(fixtures, image, 300, round).body));
    }
  };
  const alerts = async () => {
    for (let i = 0; Date.now() < deadline; i++) {
      count("event", await post("/api/v1/runtime-events?cluster=smoke-cluster", events[i % events.length]));
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  await Promise.all([scans(), scans(), alerts()]);
  for (const [key, n] of [...answers].sort()) console.log(`${key}: ${n}`);
  const failed = [...answers.keys()].filter((k) => !/ (200|201|202)$/.test(k));
  if (failed.length) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`smoke:post failed: ${(error as Error).message}`);
  process.exitCode = 1;
});
