// Replicas of a Deployment start together: each sets up the job queue's queues and schedules on
// the same database at the same moment (pg-boss deadlocked doing that, and the replica failed).
import { afterEach, describe, expect, it } from "vitest";
import type PgBoss from "pg-boss";
import { scheduledJobs, startWorker } from "@/lib/jobs/queue";
import { sqlPool } from "@/lib/sql";

let workers: PgBoss[] = [];

afterEach(async () => {
  await Promise.all(workers.map((w) => w.stop({ graceful: false, wait: true })));
  workers = [];
});

describe("job queue set-up", () => {
  it("gives queues made by an earlier version the retry options too", async () => {
    await sqlPool("interactive").query("DROP SCHEMA IF EXISTS pgboss CASCADE");
    workers = [await startWorker()];
    await sqlPool("interactive").query(`UPDATE pgboss.queue SET retry_delay = 0, retry_backoff = false`);
    await workers[0].stop({ graceful: false, wait: true });
    workers = [await startWorker()];
    const retries = await sqlPool("interactive").query(`SELECT DISTINCT retry_delay, retry_backoff FROM pgboss.queue WHERE name = ANY($1)`, [scheduledJobs().map((j) => j.name)]);
    expect(retries.rows).toEqual([{ retry_delay: 60, retry_backoff: true }]);
  });

  it("lets replicas that start at the same moment on a new database all come up, with each queue and schedule once", async () => {
    for (let round = 0; round < 3; round++) {
      // A database the queue has never seen, as on a first deployment.
      await sqlPool("interactive").query("DROP SCHEMA IF EXISTS pgboss CASCADE");
      const started = await Promise.allSettled([startWorker(), startWorker(), startWorker()]);
      workers = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
      expect(started.map((s) => (s.status === "rejected" ? String(s.reason) : "started"))).toEqual(["started", "started", "started"]);
      const names = scheduledJobs().map((j) => j.name).sort();
      const queues = await sqlPool("interactive").query<{ name: string }>(`SELECT name FROM pgboss.queue WHERE name = ANY($1) ORDER BY name`, [names]);
      expect(queues.rows.map((q) => q.name)).toEqual(names);
      const schedules = await sqlPool("interactive").query<{ name: string }>(`SELECT name FROM pgboss.schedule ORDER BY name`);
      expect(schedules.rows.map((q) => q.name)).toEqual(names);
      // A failed run is tried again after a while, not at once under the load that failed it.
      const retries = await sqlPool("interactive").query(`SELECT DISTINCT retry_limit, retry_delay, retry_backoff FROM pgboss.queue WHERE name = ANY($1)`, [names]);
      expect(retries.rows).toEqual([{ retry_limit: 2, retry_delay: 60, retry_backoff: true }]);
      await Promise.all(workers.map((w) => w.stop({ graceful: false, wait: true })));
      workers = [];
    }
  });
});
