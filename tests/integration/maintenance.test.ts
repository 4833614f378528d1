// Housekeeping: old records of job runs, gate decisions and finished webhook deliveries go, recent ones (and deliveries still being retried) stay.
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

it("keeps a quarter of gate decisions and a month of finished webhook deliveries, and every delivery still pending", async () => {
  const now = new Date(Date.UTC(2026, 10, 24));
  const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
  const decision = { imageRef: "registry.acme.dev/x:1", policyName: "default", policyVersion: 1, decision: "pass", summary: {}, violations: [] };
  await db.gateDecision.createMany({ data: [10, 89, 91, 200].map((d) => ({ ...decision, imageRef: `x:${d}`, evaluatedAt: daysAgo(d) })) });
  const hook = await db.webhook.create({ data: { name: "chat", url: "https://hooks.example.com/x", format: "generic", events: ["gate.failed"], secretSalt: "s" } });
  await db.webhookDelivery.createMany({
    data: [
      { key: "new", status: "delivered", d: 5 },
      { key: "old", status: "delivered", d: 45 },
      { key: "old-failed", status: "failed", d: 45 },
      { key: "old-pending", status: "pending", d: 45 },
    ].map((x) => ({ webhookId: hook.id, event: "gate.failed", eventKey: x.key, body: {}, status: x.status, createdAt: daysAgo(x.d) })),
  });
  expect(await purgeExpired(now)).toMatchObject({ gateDecisions: 2, webhookDeliveries: 2 });
  expect((await db.gateDecision.findMany({ orderBy: { evaluatedAt: "asc" } })).map((r) => r.imageRef)).toEqual(["x:89", "x:10"]);
  expect((await db.webhookDelivery.findMany({ orderBy: { eventKey: "asc" } })).map((r) => r.eventKey)).toEqual(["new", "old-pending"]);
});
