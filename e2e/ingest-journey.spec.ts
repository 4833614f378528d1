import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { admin, unique } from "./support/admin-cli";
import { signIn } from "./support/session";
import { generateTrivyReport } from "../bench/report-generator";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "../fixtures/trivy", name), "utf8");

test("a Trivy report posted with a CLI-made token appears on /images", async ({ page, request }) => {
  const email = `${unique("admin")}@example.com`;
  admin("create-user", "--email", email, "--password", "admin-password-1", "--role", "admin");
  const token = admin("create-token", "--name", unique("ci"), "--scope", "ingest");
  const repository = `registry.example.com/${unique("shop")}/checkout`;

  await signIn(page, email, "admin-password-1");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Images" }).click();
  await expect(page.getByRole("heading", { name: "Images" })).toBeVisible();
  await expect(page.getByText(repository)).toHaveCount(0);

  const response = await request.post(`/api/v1/scans?image=${encodeURIComponent(`${repository}:1.0.0`)}&cluster=prod&namespace=shop&workload=deployment/checkout`, {
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    data: fixture("trivy_fluentd-gems.json"),
  });
  expect(response.status()).toBe(201);
  expect((await response.json()).findings).toEqual({ total: 2, new: 2, reopened: 0, fixed: 0, unchanged: 0 });

  await page.goto(`/images?q=${encodeURIComponent(repository)}`);
  const row = page.getByRole("row").filter({ hasText: repository });
  await expect(row).toBeVisible();
  await expect(row.getByText("1.0.0")).toBeVisible();
  await expect(row.getByTitle("1 critical")).toBeVisible();
  await expect(row.getByTitle("1 high")).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/images-after-ingest.png", fullPage: true });
});

test("a missing or read-only token cannot post, and nothing appears", async ({ page, request }) => {
  const email = `${unique("lead")}@example.com`;
  admin("create-user", "--email", email, "--password", "lead-password-1", "--role", "security_lead");
  const readToken = admin("create-token", "--name", unique("reader"), "--scope", "read");
  const repository = `registry.example.com/${unique("denied")}/api`;
  const url = `/api/v1/scans?image=${encodeURIComponent(`${repository}:1`)}`;

  const anonymous = await request.post(url, { data: fixture("trivy_alpine-310.json"), headers: { "content-type": "application/json" } });
  expect(anonymous.status()).toBe(401);
  expect((await anonymous.json()).error.code).toBe("unauthorized");
  const readOnly = await request.post(url, { data: fixture("trivy_alpine-310.json"), headers: { authorization: `Bearer ${readToken}` } });
  expect(readOnly.status()).toBe(403);

  await signIn(page, email, "lead-password-1");
  await page.goto(`/images?q=${encodeURIComponent(repository)}`);
  await expect(page.getByText("No image matches this search.")).toBeVisible();
});

test("an engineer sees only the images of their own teams", async ({ page, request }) => {
  const mine = unique("team-a");
  const theirs = unique("team-b");
  admin("create-team", "--name", mine);
  admin("create-team", "--name", theirs);
  const email = `${unique("eng")}@example.com`;
  admin("create-user", "--email", email, "--password", "engineer-password-1", "--role", "engineer", "--team", mine);
  const token = admin("create-token", "--name", unique("ci"), "--scope", "ingest");
  const prefix = `registry.example.com/${unique("scoped")}`;
  for (const [team, name] of [[mine, "ours"], [theirs, "not-ours"]]) {
    const response = await request.post(`/api/v1/scans?team=${team}&image=${encodeURIComponent(`${prefix}/${name}:1`)}`, {
      headers: { authorization: `Bearer ${token}` },
      data: fixture("trivy_debian-buster.json"),
    });
    expect(response.status()).toBe(201);
  }
  await signIn(page, email, "engineer-password-1");
  await page.goto(`/images?q=${encodeURIComponent(prefix)}`);
  await expect(page.getByText(`${prefix}/ours`)).toBeVisible();
  await expect(page.getByText(`${prefix}/not-ours`)).toHaveCount(0);
  await expect(page.getByText("1–1 of 1")).toBeVisible();
});

test("a report over 10 MiB reaches the ingest API whole (no proxy in front of it buffers or cuts it)", async ({ request }) => {
  const token = admin("create-token", "--name", unique("big"), "--scope", "ingest");
  const image = `registry.example.com/${unique("big")}/app:1.0`;
  const report = generateTrivyReport(path.join(import.meta.dirname, "../fixtures"), image, 5000);
  expect(report.body.length).toBeGreaterThan(12 * 1024 * 1024);
  const response = await request.post("/api/v1/scans", {
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    data: Buffer.from(report.body),
  });
  expect(response.status(), await response.text()).toBe(201);
  expect((await response.json()).findings.total).toBe(5000);
  expect(response.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
});
