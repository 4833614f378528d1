// An admin at work in /admin: creates a person, mints an API token that is shown once, sees it
// used and revokes it, disables a signed-in user (who is out at their next click), and finds it
// all in the audit log.
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { admin, unique } from "./support/admin-cli";
import { signIn } from "./support/session";

const trivy = readFileSync(path.join(import.meta.dirname, "../fixtures/trivy/trivy_alpine-310.json"), "utf8");

test("an admin manages people and tokens from /admin, and the audit log shows it", async ({ page, browser, request }) => {
  const adminEmail = `${unique("root")}@example.com`;
  admin("create-user", "--email", adminEmail, "--password", "admin-password-1", "--role", "admin");
  const team = unique("Ops");
  admin("create-team", "--name", team);
  await signIn(page, adminEmail, "admin-password-1");

  // A new engineer, made through the form.
  const engineer = `${unique("new-eng")}@example.com`;
  await page.goto("/admin/users");
  const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Create user" }) });
  await form.getByLabel("Email").fill(engineer);
  await form.getByLabel("Initial password").fill("password1234");
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(form.getByRole("alert").filter({ hasText: /\S/ })).toHaveText("the password is too easy to guess");
  await form.getByLabel("Initial password").fill("engineer-password-1");
  await form.getByLabel(team).check();
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(form.getByRole("status")).toHaveText(`Created ${engineer}.`);
  const row = page.getByRole("row").filter({ hasText: engineer });
  await expect(row.getByLabel(`Role of ${engineer}`)).toHaveValue("engineer");
  await expect(row.getByLabel(team)).toBeChecked();
  await page.screenshot({ path: "test-results/screenshots/admin-users.png", fullPage: true });

  // The engineer signs in elsewhere; disabling them ends that session at their next request.
  const other = await browser.newContext();
  const engineerPage = await other.newPage();
  await signIn(engineerPage, engineer, "engineer-password-1");
  await row.getByRole("button", { name: `Disable ${engineer}` }).click();
  await expect(row.getByRole("status")).toHaveText("Disabled and signed out everywhere.");
  await engineerPage.reload();
  await expect(engineerPage).toHaveURL(/\/login$/);
  await other.close();

  // A token: shown once, works, then revoked and refused.
  await page.goto("/admin/tokens");
  const name = unique("pipeline");
  const tokenForm = page.locator("form").filter({ has: page.getByRole("button", { name: "Create token" }) });
  await tokenForm.getByLabel("Name").fill(name);
  await tokenForm.getByLabel("Team").selectOption(team);
  await tokenForm.getByLabel("Expires in days").fill("30");
  await tokenForm.getByRole("button", { name: "Create token" }).click();
  const secret = (await page.getByTestId("new-token").innerText()).trim();
  expect(secret).toMatch(/^pcl_[A-Za-z0-9_-]{43}$/);
  await page.screenshot({ path: "test-results/screenshots/admin-token-created.png", fullPage: true });
  // Its own image: the same fixture posted by other tests belongs to their teams.
  const image = encodeURIComponent(`registry.example.com/${name}/app:1.0`);
  const post = () => request.post(`/api/v1/scans?image=${image}`, { headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" }, data: Buffer.from(trivy) });
  expect((await post()).status()).toBe(201);
  await page.reload();
  expect(await page.content()).not.toContain(secret);
  const tokenRow = page.getByRole("row").filter({ hasText: name });
  await expect(tokenRow).toContainText(`team ${team}`);
  await expect(tokenRow).toContainText("just now");
  await tokenRow.getByRole("button", { name: `Revoke ${name}` }).click();
  await expect(tokenRow).toContainText("revoked");
  expect((await post()).status()).toBe(401);

  // Every step is in the audit log, with who did it and from where.
  await page.goto("/admin/audit");
  await page.getByLabel("Actor").fill(adminEmail);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/actor=/);
  const actions = page.getByRole("row").locator("td:nth-child(2)");
  await expect(actions).toHaveText(["token.revoked", "token.created", "user.disabled", "user.created", "auth.sign_in"]);
  await page.screenshot({ path: "test-results/screenshots/admin-audit.png", fullPage: true });
  await page.getByLabel("Action").selectOption("token.first_used");
  await page.getByLabel("Actor").fill("");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByRole("row").filter({ hasText: `token ${secret.slice(0, 12)}` })).toHaveCount(1);
});

test("a security lead sets SLA days and an ownership rule that new scans follow", async ({ page, request }) => {
  const lead = `${unique("lead")}@example.com`;
  admin("create-user", "--email", lead, "--password", "lead-password-12", "--role", "security_lead");
  const team = unique("Billing");
  admin("create-team", "--name", team);
  await signIn(page, lead, "lead-password-12");
  await page.goto("/admin/policy");
  await page.getByRole("region", { name: /SLA: days to fix/ }).getByLabel("Critical").fill("5");
  await page.getByRole("button", { name: "Save SLA" }).click();
  await expect(page.getByRole("status").filter({ hasText: "SLA days saved." })).toBeVisible();

  // A team's own days, beside the organisation's.
  const teamSla = page.getByRole("region", { name: "A team's own SLA days" });
  await teamSla.getByLabel("Team").selectOption(team);
  await teamSla.getByLabel("Critical").fill("2");
  await teamSla.getByRole("button", { name: "Save team SLA" }).click();
  await expect(teamSla.getByRole("status")).toContainText("Team SLA saved");
  await expect(teamSla.getByRole("list", { name: "Team SLA overrides" })).toContainText(`${team}: critical 2 days`);

  const prefix = `registry.example.com/${team.toLowerCase()}/`;
  await page.getByRole("region", { name: "Ownership rules" }).getByLabel("Team").selectOption(team);
  await page.getByLabel("Repository prefix").fill(prefix);
  await page.getByRole("button", { name: "Add rule" }).click();
  await expect(page.getByRole("row").filter({ hasText: prefix })).toContainText(team);
  await page.screenshot({ path: "test-results/screenshots/admin-policy.png", fullPage: true });

  const token = admin("create-token", "--name", unique("ci"), "--scope", "ingest");
  const posted = await request.post(`/api/v1/scans?image=${encodeURIComponent(`${prefix}invoices:3.0`)}`, {
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    data: Buffer.from(trivy),
  });
  expect(posted.status()).toBe(201);
  await page.goto(`/images?q=${encodeURIComponent(`${prefix}invoices`)}`);
  await expect(page.getByRole("row").filter({ hasText: `${prefix}invoices` })).toContainText(team);
});
