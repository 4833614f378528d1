// Top fixes from real scanner reports: grouped by package and installed version, the target that
// fixes all of a group's vulnerabilities in its ecosystem's order, ranked by severity weight, and
// scoped to the viewer's teams.
import { beforeEach, describe, expect, it } from "vitest";
import { createTeam } from "@/lib/admin/teams";
import { CLI_ACTOR } from "@/lib/authz/actor";
import { scopeOfViewer } from "@/lib/authz/policy";
import { ingestReport } from "@/lib/ingest/ingest-report";
import { endOfLifeImages, refreshTopFixes, topFixes, type TopFix } from "@/lib/fixes/top-fixes";
import { fixSummary } from "@/lib/fixes/summary";
import { resetDatabase } from "../support/db-state";
import { fixtureText } from "../support/fixtures";

let payments: string;

beforeEach(async () => {
  await resetDatabase();
  payments = (await createTeam(CLI_ACTOR, { name: "Payments" })).id;
  await createTeam(CLI_ACTOR, { name: "Data" });
  for (const [image, fixture, team] of [
    ["registry.acme.dev/pay/api:1", "trivy/trivy_alpine-310.json", "Payments"],
    ["registry.acme.dev/pay/worker:1", "trivy/trivy_alpine-310.json", "Payments"],
    ["registry.acme.dev/pay/gems:1", "trivy/trivy_fluentd-gems.json", "Payments"],
    ["registry.acme.dev/data/etl:1", "trivy/trivy_centos-7.json", "Data"],
  ]) {
    await ingestReport({ body: fixtureText(fixture), context: { format: "auto", team, image } });
  }
});

describe("top fixes", () => {
  it("group by package and version, target the version that fixes all, rank by severity weight", async () => {
    const { fixes, asOf } = await topFixes({ teamIds: null }, {});
    expect(asOf).toBeNull(); // no snapshot yet: aggregated live
    const libcrypto = fixes.find((f) => f.packageName === "libcrypto1.1")!;
    // CVE-2019-1549 is fixed in 1.1.1d-r0, CVE-2019-1551 in 1.1.1d-r2: the upgrade that closes both is r2.
    expect(libcrypto).toMatchObject({ installedVersion: "1.1.1c-r0", ecosystem: "apk", target: "1.1.1d-r2", findings: 4, vulnerabilities: 2, images: 2, teams: 1 });
    expect(libcrypto.imageList.map((i) => i.name)).toEqual(["registry.acme.dev/pay/api:1", "registry.acme.dev/pay/worker:1"]);
    // Rails lists one fix per release line: the one above the installed version is the target.
    const rails = fixes.find((f) => f.installedVersion === "6.0.2.1")!;
    expect(rails.target).toBe("6.0.3.1");
    const weights = fixes.map((f) => f.weight);
    expect(weights).toEqual([...weights].sort((a, b) => b - a));
    // The heaviest fix comes first: a critical outweighs any number of mediums here.
    expect(fixes[0].bySeverity.critical + fixes[0].bySeverity.high).toBeGreaterThan(0);
    expect(fixes.find((f) => f.ecosystem === "rpm")?.target).toMatch(/^1:1\.0\.2k-/);
  });

  it("show an engineer only their teams' fixes", async () => {
    const scope = scopeOfViewer({ role: "engineer", teamIds: [payments] });
    const { fixes } = await topFixes(scope, {});
    expect(fixes.length).toBeGreaterThan(0);
    expect(fixes.every((f) => f.ecosystem !== "rpm")).toBe(true); // centos is Data's
    // Naming another team does not widen the scope.
    const data = (await topFixes({ teamIds: null }, {})).fixes.filter((f) => f.ecosystem === "rpm");
    expect(data.length).toBeGreaterThan(0);
    expect((await topFixes(scope, { team: "data-team-id" })).fixes).toEqual([]);
  });

  it("for the whole organisation come from the job's snapshot once there is one, equal to the live list", async () => {
    const live = await topFixes({ teamIds: null }, {});
    const at = new Date(Date.UTC(2026, 10, 24, 3, 5));
    expect(await refreshTopFixes(at)).toEqual({ fixes: live.fixes.length });
    const snapshot = await topFixes({ teamIds: null }, {});
    expect(snapshot.asOf).toEqual(at);
    expect(snapshot.fixes).toEqual(live.fixes);
    // A team's list stays live.
    expect((await topFixes({ teamIds: null }, { team: payments })).asOf).toBeNull();
  });

  it("count the images no team owns apart from the teams, live and in the snapshot", async () => {
    await ingestReport({ body: fixtureText("trivy/trivy_alpine-310.json"), context: { format: "auto", image: "registry.acme.dev/nobody/tool:1" } });
    const libcrypto = (fixes: TopFix[]) => fixes.find((f) => f.packageName === "libcrypto1.1")!;
    const live = libcrypto((await topFixes({ teamIds: null }, {})).fixes);
    expect(live).toMatchObject({ images: 3, teams: 1, unownedImages: 1 });
    expect(fixSummary(live)).toMatch(/in 3 images of 1 team, and 1 no team owns$/);
    await refreshTopFixes();
    expect(libcrypto((await topFixes({ teamIds: null }, {})).fixes)).toMatchObject({ images: 3, teams: 1, unownedImages: 1 });
  });

  it("list images on an end-of-life OS", async () => {
    const eol = await endOfLifeImages({ teamIds: null }, {});
    expect(eol.every((i) => typeof i.open === "number")).toBe(true);
  });
});
