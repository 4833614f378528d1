// Posture journeys in the browser, with screenshots in test-results/screenshots/: a security lead
// finds the worst team and drills down to an image and a finding; an engineer searches a CVE and
// a package and sees only their team; a manager opens their team's pages; the layout holds at
// phone width, and every table fits a laptop's.
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { generateTrivyReport } from "../bench/report-generator";
import { admin, unique } from "./support/admin-cli";
import { sql } from "./support/db";
import { signIn } from "./support/session";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "../fixtures", name), "utf8");
const worst = unique("Worst");
const calm = unique("Calm");
const repo = (team: string) => `registry.example.com/${team.toLowerCase()}/api`;
const cluster = unique("prod");
const password = "posture-password-1";

test.beforeAll(async ({ playwright, baseURL }) => {
  const api = await playwright.request.newContext({ baseURL });
  // Worst runs an image with a critical and a high (fluentd's gems); Calm one with four mediums
  // (alpine 3.10's openssl), in one shared cluster, each in its own namespace.
  const token = admin("create-token", "--name", unique("ci"), "--scope", "ingest");
  for (const [team, report] of [[worst, "trivy/trivy_fluentd-gems.json"], [calm, "trivy/trivy_alpine-310.json"]] as const) {
    admin("create-team", "--name", team);
    const query = `team=${encodeURIComponent(team)}&image=${encodeURIComponent(`${repo(team)}:1.0`)}&cluster=${cluster}&namespace=${team.toLowerCase()}&workload=deployment/api`;
    const posted = await api.post(`/api/v1/scans?${query}`, { headers: { authorization: `Bearer ${token}` }, data: fixture(report) });
    expect(posted.status()).toBe(201);
    await sql(`UPDATE "Namespace" SET "teamId" = (SELECT id FROM "Team" WHERE name = $1) WHERE name = $2`, [team, team.toLowerCase()]);
  }
  await api.dispose();
});

