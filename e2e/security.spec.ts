// The app's own protection, seen from outside: security headers, a CSP that the pages really
// live with (no violations), CSRF refusal, sign-in rate limiting, and no internals in errors.
import { expect, test, type Page } from "@playwright/test";
import { admin, unique } from "./support/admin-cli";
import { sql } from "./support/db";
import { signIn } from "./support/session";

test("pages and API answers carry the security headers", async ({ request }) => {
  const page = await request.get("/login");
  const headers = page.headers();
  const csp = headers["content-security-policy"];
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toContain("unsafe-inline");
  expect(headers["strict-transport-security"]).toMatch(/max-age=\d+/);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("same-origin");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-powered-by"]).toBeUndefined();
  // A fresh nonce per response.
  const again = (await request.get("/login")).headers()["content-security-policy"];
  expect(again).not.toBe(csp);
  const api = (await request.get("/api/health")).headers();
  expect(api["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(api["x-content-type-options"]).toBe("nosniff");
});

test("runtime alerts carry the API's security headers whether Next or the server's direct route answers them", async ({ request }) => {
  const token = admin("create-token", "--name", unique("headers"), "--scope", "ingest");
  const alert = (i: number) => JSON.stringify({ output: "shell", priority: "Notice", rule: "Terminal shell in container", time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString() });
  // The first may load the route's module through Next; the ones after are served directly.
  for (let i = 0; i < 3; i++) {
    for (const headers of [{ authorization: `Bearer ${token}` }, {}] as Record<string, string>[]) {
      const response = await request.post(`/api/v1/runtime-events?cluster=${unique("headers")}`, { headers, data: alert(i) });
      expect(response.status()).toBe("authorization" in headers ? 202 : 401);
      const answer = response.headers();
      expect(answer["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(answer["x-content-type-options"]).toBe("nosniff");
      expect(answer["x-frame-options"]).toBe("DENY");
      expect(answer["strict-transport-security"]).toMatch(/max-age=\d+/);
      expect(answer["cache-control"]).toBe("no-store, no-transform");
    }
  }
});

test("the pages run under the CSP without a single violation", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  const email = `${unique("csp")}@example.com`;
  admin("create-user", "--email", email, "--password", "csp-password-12", "--role", "admin");
  await signIn(page, email, "csp-password-12");
  const team = unique("CSP team");
  admin("create-team", "--name", team);
  const [{ id: teamId }] = await sql<{ id: string }>(`SELECT id FROM "Team" WHERE name = $1`, [team]);
  const pages = ["/", "/images", "/repositories", "/clusters", "/teams", `/teams/${teamId}`, "/findings", "/packages", "/exceptions", "/fixes", "/reports", "/help/score"];
  const adminPages = ["/admin", "/admin/users", "/admin/teams", "/admin/tokens", "/admin/policy", "/admin/webhooks", "/admin/audit"];
  for (const path of [...pages, ...adminPages, "/images/does-not-exist"]) {
    await page.goto(path);
  }
  // Client-side navigation works, so the scripts did run.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Images" }).click();
  await expect(page.getByRole("heading", { name: "Images" })).toBeVisible();
  expect(violations).toEqual([]);
});

test("a state-changing request from another site is refused (CSRF)", async ({ request, baseURL }) => {
  const form = { email: "x@example.com", password: "whatever-password" };
  const foreign = await request.post("/login", { form, headers: { origin: "https://evil.example" }, maxRedirects: 0 });
  expect(foreign.status()).toBe(403);
  expect((await foreign.json()).error.message).toMatch(/Cross-site request refused/);
  const crossSite = await request.post("/admin/users", { form, headers: { origin: baseURL!, "sec-fetch-site": "cross-site" }, maxRedirects: 0 });
  expect(crossSite.status()).toBe(403);
  const noOrigin = await request.post("/login", { form, maxRedirects: 0 });
  expect(noOrigin.status()).toBe(403);
});

/**
 * Submits the sign-in form and waits for the server's answer and for the form to take it (the last
 * answer stays on screen): the answer's headers arrive before React applies it and resets the form.
 */
async function submitSignIn(page: Page): Promise<void> {
  const signInButton = page.getByRole("button", { name: "Sign in", exact: true });
  await Promise.all([page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/login"), signInButton.click()]);
  await expect(signInButton).toBeEnabled();
}

test("repeated failed sign-ins lock the account for a while, with the same answer for unknown emails", async ({ page }) => {
  const email = `${unique("locked")}@example.com`;
  admin("create-user", "--email", email, "--password", "right-password-1", "--role", "engineer");
  for (const who of [email, `${unique("ghost")}@example.com`]) {
    await page.goto("/login");
    // The e2e server allows 3 failures per 15 minutes.
    for (let i = 0; i < 3; i++) {
      await page.getByLabel("Email").fill(who);
      await page.getByLabel("Password").fill("wrong-password-1");
      await submitSignIn(page);
      await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toHaveText("Wrong email or password.");
    }
    await page.getByLabel("Password").fill("right-password-1");
    await submitSignIn(page);
    await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toHaveText(/^Too many sign-in attempts\. Try again in \d+ minutes\.$/);
  }
  await expect(page).toHaveURL(/\/login$/);
});

test("API errors say what was wrong without stack traces or SQL", async ({ request }) => {
  const token = admin("create-token", "--name", unique("err"), "--scope", "ingest");
  const response = await request.post("/api/v1/scans?team=%27%3B%20DROP%20TABLE%20x", {
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    data: Buffer.from('{"SchemaVersion": 2, "Results": ['),
  });
  const text = await response.text();
  expect(response.status(), text).toBe(400);
  expect(JSON.parse(text).error.code).toBeTruthy();
  expect(text).not.toMatch(/at \w+ \(|\.ts:\d+|SELECT|INSERT|prisma/i);
});
