// The remediation tracker in the browser: an engineer claims a finding and moves it to in
// progress, marks another not affected with a VEX justification, asks for an exception; a lead
// (not the requester) approves it; the finding shows risk accepted; when the exception's date
// passes, the scheduled job reopens it. Also: bulk actions report what they skipped.
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { admin, unique } from "./support/admin-cli";
import { sql } from "./support/db";
import { signIn } from "./support/session";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "../fixtures", name), "utf8");
const team = unique("Tracker");
const other = unique("Elsewhere");
const password = "tracker-password-1";
const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/tracker-${name}.png`, fullPage: true });

async function user(role: string, teams: string[]): Promise<string> {
  const email = `${unique(role)}@example.com`;
  admin("create-user", "--email", email, "--password", password, "--role", role, ...teams.flatMap((t) => ["--team", t]));
  return email;
}

test.beforeAll(async ({ playwright, baseURL }) => {
  const api = await playwright.request.newContext({ baseURL });
  const token = admin("create-token", "--name", unique("ci"), "--scope", "ingest");
  for (const [name, report] of [[team, "trivy/trivy_alpine-310.json"], [other, "trivy/trivy_debian-buster.json"]] as const) {
    admin("create-team", "--name", name);
    const image = `registry.example.com/${name.toLowerCase()}/api:1.0`;
    const posted = await api.post(`/api/v1/scans?team=${encodeURIComponent(name)}&image=${encodeURIComponent(image)}`, { headers: { authorization: `Bearer ${token}` }, data: fixture(report) });
    expect(posted.status()).toBe(201);
  }
  await api.dispose();
});

const findingsOf = (name: string) =>
  sql<{ id: string; ruleId: string; packageName: string; severity: string }>(`SELECT f.id, f."ruleId", f."packageName", f.severity FROM "Finding" f JOIN "Team" t ON t.id = f."teamId" WHERE t.name = $1 ORDER BY f."ruleId", f."packageName"`, [name]);

test("claim, progress, not affected, an exception approved by a lead, and its expiry reopening the finding", async ({ browser }) => {
  test.setTimeout(240_000);
  const [first, second, third] = await findingsOf(team);
  const engineer = await browser.newPage();
  await signIn(engineer, await user("engineer", [team]), password);

  // Claim and move to in progress.
  await engineer.goto(`/findings/${first.id}`);
  await engineer.getByRole("button", { name: "Assign to me" }).click();
  await expect(engineer.getByRole("list", { name: "Timeline" })).toContainText("claimed by");
  await engineer.getByLabel("New status").selectOption("in_progress");
  await engineer.getByRole("button", { name: "Save status" }).click();
  await expect(engineer.getByTestId("finding-status")).toHaveText("In progress");
  await expect(engineer.getByRole("list", { name: "Timeline" })).toContainText("Status → In progress");
  // It is in the engineer's own queue now.
  await engineer.goto("/findings");
  await expect(engineer.getByRole("link", { name: "Assigned to me" })).toHaveAttribute("aria-current", "page");
  await expect(engineer.getByRole("region", { name: "Findings" }).getByRole("link", { name: first.ruleId })).toBeVisible();
  await shot(engineer, "engineer-queue");

  // Not affected needs a VEX justification and a comment.
  await engineer.goto(`/findings/${second.id}`);
  await engineer.getByLabel("New status").selectOption("not_affected");
  await engineer.getByLabel("Justification (VEX)").selectOption("vulnerable_code_not_in_execute_path");
  await engineer.getByLabel(/Comment/).first().fill("The TLS code path is never used by this service.");
  await engineer.getByRole("button", { name: "Save status" }).click();
  await expect(engineer.getByTestId("finding-status")).toHaveText("Not affected (Vulnerable code not in execute path)");

  // Ask for an exception on the third.
  await engineer.goto(`/findings/${third.id}`);
  await engineer.getByText("Request an exception").click();
  await engineer.getByLabel("Justification", { exact: true }).fill("Internal only; the rebuild lands next sprint.");
  const inTwoWeeks = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
  await engineer.getByLabel("End date").fill(inTwoWeeks);
  await engineer.getByRole("button", { name: "Request exception" }).click();
  await expect(engineer.getByRole("list", { name: "Exceptions" })).toContainText("pending");
  await expect(engineer.getByRole("list", { name: "Timeline" })).toContainText("Exception requested");
  await shot(engineer, "engineer-exception-requested");

  // A security lead approves it from the queue's "awaiting my approval".
  const lead = await browser.newPage();
  await signIn(lead, await user("security_lead", []), password);
  await lead.goto("/findings?queue=approval");
  const request = lead.getByRole("listitem").filter({ hasText: "Internal only; the rebuild lands next sprint." });
  // Before deciding, the lead sees what approving would cover: this one open finding, and its fix.
  await expect(request.getByLabel("Impact if approved")).toHaveText(new RegExp(`^If approved, it covers 1 open finding now: 1 ${third.severity}; (it has a fix|none has a fix)\\.$`));
  await request.getByLabel("Decision note").fill("Fine until the rebuild.");
  await request.getByRole("button", { name: "Approve" }).click();
  // Decided: it leaves the list of requests awaiting approval.
  await expect(request).toHaveCount(0);
  await engineer.goto(`/findings/${third.id}`);
  await expect(engineer.getByTestId("finding-status")).toHaveText("Risk accepted");
  await shot(engineer, "risk-accepted");

  // Its date passes: the scheduled job (every minute) reopens the finding, with a history entry.
  await sql(`UPDATE "RiskException" SET "expiresAt" = now() - interval '1 second' WHERE "findingId" = $1 AND status = 'approved'`, [third.id]);
  await expect(async () => {
    await engineer.goto(`/findings/${third.id}`);
    await expect(engineer.getByTestId("finding-status")).toHaveText("Open", { timeout: 1000 });
  }).toPass({ timeout: 150_000, intervals: [5000] });
  await expect(engineer.getByRole("list", { name: "Timeline" })).toContainText("Exception ended → reopened");
  await shot(engineer, "expired-reopened");
});

test("bulk actions change the user's findings and say what they skipped, and why", async ({ page }) => {
  const theirs = await findingsOf(other);
  expect(theirs.length).toBeGreaterThan(1);
  await sql(`UPDATE "Finding" SET status = 'in_progress' WHERE id = $1`, [theirs[0].id]);
  await signIn(page, await user("engineer", [other]), password);
  // Selected rows: a comment on each.
  await page.goto("/findings?all=1");
  await page.getByRole("checkbox", { name: "Select all on this page" }).check();
  await page.getByLabel("Bulk action", { exact: true }).selectOption("comment");
  await page.getByLabel("Comment").fill("Covered by the upgrade ticket SEC-42.");
  await page.getByRole("button", { name: /Apply to/ }).click();
  const bulk = page.getByRole("group", { name: "Bulk actions" });
  await expect(bulk.getByRole("status")).toContainText(`Changed ${theirs.length} of ${theirs.length}`);
  // Everything matching the filter to in progress: the one already there is skipped, with the reason.
  await page.goto("/findings?all=1");
  await page.getByRole("button", { name: "act on all matching this filter" }).click();
  await page.getByLabel("Bulk action", { exact: true }).selectOption("in_progress");
  await page.getByRole("button", { name: /Apply to/ }).click();
  await expect(bulk.getByRole("status")).toHaveText(`Changed ${theirs.length - 1} of ${theirs.length}. Skipped: 1 already in progress.`);
  await shot(page, "bulk-skipped");
  const statuses = await sql<{ status: string }>(`SELECT status FROM "Finding" WHERE id = ANY($1::text[])`, [theirs.map((f) => f.id)]);
  expect(statuses.every((f) => f.status === "in_progress")).toBe(true);
});
