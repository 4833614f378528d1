// Demo data that looks like a real organisation: teams, people, three clusters and dozens of
// images with ~100 days of scan history. Every scan is a real Trivy report from fixtures/,
// ingested through the same code path as POST /api/v1/scans.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { db } from "@/lib/db";
import { createTeam } from "@/lib/admin/teams";
import { createUser } from "@/lib/admin/users";
import { CLI_ACTOR } from "@/lib/authz/actor";
import { ingestReport } from "@/lib/ingest/ingest-report";
import { ingestRuntimeEvents } from "@/lib/ingest/falco/ingest-runtime-events";
import { seedTriage } from "@/lib/demo/triage";
import { DEMO_SERVICES, DEMO_TEAMS, DEMO_USERS, type DemoService } from "@/lib/demo/organisation";

const DAY = 24 * 3600 * 1000;
const VERSIONS = 3;
const VERSION_LIFETIME_DAYS = 35;
const RESCAN_EVERY_DAYS = 7;

export async function isDatabaseEmpty(): Promise<boolean> {
  const [users, scans] = await Promise.all([db.user.count(), db.scan.count()]);
  return users === 0 && scans === 0;
}

export interface SeedSummary {
  users: { email: string; role: string }[];
  password: string;
  images: number;
  scans: number;
}

export async function seedDemoData(options: { password: string; fixturesDir: string; now?: Date }): Promise<SeedSummary> {
  const now = options.now ?? new Date();
  for (const name of DEMO_TEAMS) await createTeam(CLI_ACTOR, { name });
  for (const user of DEMO_USERS) await createUser(CLI_ACTOR, { ...user, password: options.password });
  await createOwnershipRules();

  let scans = 0;
  for (const [index, service] of DEMO_SERVICES.entries()) {
    const trivy = (file: string) => JSON.parse(readFileSync(path.join(options.fixturesDir, "trivy", file), "utf8"));
    const fixture = trivy(service.fixture);
    // An image scan with Trivy's secret and misconfiguration scanners on carries their results too.
    for (const file of service.alsoFound ?? []) fixture.Results.push(...trivy(file).Results);
    for (const scan of scanPlan(index, now)) {
      await ingestReport({
        body: JSON.stringify({ ...reportAsOf(fixture, scan.version, scan.round), CreatedAt: scan.at.toISOString() }),
        context: {
          format: "auto",
          image: imageRef(service, scan.version),
          ...(service.runsIn[scan.version % service.runsIn.length] ?? {}),
        },
        receivedAt: scan.at,
      });
      scans += 1;
    }
  }
  scans += await seedClusterData(options.fixturesDir, now);
  await seedTriage(now);
  // The daily rollups of the 100 days just replayed, so the reports page shows real trends at once.
  await db.$executeRaw`SELECT posture_daily_rebuild(NULL)`;
  return {
    users: DEMO_USERS.map((u) => ({ email: u.email, role: u.role })),
    password: options.password,
    images: await db.image.count(),
    scans,
  };
}

/** Cluster-wide reports: a trivy k8s scan, CIS benchmarks per cluster, Trivy Operator reports, and Falco alerts. */
async function seedClusterData(fixturesDir: string, now: Date): Promise<number> {
  const read = (file: string) => readFileSync(path.join(fixturesDir, file), "utf8");
  const daysAgo = (n: number) => new Date(now.getTime() - n * DAY);
  await ingestReport({ body: read("trivy/thirdparty_zora_trivy-k8s-cluster-vuln.json"), context: { format: "auto", cluster: "staging" }, receivedAt: daysAgo(3) });
  const bench = JSON.parse(read("kube-bench/kube-bench_result_no-totals.json"));
  // The real results with one master check failing, as a cluster that drifted would show.
  bench[0].tests[0].results[0].status = "FAIL";
  for (const [cluster, age] of [["prod-eu", 12], ["prod-us", 5]] as const) {
    await ingestReport({ body: JSON.stringify(bench), context: { format: "auto", cluster }, receivedAt: daysAgo(age) });
  }
  // The Trivy Operator's reports: a workload's configuration checks and a role's permissions.
  await ingestReport({ body: read("trivy-operator/configauditreport_cronjob-hello.json"), context: { format: "auto", cluster: "prod-eu" }, receivedAt: daysAgo(1) });
  await ingestReport({ body: read("trivy-operator/rbacassessmentreport_role-proxy.json"), context: { format: "auto", cluster: "prod-us" }, receivedAt: daysAgo(1) });
  await ingestRuntimeEvents({ body: recentEvents(read("falco/falco-website_syscall-k8s-alerts.jsonl"), now, 20), cluster: "prod-eu", receivedAt: daysAgo(0) });
  await ingestRuntimeEvents({ body: recentEvents(read("falco/falco-website_k8saudit-alerts.jsonl"), now, 60), cluster: "prod-us", receivedAt: daysAgo(0) });
  return 5;
}

