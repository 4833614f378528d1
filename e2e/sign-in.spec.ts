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

test("what is typed while a sign-in is pending is not wiped by its answer: the fields wait, read-only", async ({ page }) => {
  await page.goto("/login");
  // Hold the answer back, so the pending state lasts long enough to look at.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/login", async (route) => {
    if (route.request().method() !== "POST") return route.fallback();
    const response = await route.fetch();
    await held;
    await route.fulfill({ response });
  });
  const email = `${unique("pending")}@example.com`;
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("wrong-password-1");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("button", { name: "Signing in…" })).toBeDisabled();
  await expect(page.getByLabel("Email")).not.toBeEditable();
  await expect(page.getByLabel("Password")).not.toBeEditable();
  release();
  await expect(page.getByText("Wrong email or password.")).toBeVisible();
  await expect(page.getByLabel("Password")).toBeEditable();
  await expect(page.getByLabel("Email")).toHaveValue(email);
});
