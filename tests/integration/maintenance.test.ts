// Housekeeping: old records of job runs go (the expiry job alone runs every minute), recent ones stay.
import { beforeEach, expect, it } from "vitest";
import { db } from "@/lib/db";
import { purgeExpired } from "@/lib/jobs/maintenance";
import { resetDatabase } from "../support/db-state";

beforeEach(resetDatabase);

it("keeps two weeks of job runs", async () => {
  const now = new Date(Date.UTC(2026, 10, 24));
  const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
  await db.jobRun.createMany({ data: [1, 13, 15, 40].map((d) => ({ name: "exceptions.expire", jobId: `job-${d}`, ranBy: "test", startedAt: daysAgo(d) })) });
  expect(await purgeExpired(now)).toMatchObject({ jobRuns: 2 });
  expect((await db.jobRun.findMany({ orderBy: { startedAt: "asc" } })).map((r) => r.jobId)).toEqual(["job-13", "job-1"]);
});
