// Several machines (reliability issue): two replicas started at once on one fresh PostgreSQL
// database migrate it once, share sessions, count ingests exactly, and run each scheduled job once.
import { expect, test } from "@playwright/test";
import path from "node:path";
import { generateTrivyReport } from "../../bench/report-generator";
import { adminCli, freshDatabase, queryDatabase as query, root, signedInCookie, startApp, stopApp, type AppProcess } from "../support/app-process";

const server = process.env.TEST_DATABASE_URL;
const PASSWORD = "replica-password-1";
test.setTimeout(420_000);

let apps: AppProcess[] = [];
let databaseUrl = "";
let drop: () => Promise<void> = async () => undefined;

test.beforeAll(async () => {
  // Skipped only on a developer's machine without PostgreSQL; in CI (which sets it) a missing server fails.
  if (!server && process.env.CI) throw new Error("CI must set TEST_DATABASE_URL: replicas share a real database");
  test.skip(!server, "needs TEST_DATABASE_URL (a PostgreSQL server); replicas share a real database");
  ({ url: databaseUrl, drop } = await freshDatabase(server!, "replicas"));
});

// A failure shows what the replicas printed (an ingest's 500 is explained only there).
test.afterEach(async ({}, testInfo) => {
  if (testInfo.status === testInfo.expectedStatus) return;
  for (const [i, app] of apps.entries()) await testInfo.attach(`replica-${i}.log`, { body: app.log(), contentType: "text/plain" });
  for (const [i, app] of apps.entries()) console.log(`--- replica ${i}, errors:\n${app.log().split("\n").filter((l) => /error|fail|500|deadlock|timeout/i.test(l)).slice(-40).join("\n")}`);
});

test.afterAll(async () => {
  await Promise.all(apps.map((app) => stopApp(app, "SIGKILL")));
  await drop();
});

test("two replicas on one database: one migration, shared sessions, exact counts, each scheduled job run once", async ({ browser }) => {
  // Both start at once on an empty database: each runs the migrations, under Prisma's lock.
  const env = (port: number) => ({ DATABASE_URL: databaseUrl, PUBLIC_URL: `http://127.0.0.1:${port}`, MAINTENANCE_CRON: "* * * * *" });
  apps = await Promise.all([3321, 3322].map((port) => startApp({ port, env: env(port) })));
  const [a, b] = apps;
  const migrations = await query<{ migration_name: string; n: number }>(databaseUrl, `SELECT migration_name, count(*)::int AS n FROM _prisma_migrations GROUP BY 1`);
  expect(migrations.length).toBeGreaterThan(0);
  expect(migrations.every((m) => m.n === 1)).toBe(true);

  const cli = { DATABASE_URL: databaseUrl };
  await adminCli(cli, "create-user", "--email", "lead@replicas.test", "--password", PASSWORD, "--role", "security_lead");
  const token = await adminCli(cli, "create-token", "--name", "ci", "--scope", "ingest");

  // A session started on one replica is good on the other (the signing secret is shared through the database).
  for (const [from, to] of [[a, b], [b, a]]) {
    const cookie = await signedInCookie(browser, from.url, "lead@replicas.test", PASSWORD);
    const page = await fetch(`${to.url}/images`, { headers: { cookie }, redirect: "manual" });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("lead@replicas.test");
  }

  // Ingests spread over both: the same report five times (one ingest), fifteen others.
  const fixtures = path.join(root, "fixtures");
  const same = generateTrivyReport(fixtures, "registry.example.com/replicas/api:1", 100).body;
  const others = Array.from({ length: 15 }, (_, i) => generateTrivyReport(fixtures, `registry.example.com/replicas/svc-${i % 5}:${i}`, 50).body);
  const bodies = [...Array(5).fill(same), ...others];
  const statuses = await Promise.all(
    bodies.map((body, i) => fetch(`${apps[i % 2].url}/api/v1/scans`, { method: "POST", body, headers: { authorization: `Bearer ${token}` } }).then((r) => r.status)),
  );
  expect(statuses.slice(0, 5).sort()).toEqual([200, 200, 200, 200, 201]);
  expect(statuses.slice(5)).toEqual(Array(15).fill(201));
  const [counts] = await query<{ scans: number; findings: number }>(databaseUrl, `SELECT (SELECT count(*)::int FROM "Scan") AS scans, (SELECT count(*)::int FROM "Finding") AS findings`);
  expect(counts).toEqual({ scans: 16, findings: 100 + 15 * 50 });

  // An approved exception whose date has passed: the expiry job (every minute) reopens its finding, once.
  const [{ id: findingId }] = await query<{ id: string }>(databaseUrl, `SELECT id FROM "Finding" ORDER BY id LIMIT 1`);
  const [{ id: leadId }] = await query<{ id: string }>(databaseUrl, `SELECT id FROM "User" WHERE email = 'lead@replicas.test'`);
  await query(databaseUrl, `INSERT INTO "RiskException" (id, "findingId", "requestedById", reason, status, "expiresAt") VALUES ('replicas-exception', $1, $2, 'ends now', 'approved', now() - interval '1 second')`, [findingId, leadId]);
  await query(databaseUrl, `UPDATE "Finding" SET status = 'risk_accepted', "exceptionId" = 'replicas-exception', "statusChangedAt" = now() WHERE id = $1`, [findingId]);

  // The maintenance jobs are due every minute here; whichever replica takes a run, no run happens twice.
  const firstMinute = Math.ceil(Date.now() / 60_000) * 60_000;
  await expect
    .poll(async () => (await query<{ n: number }>(databaseUrl, `SELECT count(*)::int AS n FROM "JobRun" WHERE "startedAt" >= $1 AND ok`, [new Date(firstMinute)]))[0].n, {
      timeout: 200_000,
      intervals: [5000],
    })
    .toBeGreaterThanOrEqual(4);
  // Every run of a job is of its own minute: no job's minute was run by both replicas (nor twice by one).
  const slots = await query<{ name: string; dueAt: Date; runs: number; by: string[] }>(
    databaseUrl,
    `SELECT name, "dueAt", count(*)::int AS runs, array_agg("ranBy") AS by FROM "JobRun" GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  // The per-minute jobs ran; the others (every 5 minutes, hourly at :05 and :17, nightly) may have had
  // a slot too, depending on the wall clock the test runs at, but nothing outside the schedule did.
  const names = [...new Set(slots.map((s) => s.name))].sort();
  const perMinute = ["exceptions.expire", "maintenance.purge-expired", "notify.deliver", "posture.retire-images"];
  const occasional = ["fixes.refresh", "notify.sla-breaches", "notify.exceptions-expiring", "reports.rollup", "reports.rebuild"];
  expect(names.filter((n) => !occasional.includes(n))).toEqual(perMinute);
  expect(slots.length).toBeGreaterThanOrEqual(4);
  expect(slots.filter((s) => s.runs !== 1)).toEqual([]);

  const reopened = await query<{ status: string; events: number }>(
    databaseUrl,
    `SELECT status, (SELECT count(*)::int FROM "FindingEvent" e WHERE e."findingId" = f.id AND e.type = 'exception_expired') AS events FROM "Finding" f WHERE id = $1`,
    [findingId],
  );
  expect(reopened).toEqual([{ status: "open", events: 1 }]);

  for (const app of apps) expect(await stopApp(app)).toBe(0);
});
