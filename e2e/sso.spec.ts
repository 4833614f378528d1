// Single sign-on against a real OpenID Connect provider on loopback (e2e/support/identity-provider):
// the groups claim decides the role and the teams; no mapped role means no way in.
import { expect, test } from "@playwright/test";
import { admin } from "./support/admin-cli";
import { sql } from "./support/db";
import { ssoSignIn } from "./support/session";

test.beforeAll(() => {
  // The provider maps idp-payments to the team "Payments"; another test may have made it already.
  try {
    admin("create-team", "--name", "Payments");
  } catch {
    /* exists */
  }
});

test("a security lead signs in through the provider and gets the lead's role", async ({ page }) => {
  await ssoSignIn(page, "sso-lead");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByText("sso-lead@idp.test · Security lead")).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" })).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/sso-security-lead.png", fullPage: true });
  const [entry] = await sql<{ details: { method: string } }>(`SELECT details FROM "AuditLog" WHERE action = 'auth.sign_in' AND "actorLabel" = 'sso-lead@idp.test' ORDER BY id DESC LIMIT 1`);
  expect(entry.details.method).toBe("sso");
});

test("a developer gets the engineer role and exactly the teams their groups map to", async ({ page }) => {
  await ssoSignIn(page, "sso-dev");
  await expect(page.getByText("sso-dev@idp.test · Engineer")).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" })).toHaveCount(0);
  const teams = await sql<{ name: string }>(
    `SELECT t.name FROM "TeamMembership" m JOIN "Team" t ON t.id = m."teamId" JOIN "User" u ON u.id = m."userId" WHERE u.email = 'sso-dev@idp.test'`,
  );
  expect(teams.map((t) => t.name)).toEqual(["Payments"]);
  expect((await page.request.get("/admin", { maxRedirects: 0 })).status()).toBe(404);
});

test("someone whose groups map to no role is turned away and the refusal is audited", async ({ page }) => {
  await ssoSignIn(page, "sso-nobody");
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toContainText("Single sign-on did not sign you in");
  expect((await page.request.get("/", { maxRedirects: 0 })).status()).toBe(307);
  const [entry] = await sql<{ details: { reason: string } }>(`SELECT details FROM "AuditLog" WHERE action = 'auth.sign_in_failed' AND details->>'email' = 'sso-nobody@idp.test' ORDER BY id DESC LIMIT 1`);
  expect(entry.details.reason).toBe("no mapped role");
  await page.screenshot({ path: "test-results/screenshots/sso-refused.png" });
});

test("an unverified email at the provider cannot take over the local account with that email", async ({ page }) => {
  admin("create-user", "--email", "local-admin@idp.test", "--password", "sturdy-passphrase-9", "--role", "admin");
  await ssoSignIn(page, "sso-impostor");
  await expect(page).toHaveURL(/\/login/);
  expect((await page.request.get("/", { maxRedirects: 0 })).status()).toBe(307);
  const accounts = await sql<{ providerId: string; role: string }>(
    `SELECT a."providerId", u.role FROM "Account" a JOIN "User" u ON u.id = a."userId" WHERE u.email = 'local-admin@idp.test'`,
  );
  expect(accounts).toEqual([{ providerId: "credential", role: "admin" }]);
});