/** The real Falco alerts, re-timed to the last `hours` (in their order), so the demo shows live alerts. */
function recentEvents(jsonl: string, now: Date, hours: number): string {
  const lines = jsonl.split("\n").filter((l) => l.trim());
  const step = (hours * 3600 * 1000) / Math.max(1, lines.length);
  return lines
    .map((line, i) => {
      const event = JSON.parse(line) as { time?: string };
      event.time = new Date(now.getTime() - (lines.length - i) * step).toISOString().replace("Z", "000000Z");
      return JSON.stringify(event);
    })
    .join("\n");
}

async function createOwnershipRules(): Promise<void> {
  const teams = await db.team.findMany({ select: { id: true, name: true } });
  const id = (name: string) => teams.find((t) => t.name === name)!.id;
  await db.ownershipRule.createMany({
    data: [
      { teamId: id("Payments"), repositoryPrefix: "registry.acme.dev/payments/" },
      { teamId: id("Storefront"), repositoryPrefix: "registry.acme.dev/storefront/" },
      { teamId: id("Platform"), repositoryPrefix: "registry.acme.dev/platform/" },
      { teamId: id("Data"), repositoryPrefix: "registry.acme.dev/data/" },
      { teamId: id("Platform"), clusterName: "staging" },
      { teamId: id("Payments"), clusterName: "prod-eu", namespace: "payments" },
      { teamId: id("Storefront"), clusterName: "prod-eu", namespace: "storefront" },
    ],
  });
}

/** Version v of a service appears 35 days after v-1 and is rescanned every two weeks while current. */
function scanPlan(serviceIndex: number, now: Date): { version: number; round: number; at: Date }[] {
  const plan: { version: number; round: number; at: Date }[] = [];
  const firstDay = -100 + (serviceIndex % 5);
  for (let version = 0; version < VERSIONS; version++) {
    const start = firstDay + version * VERSION_LIFETIME_DAYS;
    const end = version === VERSIONS - 1 ? 0 : start + VERSION_LIFETIME_DAYS;
    for (let round = 0, day = start; day <= end; round++, day += RESCAN_EVERY_DAYS) {
      plan.push({ version, round, at: new Date(now.getTime() + day * DAY - (serviceIndex + 1) * 60_000) });
    }
  }
  return plan;
}

const bucket = (text: string, n: number) => createHash("sha256").update(text).digest()[0] % n;

/**
 * The real report as a scanner would have produced it at that time: vulnerabilities are
 * disclosed over successive rounds, rebuilds of a version patch some fixable ones in place (the
 * same image, rescanned), a few disappear for one round and come back (reopened), and newer
 * versions ship fixes for some fixable ones.
 */
function reportAsOf(fixture: { Results?: { Vulnerabilities?: { VulnerabilityID: string; PkgName: string; FixedVersion?: string }[] }[] }, version: number, round: number) {
  return {
    ...fixture,
    Results: (fixture.Results ?? []).map((result) => ({
      ...result,
      Vulnerabilities: result.Vulnerabilities?.filter((v) => {
        const disclosed = bucket(v.VulnerabilityID, 3) <= round + version;
        const fixedInThisVersion = !!v.FixedVersion && version > 0 && bucket(`${v.VulnerabilityID}/${v.PkgName}`, 3) < version;
        const patchedInPlace = !!v.FixedVersion && round >= 2 && bucket(`${v.VulnerabilityID}/${v.PkgName}/${version}`, 5) < round - 1;
        const missedThisRound = round === 3 && bucket(`${v.VulnerabilityID}/flap`, 3) === 0;
        return disclosed && !fixedInThisVersion && !patchedInPlace && !missedThisRound;
      }),
    })),
  };
}

function imageRef(service: DemoService, version: number): string {
  const ref = `${service.repository}:${service.baseVersion}.${version}`;
  return `${ref}@sha256:${createHash("sha256").update(ref).digest("hex")}`;
}
