// Scheduled work runs through a job queue kept in PostgreSQL (pg-boss): every replica runs a
// worker, and each scheduled run is handed to exactly one of them. No in-process timers decide
// what runs when, so adding replicas never runs a job twice. Each run is recorded in JobRun.
import { hostname } from "node:os";
import PgBoss from "pg-boss";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { logUnexpected } from "@/lib/log";
import { onShutdown } from "@/lib/shutdown";
import { purgeExpired, retireImages } from "@/lib/jobs/maintenance";
import { expireExceptions } from "@/lib/exceptions/decide";
import { refreshTopFixes } from "@/lib/fixes/top-fixes";
import { deliverDue } from "@/lib/notify/deliver";
import { notifyExpiringExceptions, notifySlaBreaches } from "@/lib/notify/scheduled";
import { setDeliveryWaker } from "@/lib/notify/wake";
import { rebuildRollups } from "@/lib/reports/rollups";
import { oneReplicaAtATime } from "@/lib/startup/one-at-a-time";

const DELIVER = "notify.deliver";

interface ScheduledJob {
  name: string;
  /** cron, in UTC */
  cron: string;
  run: () => Promise<Record<string, number | string | boolean>>;
}

export function scheduledJobs(): ScheduledJob[] {
  return [
    { name: "maintenance.purge-expired", cron: env().jobs.maintenanceCron, run: purgeExpired },
    { name: "posture.retire-images", cron: env().jobs.maintenanceCron, run: retireImages },
    // Every minute: an exception ends within a minute of its date.
    { name: "exceptions.expire", cron: "* * * * *", run: () => expireExceptions() },
    // The organisation-wide top fixes, read by /fixes (every other view of them is small enough to aggregate live).
    { name: "fixes.refresh", cron: "*/5 * * * *", run: () => refreshTopFixes() },
    // Webhooks: queued deliveries (also woken right after an event is queued), and the events no request causes.
    { name: DELIVER, cron: "* * * * *", run: () => deliverDue() },
    { name: "notify.sla-breaches", cron: "*/5 * * * *", run: () => notifySlaBreaches() },
    { name: "notify.exceptions-expiring", cron: "17 * * * *", run: () => notifyExpiringExceptions() },
    // Trend reports: transactions keep today current; the rollups from yesterday on are rebuilt hourly, all of them nightly.
    { name: "reports.rollup", cron: "5 * * * *", run: () => rebuildRollups("recent") },
    { name: "reports.rebuild", cron: "40 0 * * *", run: () => rebuildRollups("all") },
  ];
}

const globalForJobs = globalThis as unknown as { portcullisJobs?: Promise<PgBoss> };
const ranBy = `${hostname()}:${process.pid}`;

/** Starts this replica's worker (once per process); the app server calls it at start-up. */
export function startJobQueue(): Promise<PgBoss> {
  globalForJobs.portcullisJobs ??= startWorker();
  return globalForJobs.portcullisJobs;
}

/** A replica's worker: the queues and schedules made sure of, then taken from. */
export async function startWorker(): Promise<PgBoss> {
  // pg-boss's own tables live in their own schema, created (under its lock) by the first replica.
  const boss = new PgBoss({ connectionString: env().databaseUrl, schema: "pgboss", max: 2, application_name: "portcullis-jobs" });
  boss.on("error", (error) => logUnexpected("jobs", error));
  // Replicas that start together would deadlock in pg-boss's set-up and queue creation (its
  // partitions): they take turns; later starts find it all there.
  await oneReplicaAtATime(env().databaseUrl, "jobs-setup", async () => {
    await boss.start();
    for (const job of scheduledJobs()) {
      await boss.createQueue(job.name, { name: job.name, ...RETRIES });
      await boss.updateQueue(job.name, { name: job.name, ...RETRIES }); // a queue made by an earlier version keeps its old options otherwise
      await boss.schedule(job.name, job.cron, {}, { tz: "UTC" });
    }
  });
  onShutdown(() => boss.stop({ graceful: true, timeout: 10_000, wait: true }));
  for (const job of scheduledJobs()) {
    await boss.work(job.name, { includeMetadata: true }, async ([delivered]) => record(job, delivered.id, minuteOf(delivered.createdOn)));
  }
  // A queued webhook event is sent at once by whichever replica takes this job (at most one waiting at a time).
  setDeliveryWaker(() => void boss.send(DELIVER, {}, { singletonKey: "now", singletonSeconds: 2 }).catch((error) => logUnexpected("jobs", error)));
  return boss;
}

/**
 * A failed run is tried again twice, after a minute or two and then a few: pg-boss's default
 * retries at once, so a job that failed under load (a rollup rebuild cancelled in a soak) ran
 * twice more under the same load.
 */
const RETRIES = { retryLimit: 2, retryDelay: 60, retryBackoff: true };

/** A cron run is created within seconds of its minute: that minute is the slot it is due for. */
const minuteOf = (at: Date) => new Date(Math.floor(new Date(at).getTime() / 60_000) * 60_000);

async function record(job: ScheduledJob, jobId: string, dueAt: Date): Promise<void> {
  await db.jobRun.upsert({ where: { jobId }, create: { name: job.name, jobId, dueAt, ranBy }, update: { ranBy, startedAt: new Date(), finishedAt: null, ok: null } });
  try {
    const details = await job.run();
    await db.jobRun.update({ where: { jobId }, data: { finishedAt: new Date(), ok: true, details } });
  } catch (error) {
    await db.jobRun.update({ where: { jobId }, data: { finishedAt: new Date(), ok: false, details: { error: String((error as Error).message ?? error).slice(0, 500) } } });
    throw error;
  }
}
