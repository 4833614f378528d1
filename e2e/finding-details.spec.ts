// A finding's page shows what its scanner said: a misconfiguration's message, how to fix it and
// its reference; a vulnerability's references; a runtime finding's latest alerts with Falco's output,
// and the form that asks for an exception to its rule.
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { admin, unique } from "./support/admin-cli";
import { sql } from "./support/db";
import { signIn } from "./support/session";

const fixture = (name: string) => JSON.parse(readFileSync(path.join(import.meta.dirname, "../fixtures", name), "utf8"));

async function findingPage(page: Page, where: string, params: unknown[]): Promise<void> {
  const [row] = await sql<{ id: string }>(`SELECT f.id FROM "Finding" f ${where}`, params);
  await page.goto(`/findings/${row.id}`);
}

test("a finding's page shows what the scanner said and, for a runtime finding, its latest alerts", async ({ page, request }) => {
  const email = `${unique("notes")}@example.com`;
  admin("create-user", "--email", email, "--password", "notes-password-1", "--role", "security_lead");
  const token = admin("create-token", "--name", unique("notes"), "--scope", "ingest");
  const headers = { authorization: `Bearer ${token}` };

  // A Dockerfile check and two vulnerabilities, as one image's report.
  const image = `registry.example.com/${unique("notes")}/app:1`;
  const report = fixture("trivy/trivy_fluentd-gems.json");
  report.Results.push(...fixture("trivy/trivy_dockerfile.json").Results);
  expect((await request.post(`/api/v1/scans?image=${encodeURIComponent(image)}`, { headers, data: JSON.stringify(report) })).status()).toBe(201);
  // Two alerts of one rule on one pod, a minute apart.
  const cluster = unique("notes-cluster");
  const rule = `Shell in container ${unique("rule")}`;
  for (const [minute, command] of [[1, "bash -i"], [2, "sh -c id"]] as const) {
    const alert = { rule, priority: "Warning", time: `2026-11-20T10:0${minute}:00.000000000Z`, hostname: "node-7", output: `A shell was spawned (command=${command} user=root)`, output_fields: { "k8s.ns.name": "shop", "k8s.pod.name": "checkout-5d9f7c-abcde" } };
    expect((await request.post(`/api/v1/runtime-events?cluster=${cluster}`, { headers, data: JSON.stringify(alert) })).status()).toBe(202);
  }

  await signIn(page, email, "notes-password-1");
  const imageId = `(SELECT i.id FROM "Image" i JOIN "ImageRepository" r ON r.id = i."repositoryId" WHERE r.name = $1)`;
  const repository = image.slice(0, image.lastIndexOf(":"));

  await findingPage(page, `WHERE f."imageId" = ${imageId} AND f."ruleId" = 'DS-0002'`, [repository]);
  const scannerSays = page.getByLabel("What the scanner says");
  await expect(scannerSays).toContainText("MessageSpecify at least 1 USER command in Dockerfile with non-root user as argument");
  await expect(scannerSays).toContainText("How to fixAdd 'USER <non root user name>' line to the Dockerfile");
  await expect(scannerSays.getByRole("link", { name: "https://avd.aquasec.com/misconfig/ds-0002" })).toHaveAttribute("href", "https://avd.aquasec.com/misconfig/ds-0002");
  await page.screenshot({ path: "test-results/screenshots/finding-misconfiguration.png", fullPage: true });

  await findingPage(page, `WHERE f."imageId" = ${imageId} AND f.kind = 'vulnerability' ORDER BY f."ruleId" LIMIT 1`, [repository]);
  await expect(page.getByLabel("What the scanner says").getByRole("link").first()).toHaveAttribute("href", /^https:\/\//);

  await findingPage(page, `JOIN "Cluster" c ON c.id = f."clusterId" WHERE c.name = $1`, [cluster]);
  await expect(page.getByLabel("What the scanner says")).toContainText("Alerts2");
  await expect(page.getByLabel("What the scanner says")).toContainText("Last alertA shell was spawned (command=sh -c id user=root)");
  const alerts = page.getByRole("region", { name: "Recent alerts" }).getByRole("row");
  await expect(alerts).toHaveCount(3);
  await expect(alerts.nth(1)).toContainText("2026-11-20 10:02:00");
  await expect(alerts.nth(1)).toContainText("command=sh -c id");
  await expect(alerts.nth(2)).toContainText("command=bash -i");
  await expect(alerts.nth(2)).toContainText("node-7");
  await page.screenshot({ path: "test-results/screenshots/finding-runtime-alerts.png", fullPage: true });

  // The rule may be excepted across its namespace; once asked, the form empties (no second request by accident).
  await page.getByText("Request an exception").click();
  await page.getByLabel("This rule in a namespace").check();
  await page.getByLabel("Justification", { exact: true }).fill("A debug shell the platform team runs; tracked in SEC-42.");
  await page.getByLabel("End date").fill(new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10));
  await page.getByRole("button", { name: "Request exception" }).click();
  await expect(page.getByRole("region", { name: "Exceptions" }).getByRole("status")).toHaveText("Exception requested: a security lead other than you decides it.");
  await expect(page.getByLabel("Justification", { exact: true })).toHaveValue("");

  // An alert on the host itself has no namespace: its rule can be excepted across the cluster only.
  const hostRule = `Host shell ${unique("rule")}`;
  const hostAlert = { rule: hostRule, priority: "Warning", time: "2026-11-20T11:00:00.000000000Z", hostname: "node-7", output: "A shell on the node", output_fields: {} };
  expect((await request.post(`/api/v1/runtime-events?cluster=${cluster}`, { headers, data: JSON.stringify(hostAlert) })).status()).toBe(202);
  await findingPage(page, `WHERE f."ruleId" = $1`, [hostRule]);
  await page.getByText("Request an exception").click();
  await expect(page.getByRole("group", { name: "Covers" }).getByRole("radio")).toHaveCount(2);
  await expect(page.getByLabel("This rule across the cluster")).toBeVisible();
  await expect(page.getByLabel("This rule in a namespace")).toHaveCount(0);
});