async function user(role: string, teams: string[]): Promise<string> {
  const email = `${unique(role)}@example.com`;
  admin("create-user", "--email", email, "--password", password, "--role", role, ...teams.flatMap((t) => ["--team", t]));
  return email;
}

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/posture-${name}.png`, fullPage: true });

test("a security lead finds the worst team and drills down to an image and a finding", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
  });
  await signIn(page, await user("security_lead", []), password);
  await expect(page.getByRole("region", { name: "Organisation score" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Open findings by severity" })).toContainText("unique vulnerabilities");
  await shot(page, "lead-overview");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Teams" }).click();
  const worstRow = page.getByRole("row").filter({ hasText: worst });
  const calmRow = page.getByRole("row").filter({ hasText: calm });
  await expect(worstRow).toBeVisible();
  // The worst team scores below the calm one, and both scores explain themselves.
  const scoreOf = async (row: typeof worstRow) => Number((await row.getByLabel(/^Score /).getAttribute("aria-label"))!.match(/^Score [A-F], (\d+)/)![1]);
  expect(await scoreOf(worstRow)).toBeLessThan(await scoreOf(calmRow));
  await expect(worstRow.getByLabel(/^Score /)).toHaveAttribute("aria-label", /^Score D, 69: 1 critical with a fix −25, 1 high with a fix −6$/);
  await shot(page, "lead-teams");

  await worstRow.getByRole("link", { name: worst }).click();
  await expect(page.getByRole("heading", { name: worst })).toBeVisible();
  await expect(page.getByRole("region", { name: "Team score" })).toContainText("critical with a fix");
  // The weekly chart draws this week's bars (a bar sized by a style attribute is refused by the CSP and draws nothing).
  const thisWeek = page.getByRole("list", { name: "Open critical and high findings per week" }).getByRole("listitem").last();
  await expect(thisWeek).toHaveAccessibleName(/: 1 critical, 1 high$/);
  const bars = await thisWeek.locator("rect").all();
  expect(bars).toHaveLength(2);
  for (const bar of bars) expect((await bar.boundingBox())!.height).toBeGreaterThan(20);
  await shot(page, "lead-team");

  await page.getByRole("link", { name: `${repo(worst)}:1.0` }).first().click();
  await expect(page.getByRole("heading", { name: repo(worst) })).toBeVisible();
  await expect(page.getByText("upgrading to 6.0.3.1 closes 1 finding here")).toBeVisible();
  await expect(page.getByRole("link", { name: cluster })).toBeVisible();
  await shot(page, "lead-image");

  await page.getByRole("link", { name: "All findings of this image" }).click();
  await expect(page.getByRole("region", { name: "Findings" }).getByRole("row")).toHaveCount(1 + 2);
  await page.getByRole("link", { name: "CVE-2020-8165" }).click();
  await expect(page.getByRole("heading", { name: "CVE-2020-8165" })).toBeVisible();
  await expect(page.getByText("High", { exact: true })).toBeVisible();
  // Which build, and where it runs: what an engineer needs to judge the exposure (the page named the
  // repository only, and "Where" held the package's path in the image).
  await expect(page.getByRole("main").getByRole("link", { name: `${repo(worst)}:1.0` })).toBeVisible();
  await expect(page.getByRole("list", { name: "Where the image runs" })).toHaveText(new RegExp(`^runs in ${cluster} / ${worst.toLowerCase()} / deployment api$`, "i"));
  await shot(page, "lead-finding");
  expect(violations).toEqual([]);
});

test("an engineer searches a CVE and a package, and sees only their team", async ({ page }) => {
  await signIn(page, await user("engineer", [calm]), password);
  // The CVE exists (the lead finds it), so finding nothing below is the scope at work.
  expect((await sql(`SELECT 1 FROM "Finding" WHERE "vulnerabilityId" = 'CVE-2020-8165' AND status = 'open'`)).length).toBeGreaterThan(0);
  // An engineer's queue opens on their assignments; "All findings" is everything they may see.
  await page.goto("/findings");
  await expect(page).toHaveURL(/assignee=me/);
  await page.getByRole("link", { name: "All findings" }).click();
  await page.getByLabel("Search findings").fill("CVE-2020-8165");
  await page.getByRole("button", { name: "Go" }).click();
  await expect(page).toHaveURL(/q=CVE-2020-8165/);
  // That CVE is in Worst's image only: the engineer of Calm finds nothing.
  await expect(page.getByText("No finding matches this filter.")).toBeVisible();
  await shot(page, "engineer-cve-search");

  await page.goto("/findings?group=vulnerability");
  const groups = page.getByRole("region", { name: "Findings" });
  await expect(groups.getByRole("row").nth(1)).toBeVisible();
  await expect(groups).toContainText("CVE-2019-1551");
  await expect(groups).not.toContainText("CVE-2020-8165");
  await shot(page, "engineer-by-vulnerability");

  await page.goto("/packages");
  await page.getByLabel("Package, optionally with a version or range").fill("libssl1.1 < 1.1.1d");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("row").filter({ hasText: repo(calm) })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: repo(worst) })).toHaveCount(0);
  await shot(page, "engineer-package-search");

  // The export holds the same rows as the list: Calm's, with a header and an as_of column.
  const csv = await page.request.get("/api/ui/findings/export");
  expect(csv.status()).toBe(200);
  const lines = (await csv.text()).trim().split("\n");
  expect(lines[0]).toMatch(/^as_of,id,severity/);
  expect(lines.slice(1).every((l) => l.includes(calm))).toBe(true);
});

test("a manager opens their team's pages and none of another team's", async ({ page }) => {
  await signIn(page, await user("manager", [worst]), password);
  await page.goto("/teams");
  await expect(page.getByRole("row").filter({ hasText: worst })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: calm })).toHaveCount(0);
  await page.getByRole("link", { name: worst }).click();
  await expect(page.getByRole("region", { name: "Team score" })).toBeVisible();
  await shot(page, "manager-team");
  await page.goto("/clusters");
  await page.getByRole("link", { name: cluster }).click();
  // A shared cluster: the manager sees their own namespace, not Calm's.
  await expect(page.getByRole("region", { name: `Namespace ${worst.toLowerCase()}` })).toBeVisible();
  await expect(page.getByRole("region", { name: `Namespace ${calm.toLowerCase()}` })).toHaveCount(0);
  // The runtime filter offers only the namespaces the manager sees, and a priority to pick, not type.
  await expect(page.getByLabel("Namespace", { exact: true }).locator("option")).toHaveText(["Any namespace", worst.toLowerCase()]);
  await page.getByLabel("Priority at least").selectOption("Critical");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/priority=Critical/);
  await expect(page.getByText("No runtime alerts in the last 7 days matching this filter.")).toBeVisible();
  await shot(page, "manager-cluster");
});

test("pages fit a phone's width", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, await user("security_lead", []), password);
  const image = (await sql<{ id: string }>(`SELECT id FROM "Image" LIMIT 1`))[0].id;
  const clusterId = (await sql<{ id: string }>(`SELECT id FROM "Cluster" WHERE name = $1`, [cluster]))[0].id;
  for (const url of ["/", "/images", "/clusters", "/teams", "/findings", "/packages?q=libssl1.1", `/images/${image}`, `/clusters/${clusterId}`, "/reports?period=365"]) {
    await page.goto(url);
    await page.waitForLoadState("networkidle");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${url} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
  }
  await page.goto("/");
  await shot(page, "phone-overview");
});

test("on a 1280-pixel laptop screen, every table shows all its columns without scrolling", async ({ page, playwright, baseURL }) => {
  // The widest rows there are: thousands of findings per severity, a long name and a long tag.
  const api = await playwright.request.newContext({ baseURL });
  const token = admin("create-token", "--name", unique("wide"), "--scope", "ingest");
  const wide = `registry.example.com/${unique("wide")}/a-long-repository-name/for-the-images-table:${"v1.2.3_".repeat(9)}final`;
  const report = generateTrivyReport(path.join(import.meta.dirname, "../fixtures"), wide, 6_000).body;
  expect((await api.post(`/api/v1/scans?team=${encodeURIComponent(worst)}`, { headers: { authorization: `Bearer ${token}` }, data: report })).status()).toBe(201);
  await api.dispose();
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, await user("security_lead", []), password);
  const image = (await sql<{ id: string }>(`SELECT id FROM "Image" LIMIT 1`))[0].id;
  const clusterId = (await sql<{ id: string }>(`SELECT id FROM "Cluster" WHERE name = $1`, [cluster]))[0].id;
  for (const url of ["/", "/images", "/repositories", "/clusters", "/teams", "/findings", "/packages?q=libssl1.1", "/exceptions", "/fixes", "/admin/audit", `/images/${image}`, `/clusters/${clusterId}`]) {
    await page.goto(url);
    await page.waitForLoadState("networkidle");
    // A table too wide for its card scrolls inside it, hiding its last columns (the images list's
    // last scan and clusters, the audit log's details did).
    const hidden = await page.evaluate(() =>
      [...document.querySelectorAll("main table")].map((t) => t.parentElement!).filter((box) => box.scrollWidth > box.clientWidth + 1).map((box) => box.scrollWidth - box.clientWidth),
    );
    expect(hidden, `${url}: tables wider than their cards by ${hidden.join(", ")}px`).toEqual([]);
  }
});
