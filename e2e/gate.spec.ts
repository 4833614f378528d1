// The pipeline's view: a lead edits a team's gate policy in /admin/policy and the next gate call
// changes its answer; the image page lists the decisions; the API reference renders under the CSP;
// a webhook added on /admin/webhooks receives a signed event through the job queue.
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { admin, unique } from "./support/admin-cli";
import { signIn } from "./support/session";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "../fixtures", name), "utf8");
const shots = path.join(import.meta.dirname, "../.test-output/screenshots");

test("a lead edits a team's gate policy and the next gate call follows it", async ({ page, playwright, baseURL }) => {
  const team = unique("Gate");
  const policy = unique("lenient").toLowerCase();
  admin("create-team", "--name", team);
  const ingest = admin("create-token", "--name", unique("ci"), "--scope", "ingest", "--team", team);
  const read = admin("create-token", "--name", unique("gate"), "--scope", "read", "--team", team);
  const image = `registry.example.com/${team.toLowerCase()}/api:1.0`;
  const api = await playwright.request.newContext({ baseURL });
  const posted = await api.post(`/api/v1/scans?image=${encodeURIComponent(image)}`, { headers: { authorization: `Bearer ${ingest}` }, data: fixture("trivy/trivy_fluentd-gems.json") });
  expect(posted.status()).toBe(201);
  const ask = async () => (await api.get(`/api/v1/gate?image=${encodeURIComponent(image)}`, { headers: { authorization: `Bearer ${read}` } })).json();

  const before = await ask();
  expect(before.decision).toBe("fail");
  expect(before.policy).toEqual({ name: "default", version: 1 });
  expect(before.violations[0].rule).toBe("open critical vulnerability with a fix");

  const email = `${unique("lead")}@example.com`;
  admin("create-user", "--email", email, "--password", "gate-password-1", "--role", "security_lead");
  await signIn(page, email, "gate-password-1");
  await page.goto("/admin/policy");
  await page.getByLabel("New policy").fill(policy);
  await page.getByRole("button", { name: "Create from the default" }).click();
  const section = page.getByRole("region", { name: `Gate policy ${policy}` });
  await expect(section).toBeVisible();
  // The team is judged by the new policy…
  const teamForm = page.locator("form", { has: page.getByRole("button", { name: "Set team policy" }) });
  await teamForm.getByLabel("Team").selectOption(team);
  await teamForm.getByLabel("Judged by").selectOption(policy);
  await teamForm.getByRole("button", { name: "Set team policy" }).click();
  await expect(teamForm.getByRole("status")).toContainText(`is judged by the ${policy} policy`);
  // …whose critical rule only warns.
  await section.getByLabel("Action of rule 1").selectOption("warn");
  await section.getByRole("button", { name: "Save as version 2" }).click();
  await expect(section.getByRole("status")).toContainText("saved as version 2");
  await page.screenshot({ path: path.join(shots, "admin-gate-policy.png"), fullPage: true });

  const after = await ask();
  expect(after.decision).toBe("warn");
  expect(after.policy).toEqual({ name: policy, version: 2 });
  expect(after.violations.map((v: { action: string; rule: string }) => `${v.action}: ${v.rule}`)).toEqual(["warn: open critical vulnerability with a fix"]);

  // The image page lists both answers, newest first.
  await page.goto("/images");
  await page.getByRole("link", { name: new RegExp(`${team.toLowerCase()}/api`) }).first().click();
  const decisions = page.getByRole("list", { name: "Recent gate decisions" });
  await expect(decisions.getByRole("listitem")).toHaveCount(2);
  await expect(decisions.getByRole("listitem").first()).toContainText(`policy ${policy} v2`);
  await expect(decisions.getByRole("listitem").nth(1)).toContainText("fail");
  await decisions.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, "image-gate-decisions.png"), fullPage: true });
  await api.dispose();
});

test("the API reference renders offline under the strict CSP", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.goto("/api/docs");
  await expect(page.getByRole("heading", { name: /Portcullis API/ })).toBeVisible();
  await expect(page.locator(".opblock").filter({ hasText: "/api/v1/gate" })).toBeVisible();
  await page.locator(".opblock-summary").filter({ hasText: "/api/v1/gate" }).click();
  await expect(page.getByText("format", { exact: true }).first()).toBeVisible();
  await page.screenshot({ path: path.join(shots, "api-docs.png"), fullPage: false });
  expect(violations).toEqual([]);
});

test("a lead adds a webhook, sees its secret once, and the job queue delivers a signed event", async ({ page, playwright, baseURL }) => {
  const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
  const receiver = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const team = unique("Hooks");
  admin("create-team", "--name", team);
  const email = `${unique("lead")}@example.com`;
  admin("create-user", "--email", email, "--password", "hook-password-1", "--role", "security_lead");
  await signIn(page, email, "hook-password-1");
  await page.goto("/admin/webhooks");
  const form = page.locator("form", { has: page.getByRole("button", { name: "Add webhook" }) });
  await form.getByLabel("Name").fill("team alerts");
  await form.getByLabel("URL").fill(url);
  await form.getByLabel("Events of").selectOption(team);
  await form.getByRole("button", { name: "Add webhook" }).click();
  const secret = (await page.getByTestId("webhook-secret").textContent())!.trim();
  expect(secret).toMatch(/^whsec_/);
  await page.reload();
  await expect(page.getByTestId("webhook-secret")).toHaveCount(0);

  const ingest = admin("create-token", "--name", unique("ci"), "--scope", "ingest", "--team", team);
  const api = await playwright.request.newContext({ baseURL });
  const image = `registry.example.com/${team.toLowerCase()}/api:2.0`;
  expect((await api.post(`/api/v1/scans?image=${encodeURIComponent(image)}`, { headers: { authorization: `Bearer ${ingest}` }, data: fixture("trivy/trivy_fluentd-gems.json") })).status()).toBe(201);
  await expect.poll(() => received.length, { timeout: 30_000 }).toBe(1);
  const [event] = received;
  const body = JSON.parse(event.body);
  expect(body).toMatchObject({ event: "finding.new_critical", data: { count: 1 } });
  const expected = `sha256=${createHmac("sha256", secret).update(`${event.headers["x-portcullis-timestamp"]}.${event.body}`).digest("hex")}`;
  expect(event.headers["x-portcullis-signature"]).toBe(expected);
  await page.reload();
  const log = page.getByRole("table", { name: "Webhook deliveries" });
  await expect(log.getByRole("row").filter({ hasText: "finding.new_critical" }).first()).toContainText("delivered");
  await page.screenshot({ path: path.join(shots, "admin-webhooks.png"), fullPage: true });
  await api.dispose();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});
