import { expect, test } from "@playwright/test";
import { admin, unique } from "./support/admin-cli";
import { signIn } from "./support/session";

test("every page but /login sends a signed-out visitor to sign in", async ({ page }) => {
  for (const path of ["/", "/images", "/findings", "/admin"]) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/login$/);
  }
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
});

test("wrong credentials get one answer whether or not the account exists", async ({ page }) => {
  const email = `${unique("lead")}@example.com`;
  admin("create-user", "--email", email, "--password", "right-password-1", "--role", "security_lead");
  for (const tried of [email, "nobody@example.com"]) {
    await page.goto("/login");
    await page.getByLabel("Email").fill(tried);
    await page.getByLabel("Password").fill("wrong-password-1");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("Wrong email or password.")).toBeVisible();
    await expect(page).toHaveURL(/\/login$/);
  }
});

test("a user signs in, sees their name and role, and signs out", async ({ page, context }) => {
  const email = `${unique("morgan")}@example.com`;
  admin("create-user", "--email", email, "--password", "manager-password-1", "--role", "manager", "--name", "Morgan Example");
  await signIn(page, email, "manager-password-1");
  await expect(page.getByText("Morgan Example")).toBeVisible();
  await expect(page.getByText(`${email} · Manager`)).toBeVisible();
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name.includes("session_token"));
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe("Lax");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/images");
  await expect(page).toHaveURL(/\/login$/);
});
