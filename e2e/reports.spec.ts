// A manager reads trend reports: switches team and period, downloads a table as CSV and the
// report as a PDF, and every chart is photographed for review. The history is made by posting
// real reports (and moving the first one's times a month back, as if it had been sent then).
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { admin, unique } from "./support/admin-cli";
import { sql } from "./support/db";
import { signIn } from "./support/session";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "../fixtures", name), "utf8");
const shots = path.join(import.meta.dirname, "../.test-output/screenshots");

test("a manager opens reports, switches team and period, and downloads the CSV and the PDF", async ({ page, playwright, baseURL }) => {
  test.setTimeout(120_000);
  const [mine, other] = [unique("Trend"), unique("Other")];
  for (const team of [mine, other]) admin("create-team", "--name", team);
  const api = await playwright.request.newContext({ baseURL });
  const post = async (team: string, body: unknown) => {
    const token = admin("create-token", "--name", unique("ci"), "--scope", "ingest", "--team", team);
    const answer = await api.post(`/api/v1/scans?image=${encodeURIComponent(`registry.example.com/${team.toLowerCase()}/api:1.0`)}`, { headers: { authorization: `Bearer ${token}` }, data: JSON.stringify(body) });
    expect(answer.status(), await answer.text()).toBeLessThan(300);
  };
  const full = JSON.parse(fixture("trivy/trivy_debian-buster.json"));
  await post(mine, full);
  await post(other, full);
  // The first scan happened a month ago.
  await sql(`UPDATE "Finding" SET "firstSeenAt" = "firstSeenAt" - interval '30 days', "statusChangedAt" = "statusChangedAt" - interval '30 days' WHERE "teamId" IN (SELECT id FROM "Team" WHERE name = ANY($1))`, [[mine, other]]);
  await sql(`UPDATE "FindingEpisode" e SET "openedAt" = e."openedAt" - interval '30 days' FROM "Finding" f JOIN "Team" t ON t.id = f."teamId" WHERE f.id = e."findingId" AND t.name = ANY($1)`, [[mine, other]]);
  // Now one vulnerability of the team's image is fixed.
  await post(mine, { ...full, Results: full.Results.map((r: { Vulnerabilities?: unknown[] }) => ({ ...r, Vulnerabilities: r.Vulnerabilities?.slice(1) })) });
  await sql(`SELECT posture_daily_rebuild(NULL)`);

  const email = `${unique("manager")}@example.com`;
  admin("create-user", "--email", email, "--password", "report-password-1", "--role", "manager", "--team", mine);
  await signIn(page, email, "report-password-1");
  await page.goto("/reports");
  await expect(page.getByRole("heading", { name: "Reports" })).toBeVisible();
  // A manager's scope: their teams only; another team is not even offered.
  const scope = page.getByRole("combobox", { name: "Scope", exact: true });
  await expect(scope.locator("option")).toHaveText(["All my teams", `Team ${mine}`]);
  const summary = page.getByRole("region", { name: "Summary" });
  await expect(summary).toContainText("Fixed");

  await scope.selectOption({ label: `Team ${mine}` });
  await page.getByRole("combobox", { name: "Period", exact: true }).selectOption("30");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/scope=team%3A.+&period=30/);
  const fixed = summary.locator("div", { hasText: /^Fixed/ }).first();
  await expect(fixed).toContainText("1");
  await expect(page.getByRole("region", { name: "Teams" })).toContainText(mine);
  await expect(page.getByRole("region", { name: "Teams" })).not.toContainText(other);

  // Legends read in the order of the domain, not alphabetically ("critical, high, low, medium" before).
  const legend = (label: string) => page.getByRole("figure", { name: label }).locator(".recharts-legend-item-text");
  await expect(legend("Open findings by severity over time")).toHaveText(["critical", "high", "medium", "low", "risk accepted"]);
  await expect(legend("New, reopened and fixed per week")).toHaveText(["new", "reopened", "fixed"]);
  // Each chart, photographed (for review of how it looks).
  for (const label of ["Open findings by severity over time", "New, reopened and fixed per week", "Days to remediate by severity", "SLA compliance per week", "Open findings by age"]) {
    const chart = page.getByRole("figure", { name: label });
    await expect(chart.locator("svg").first()).toBeVisible();
    await chart.screenshot({ path: path.join(shots, `report-${label.toLowerCase().replace(/[^a-z]+/g, "-")}.png`) });
  }
  await page.screenshot({ path: path.join(shots, "reports.png"), fullPage: true });

  // CSV of the weekly table: the page's numbers, each row with as_of.
  const download = page.waitForEvent("download");
  await page.getByRole("region", { name: "New, reopened and fixed per week" }).getByRole("link", { name: "CSV" }).click();
  const csv = readFileSync(await (await download).path(), "utf8").trim().split("\n");
  expect(csv[0]).toBe("week,new,reopened,fixed,false positive or not affected,risk accepted,as_of");
  expect(csv.slice(1).reduce((sum, line) => sum + Number(line.split(",")[3]), 0)).toBe(1);
  expect(csv[1]).toMatch(/,\d{4}-\d{2}-\d{2}T[\d:.]+Z$/);

  // The PDF, through the print stylesheet, and a picture of the print layout (no tooltip left open).
  await page.mouse.move(0, 0);
  await page.emulateMedia({ media: "print" });
  await page.screenshot({ path: path.join(shots, "reports-print.png"), fullPage: true });
  const pdf = await page.pdf({ format: "A4", printBackground: true, path: path.join(shots, "reports.pdf") });
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  expect(pages).toBeGreaterThanOrEqual(2);
  expect(pages).toBeLessThanOrEqual(6);
  await api.dispose();
});

test("another team's report answers 404 to a manager", async ({ page }) => {
  const [mine, other] = [unique("Mine"), unique("Theirs")];
  for (const team of [mine, other]) admin("create-team", "--name", team);
  const [{ id }] = await sql<{ id: string }>(`SELECT id FROM "Team" WHERE name = $1`, [other]);
  const email = `${unique("manager")}@example.com`;
  admin("create-user", "--email", email, "--password", "report-password-1", "--role", "manager", "--team", mine);
  await signIn(page, email, "report-password-1");
  const response = await page.goto(`/reports?scope=team:${id}`);
  expect(response?.status()).toBe(404);
  const csv = await page.request.get(`/api/ui/reports/export?scope=team:${id}&table=summary`);
  expect(csv.status()).toBe(404);
});
