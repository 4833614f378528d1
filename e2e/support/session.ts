import { expect, type Page } from "@playwright/test";

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
}

/** Signs in through the loopback identity provider's own login page (any password works there). */
export async function ssoSignIn(page: Page, login: string): Promise<void> {
  await page.goto("/login");
  await page.getByRole("button", { name: "Continue with Test IdP" }).click();
  await page.locator("input[name=login]").fill(login);
  await page.locator("input[name=password]").fill("any-password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  // oidc-provider asks for consent once per client and person.
  const consent = page.getByRole("button", { name: "Continue" });
  await page.waitForURL((url) => url.port !== "3211" || url.pathname.startsWith("/interaction/"));
  if (new URL(page.url()).port === "3211" && (await consent.count())) await consent.click();
  await page.waitForURL((url) => url.port !== "3211");
}
