// Hostile input through the real server and the browser (reliability issue, defect 6): stored
// markup in every report field stays text on every page (no script runs, no javascript: link),
// requests that Node or Next refused with an empty 431 or a bare 500 get JSON errors, and a NUL in
// an address is a 400, not a 500.
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { admin, unique } from "./support/admin-cli";
import { sql } from "./support/db";
import { signIn } from "./support/session";

const XSS = `<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>javascript:window.__xss=1`;

test("markup from reports in every field is shown as text on every page, and no link leaves http(s)", async ({ page, request }) => {
  const email = `${unique("xss")}@example.com`;
  admin("create-user", "--email", email, "--password", "xss-password-12", "--role", "admin");
  const token = admin("create-token", "--name", unique("xss"), "--scope", "ingest");
  const report = JSON.parse(readFileSync(path.join(import.meta.dirname, "../fixtures/trivy/trivy_fluentd-gems.json"), "utf8"));
  for (const result of report.Results) {
    result.Target = `${XSS} target`;
    for (const v of result.Vulnerabilities ?? []) {
      // A CVE of its own: a catalogued CVE keeps the description it was first given.
      Object.assign(v, { VulnerabilityID: `CVE-2099-${Date.now() % 1e9}${Math.floor(Math.random() * 1e6)}`, Title: `${XSS} title`, Description: `${XSS} description`, PkgName: `pkg${XSS}`, InstalledVersion: "1.0", FixedVersion: `2.0${XSS}`, PrimaryURL: "javascript:window.__xss=1", References: ["javascript:window.__xss=1", "https://example.com/ok"] });
    }
  }
  // A misconfiguration too: what the scanner says about it is shown on its page.
  const dockerfile = JSON.parse(readFileSync(path.join(import.meta.dirname, "../fixtures/trivy/trivy_dockerfile.json"), "utf8")).Results[0];
  Object.assign(dockerfile.Misconfigurations[0], { Message: `${XSS} message`, Resolution: `${XSS} resolution`, PrimaryURL: "javascript:window.__xss=1" });
  report.Results.push(dockerfile);
  const repository = `registry.example.com/${unique("xss")}/app`;
  const cluster = unique("xss-cluster");
  const posted = await request.post(`/api/v1/scans?image=${encodeURIComponent(`${repository}:1`)}&cluster=${cluster}&namespace=web&workload=deployment/xss`, {
    headers: { authorization: `Bearer ${token}` },
    data: JSON.stringify(report),
  });
  expect(posted.status()).toBe(201);
  const alert = { rule: `${XSS} rule`, priority: "Critical", time: new Date().toISOString(), output: `${XSS} output`, output_fields: { "k8s.ns.name": "web", "k8s.pod.name": `xss-${XSS}` } };
  expect((await request.post(`/api/v1/runtime-events?cluster=${cluster}`, { headers: { authorization: `Bearer ${token}` }, data: JSON.stringify(alert) })).status()).toBe(202);

  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await signIn(page, email, "xss-password-12");
  const [image] = await sql<{ id: string }>(`SELECT i.id FROM "Image" i JOIN "ImageRepository" r ON r.id = i."repositoryId" WHERE r.name = $1`, [repository]);
  const findings = await sql<{ id: string }>(`SELECT f.id FROM "Finding" f JOIN "Cluster" c ON c.id = f."clusterId" WHERE c.name = $1 UNION ALL SELECT id FROM "Finding" WHERE "imageId" = $2`, [cluster, image.id]);
  const [clusterRow] = await sql<{ id: string }>(`SELECT id FROM "Cluster" WHERE name = $1`, [cluster]);
  const pages = ["/", "/images", `/images?q=${encodeURIComponent(repository)}`, `/images/${image.id}`, `/clusters/${clusterRow.id}`, ...findings.map((f) => `/findings/${f.id}`)];
  for (const url of pages) {
    await page.goto(url);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    // Links are only ever http(s) or the app's own paths.
    const hrefs = await page.locator("a[href]").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
    expect(hrefs.filter((h) => !/^(\/|https?:\/\/|#|\?)/.test(h)), url).toEqual([]);
    expect(await page.locator("img[src=x], script:not([nonce]):not([src])").count(), url).toBe(0);
  }
  // The text itself is there, as text.
  const [vulnerability] = await sql<{ id: string }>(`SELECT id FROM "Finding" WHERE "imageId" = $1 AND kind = 'vulnerability' LIMIT 1`, [image.id]);
  await page.goto(`/findings/${vulnerability.id}`);
  await expect(page.getByText(`${XSS} description`).first()).toBeVisible();
  const [misconfiguration] = await sql<{ id: string }>(`SELECT id FROM "Finding" WHERE "imageId" = $1 AND kind = 'misconfiguration'`, [image.id]);
  await page.goto(`/findings/${misconfiguration.id}`);
  await expect(page.getByText(`${XSS} resolution`)).toBeVisible();
  await expect(page.getByText("javascript:window.__xss=1", { exact: true })).toBeVisible(); // the reference, as text
  await page.screenshot({ path: "test-results/screenshots/finding-with-markup.png", fullPage: true });
  expect(dialogs).toEqual([]);
});

test("a server action whose Origin does not match the forwarded host is refused with 403, not a 500", async ({ request, baseURL }) => {
  const login = await (await request.get("/login")).text();
  const actionId = /\$ACTION_ID_([0-9a-f]+)/.exec(login)?.[1];
  expect(actionId).toBeTruthy();
  // Sent to the app under another name than its public URL, and forwarded as meant for another site.
  const host = `localhost:${new URL(baseURL!).port}`;
  const response = await request.post("/login", {
    headers: { "next-action": actionId!, host, origin: `http://${host}`, "x-forwarded-host": "evil.example", "content-type": "text/plain;charset=UTF-8" },
    data: "[]",
    maxRedirects: 0,
  });
  expect(response.status()).toBe(403);
  expect((await response.json()).error.message).toMatch(/Cross-site request refused/);
});

test("a request line over 16 KiB is answered with a JSON 431", async ({ baseURL }) => {
  const response = await fetch(`${baseURL}/api/v1/scans?cluster=${"x".repeat(50_000)}`, { method: "POST", body: "{}" });
  expect(response.status).toBe(431);
  expect(response.headers.get("content-type")).toContain("application/json");
  expect((await response.json()).error).toEqual({ code: "header_too_large", message: expect.stringMatching(/over 16 KiB/) });
});

test("a NUL (%00) in a page's address is a 400 that says so, on every page that filters by its query", async ({ page }) => {
  const email = `${unique("nul")}@example.com`;
  admin("create-user", "--email", email, "--password", "nul-password-123", "--role", "admin");
  await signIn(page, email, "nul-password-123");
  const cluster = (await sql<{ id: string }>(`SELECT id FROM "Cluster" LIMIT 1`))[0]?.id ?? "none";
  for (const url of ["/images?q=%00", "/findings?rule=CVE%00", "/findings?q=a%00b", "/packages?q=%00", `/clusters/${cluster}?priority=%00`, "/admin/audit?target=%00"]) {
    const response = await page.goto(url);
    expect(response?.status(), url).toBe(400);
    await expect(page.getByText(/holds a NUL character \(%00\)/)).toBeVisible();
  }
});
