// Cross-team isolation: an engineer or manager of Payments sees, counts, searches and opens
// everything of Payments and nothing of Storefront, by any of the data paths the pages use.
import { beforeAll, describe, expect, it } from "vitest";
import { createTeam } from "@/lib/admin/teams";
import { NotVisible } from "@/lib/authz/actor";
import { scopeOfViewer, type Scope } from "@/lib/authz/policy";
import { CLI_ACTOR } from "@/lib/authz/actor";
import { db } from "@/lib/db";
import { ingestReport } from "@/lib/ingest/ingest-report";
import { listImages, imageListQuerySchema } from "@/lib/images/list-images";
import { loadOverview } from "@/lib/posture/overview";
import { findingDetail, imageDetail } from "@/lib/posture/details";
import { listTeams, teamDetail } from "@/lib/posture/teams";
import { findFindings, findingFacets, findingQuerySchema } from "@/lib/findings/explore";
import { groupByVulnerability, whereItRuns } from "@/lib/findings/by-vulnerability";
import { findingPages } from "@/lib/findings/export";
import { searchPackage } from "@/lib/findings/package-search";
import { clusterDetail, listClusters } from "@/lib/posture/clusters";
import { listRepositories } from "@/lib/posture/repositories";
import { resetDatabase } from "../support/db-state";
import { fixtureText } from "../support/fixtures";

interface TeamData {
  teamId: string;
  imageId: string;
  findingId: string;
  clusterId: string;
  repository: string;
  openFindings: number;
}

async function seedTeam(name: string, fixture: string, cluster: string): Promise<TeamData> {
  const team = await createTeam(CLI_ACTOR, { name });
  await ingestReport({ body: fixtureText(fixture), context: { format: "auto", team: name, cluster, namespace: name.toLowerCase(), workload: "deployment/api" } });
  const image = await db.image.findFirstOrThrow({ where: { teamId: team.id }, select: { id: true, repository: { select: { name: true } } } });
  const finding = await db.finding.findFirstOrThrow({ where: { teamId: team.id }, select: { id: true } });
  const namespace = await db.namespace.findFirstOrThrow({ where: { name: name.toLowerCase() }, select: { clusterId: true } });
  await db.namespace.updateMany({ where: { name: name.toLowerCase() }, data: { teamId: team.id } });
  const openFindings = await db.finding.count({ where: { teamId: team.id, status: "open" } });
  return { teamId: team.id, imageId: image.id, findingId: finding.id, clusterId: namespace.clusterId, repository: image.repository.name, openFindings };
}

let payments: TeamData;
let storefront: TeamData;

beforeAll(async () => {
  await resetDatabase();
  payments = await seedTeam("Payments", "trivy/trivy_alpine-310.json", "prod-pay");
  storefront = await seedTeam("Storefront", "trivy/trivy_debian-buster.json", "prod-shop");
  expect(payments.openFindings).toBeGreaterThan(0);
  expect(storefront.openFindings).toBeGreaterThan(0);
});

const notVisible = (load: Promise<unknown>) => expect(load).rejects.toBeInstanceOf(NotVisible);

describe.each(["engineer", "manager"] as const)("a %s of Payments", (role) => {
  const scope = (): Scope => scopeOfViewer({ role, teamIds: [payments.teamId] });

  it("lists, searches and counts only Payments", async () => {
    const all = await listImages(scope(), imageListQuerySchema.parse({}));
    expect(all.rows.map((r) => r.id)).toEqual([payments.imageId]);
    expect(all.total).toBe(1);
    const search = await listImages(scope(), imageListQuerySchema.parse({ q: "debian-buster" }));
    expect(search.total).toBe(0);
    expect((await listImages(scopeOfViewer({ role: "admin", teamIds: [] }), imageListQuerySchema.parse({ q: "debian-buster" }))).total).toBe(1);
    const overview = await loadOverview(scope());
    expect(overview.posture.total).toBe(payments.openFindings);
    expect(overview.worstImages.map((i) => i.id)).toEqual([payments.imageId]);
    expect(overview.worstTeams.map((t) => t.name)).toEqual(["Payments"]);
  });

  it("opens Payments' image, finding, cluster and team", async () => {
    expect((await imageDetail(scope(), payments.imageId)).id).toBe(payments.imageId);
    expect((await findingDetail(scope(), payments.findingId)).id).toBe(payments.findingId);
    expect((await clusterDetail(scope(), payments.clusterId)).namespaces.map((n) => n.name)).toEqual(["payments"]);
    expect((await teamDetail(scope(), payments.teamId)).name).toBe("Payments");
  });

  it("cannot open anything of Storefront: it is as if it did not exist", async () => {
    await notVisible(imageDetail(scope(), storefront.imageId));
    await notVisible(findingDetail(scope(), storefront.findingId));
    await notVisible(clusterDetail(scope(), storefront.clusterId));
    await notVisible(teamDetail(scope(), storefront.teamId));
    await notVisible(imageDetail(scope(), "does-not-exist"));
  });
});

describe("a user in no team", () => {
  it("sees nothing at all", async () => {
    const scope = scopeOfViewer({ role: "engineer", teamIds: [] });
    expect((await listImages(scope, imageListQuerySchema.parse({}))).total).toBe(0);
    const overview = await loadOverview(scope);
    expect([overview.posture.total, overview.worstImages.length, overview.worstTeams.length, overview.worstClusters.length]).toEqual([0, 0, 0, 0]);
  });
});

