// Each role's sign-in and what it sees: the navigation, the images of its teams only, and the
// admin sections its role allows. Screenshots go to test-results/screenshots/ for review.
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { admin, unique } from "./support/admin-cli";
import { signIn } from "./support/session";

const fixture = readFileSync(path.join(import.meta.dirname, "../fixtures/trivy/trivy_fluentd-gems.json"), "utf8");
const mine = unique("Checkout");
const theirs = unique("Search");
const repo = (team: string) => `registry.example.com/${team.toLowerCase()}/service`;

test.beforeAll(async ({ playwright, baseURL }) => {
  const api = await playwright.request.newContext({ baseURL });
  for (const team of [mine, theirs]) {
    admin("create-team", "--name", team);
    const token = admin("create-token", "--name", unique("ci"), "--scope", "ingest", "--team", team);
    const posted = await api.post(`/api/v1/scans?image=${encodeURIComponent(`${repo(team)}:2.1`)}`, { headers: { authorization: `Bearer ${token}` }, data: fixture });
    expect(posted.status()).toBe(201);
  }
  await api.dispose();
});

const JOURNEYS = [
  { role: "admin", label: "Admin", teams: [], seesBoth: true, adminTabs: ["Summary", "Users", "Teams", "API tokens", "Policy", "Webhooks", "Audit log"] },
  { role: "security_lead", label: "Security lead", teams: [], seesBoth: true, adminTabs: ["Summary", "API tokens", "Policy", "Webhooks", "Audit log"] },
  { role: "engineer", label: "Engineer", teams: [mine], seesBoth: false, adminTabs: null },
  { role: "manager", label: "Manager", teams: [mine], seesBoth: false, adminTabs: null },
] as const;

for (const journey of JOURNEYS) {
  test(`${journey.label}: signs in and sees what the role allows`, async ({ page }) => {
    const email = `${unique(journey.role)}@example.com`;
    admin("create-user", "--email", email, "--password", "journey-password-1", "--role", journey.role, ...journey.teams.flatMap((t) => ["--team", t]));
    await signIn(page, email, "journey-password-1");
    await expect(page.getByText(`${email} · ${journey.label}`)).toBeVisible();
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Admin" })).toHaveCount(journey.adminTabs ? 1 : 0);
    await page.screenshot({ path: `test-results/screenshots/role-${journey.role}-overview.png`, fullPage: true });

    await nav.getByRole("link", { name: "Images" }).click();
    await expect(page.getByRole("heading", { name: "Images" })).toBeVisible();
    await expect(page.getByRole("link", { name: repo(mine) })).toBeVisible();
    await expect(page.getByRole("link", { name: repo(theirs) })).toHaveCount(journey.seesBoth ? 1 : 0);
    await page.goto(`/images?q=${encodeURIComponent(repo(theirs))}`);
    await expect(page.getByRole("link", { name: repo(theirs) })).toHaveCount(journey.seesBoth ? 1 : 0);
    await page.goto(`/images?q=${encodeURIComponent(repo(mine))}`);
    await page.getByRole("link", { name: repo(mine) }).click();
    await expect(page.getByRole("heading", { name: repo(mine) })).toBeVisible();
    await expect(page.getByRole("region", { name: "Open findings" }).getByRole("link", { name: mine, exact: true })).toBeVisible();
    await page.screenshot({ path: `test-results/screenshots/role-${journey.role}-image.png`, fullPage: true });

    if (journey.adminTabs) {
      await nav.getByRole("link", { name: "Admin" }).click();
      const tabs = page.getByRole("navigation", { name: "Admin sections" }).getByRole("link");
      await expect(tabs).toHaveText([...journey.adminTabs]);
      await page.screenshot({ path: `test-results/screenshots/role-${journey.role}-admin.png`, fullPage: true });
    } else {
      const response = await page.goto("/admin");
      expect(response?.status()).toBe(404);
      await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
    }
  });
}
