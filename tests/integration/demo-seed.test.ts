// The demo organisation: built through the ingest path from the real fixtures, with history.
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { seedDemoData, isDatabaseEmpty } from "@/lib/demo/seed";
import { DEMO_SERVICES } from "@/lib/demo/organisation";
import { resetDatabase } from "../support/db-state";

const now = new Date("2026-11-01T12:00:00Z");
const DAY = 24 * 3600 * 1000;

beforeAll(async () => {
  await resetDatabase();
  expect(await isDatabaseEmpty()).toBe(true);
  await seedDemoData({ password: "demo-password-1", fixturesDir: path.resolve(import.meta.dirname, "../../fixtures"), now });
}, 120_000);

describe("demo data", () => {
  it("is a small organisation: teams, people of every role, three clusters with namespaces and workloads", async () => {
    expect(await isDatabaseEmpty()).toBe(false);
    expect((await db.team.findMany({ orderBy: { name: "asc" } })).map((t) => t.name)).toEqual(["Data", "Payments", "Platform", "Storefront"]);
    expect((await db.user.findMany()).map((u) => u.role).sort()).toEqual(["admin", "engineer", "manager", "security_lead"]);
    expect((await db.cluster.findMany({ orderBy: { name: "asc" } })).map((c) => c.name)).toEqual(["prod-eu", "prod-us", "staging"]);
    expect(await db.namespace.count()).toBeGreaterThanOrEqual(8);
    expect(await db.workload.count()).toBeGreaterThanOrEqual(DEMO_SERVICES.length);
  });

  it("has dozens of images, each from real reports, owned through ownership rules", async () => {
    const images = await db.image.findMany({ include: { team: true, repository: true } });
    // three versions of each service, plus the images a trivy k8s scan found in staging
    expect(images).toHaveLength(DEMO_SERVICES.length * 3 + 6);
    const unowned = images.filter((i) => !i.team).map((i) => i.repository.name);
    expect([...new Set(unowned)]).toEqual(["docker.io/library/redis-cache"]);
    expect(await db.scan.count({ where: { tool: "trivy", format: "trivy" } })).toBeGreaterThan(100);
  });

  it("has CIS results and runtime alerts in the clusters", async () => {
    expect(await db.finding.count({ where: { kind: "compliance", cluster: { name: "prod-eu" } } })).toBeGreaterThan(0);
    expect(await db.finding.count({ where: { kind: "runtime", cluster: { name: "prod-eu" } } })).toBeGreaterThan(0);
    expect(await db.runtimeEvent.count()).toBe(15);
  });

  it("has every kind of finding: the Trivy Operator's checks of a workload and a role, an image's secrets and Dockerfile checks", async () => {
    const kinds = await db.finding.groupBy({ by: ["kind"], where: { status: { in: ["open", "in_progress"] } }, _count: true });
    expect(kinds.map((k) => k.kind).sort()).toEqual(["compliance", "misconfiguration", "runtime", "secret", "vulnerability"]);
    expect(await db.finding.count({ where: { kind: "misconfiguration", cluster: { name: "prod-eu" }, workload: { name: "hello" } } })).toBeGreaterThan(0);
    expect(await db.finding.count({ where: { kind: "misconfiguration", cluster: { name: "prod-us" }, ruleId: { contains: "113" } } })).toBe(1);
    const frontend = { repository: { name: "registry.acme.dev/storefront/web-frontend" }, retiredAt: null };
    expect(await db.finding.count({ where: { kind: "secret", status: "open", image: frontend } })).toBeGreaterThan(0);
    expect(await db.finding.count({ where: { kind: "misconfiguration", ruleId: "DS-0002", status: "open", image: frontend } })).toBeGreaterThan(0);
  });

  it("spreads first-seen dates over more than 90 days, with fixes along the way", async () => {
    const oldest = await db.finding.findFirstOrThrow({ orderBy: { firstSeenAt: "asc" } });
    const newest = await db.finding.findFirstOrThrow({ orderBy: { firstSeenAt: "desc" } });
    expect(now.getTime() - oldest.firstSeenAt.getTime()).toBeGreaterThan(90 * DAY);
    expect(newest.firstSeenAt.getTime() - oldest.firstSeenAt.getTime()).toBeGreaterThan(60 * DAY);
    expect(await db.finding.count({ where: { kind: { not: "runtime" }, firstScanId: null } })).toBe(0);
    expect(await db.finding.count({ where: { severity: "critical", status: "open" } })).toBeGreaterThan(0);
    const lastWeek = await db.scan.count({ where: { receivedAt: { gte: new Date(now.getTime() - 7 * DAY) } } });
    expect(lastWeek).toBeGreaterThan(0);
  });
});