describe("a security lead", () => {
  it("sees every team", async () => {
    const scope = scopeOfViewer({ role: "security_lead", teamIds: [] });
    expect((await listImages(scope, imageListQuerySchema.parse({}))).total).toBe(2);
    expect((await imageDetail(scope, storefront.imageId)).id).toBe(storefront.imageId);
    expect((await clusterDetail(scope, storefront.clusterId)).name).toBe("prod-shop");
  });
});

describe.each(["engineer", "manager"] as const)("the explorer, exports and searches for a %s of Payments", (role) => {
  const scope = (): Scope => scopeOfViewer({ role, teamIds: [payments.teamId] });
  const all = scopeOfViewer({ role: "security_lead", teamIds: [] });
  const q = (raw: Record<string, string> = {}) => findingQuerySchema.parse(raw);

  it("lists, counts and facets only Payments' findings", async () => {
    const { rows } = await findFindings(scope(), q(), 1000);
    expect(rows.length).toBe(payments.openFindings);
    expect(new Set(rows.map((r) => r.teamId))).toEqual(new Set([payments.teamId]));
    const facets = await findingFacets(scope(), q());
    expect(facets.total).toBe(payments.openFindings);
    expect(Object.keys(facets.team)).toEqual([payments.teamId]);
    // A search for Storefront's vulnerabilities finds nothing; the lead finds them.
    const storefrontVuln = (await db.finding.findFirstOrThrow({ where: { teamId: storefront.teamId, vulnerabilityId: { not: null } } })).vulnerabilityId!;
    expect((await findFindings(scope(), q({ q: storefrontVuln }))).rows.filter((r) => r.teamId !== payments.teamId)).toEqual([]);
    expect((await findFindings(all, q({ q: storefrontVuln }))).rows.some((r) => r.teamId === storefront.teamId)).toBe(true);
    // Naming Storefront's team in the filter does not widen the scope.
    expect((await findFindings(scope(), q({ team: storefront.teamId }))).rows).toEqual([]);
    expect((await findingFacets(scope(), q({ team: storefront.teamId }))).total).toBe(0);
  });

  it("groups, exports and searches packages within Payments only", async () => {
    const groups = await groupByVulnerability(scope(), q());
    const vulnerabilityFindings = await db.finding.count({ where: { teamId: payments.teamId, status: "open", vulnerabilityId: { not: null } } });
    expect(groups.rows.reduce((n, g) => n + g.findings, 0)).toBe(vulnerabilityFindings);
    expect(groups.rows.every((g) => g.teams === 1)).toBe(true);
    const exported = [];
    for await (const page of findingPages(scope(), q())) exported.push(...page);
    expect(exported.length).toBe(payments.openFindings);
    expect(exported.every((r) => r.teamId === payments.teamId)).toBe(true);
    const storefrontPackage = (await db.finding.findFirstOrThrow({ where: { teamId: storefront.teamId, packageName: { not: null } } })).packageName!;
    const paymentsPackages = new Set((await db.finding.findMany({ where: { teamId: payments.teamId }, select: { packageName: true } })).map((f) => f.packageName));
    if (!paymentsPackages.has(storefrontPackage)) expect((await searchPackage(scope(), { name: storefrontPackage, comparison: null, version: null })).hits).toEqual([]);
    expect((await searchPackage(all, { name: storefrontPackage, comparison: null, version: null })).hits.length).toBeGreaterThan(0);
    const storefrontVuln = (await db.finding.findFirstOrThrow({ where: { teamId: storefront.teamId, vulnerabilityId: { not: null } } })).vulnerabilityId!;
    expect((await whereItRuns(scope(), storefrontVuln)).every((p) => p.team === "Payments")).toBe(true);
    expect((await whereItRuns(all, storefrontVuln)).some((p) => p.team === "Storefront")).toBe(true);
  });

  it("lists only Payments' clusters and team", async () => {
    expect((await listClusters(scope())).map((c) => c.id)).toEqual([payments.clusterId]);
    expect((await listTeams(scope())).map((t) => t.name)).toEqual(["Payments"]);
    expect((await listTeams(all)).map((t) => t.name)).toEqual(["Payments", "Storefront"]);
  });
});

describe("repositories and filesystems", () => {
  it("are listed for their team only, with their findings", async () => {
    const result = await ingestReport({ body: fixtureText("trivy/trivy_secrets.json"), context: { format: "auto", team: "Payments" } });
    expect(result.findings.new).toBeGreaterThan(0);
    const mine = await listRepositories(scopeOfViewer({ role: "engineer", teamIds: [payments.teamId] }));
    expect(mine.map((r) => r.team)).toEqual(["Payments"]);
    expect(mine[0].posture.total).toBe(result.findings.new);
    expect(await listRepositories(scopeOfViewer({ role: "engineer", teamIds: [storefront.teamId] }))).toEqual([]);
    const { rows } = await findFindings(scopeOfViewer({ role: "engineer", teamIds: [payments.teamId] }), findingQuerySchema.parse({ target: mine[0].targetKey }));
    expect(rows.length).toBe(result.findings.new);
  });
});
