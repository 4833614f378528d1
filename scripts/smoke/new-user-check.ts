// npm run smoke:pages — the four demo users open every page of a running Portcullis in Chromium,
// as a new user would after `npm start`: the list pages, then the first image, cluster, team and
// finding they link to. Prints each page's status, console errors (CSP violations among them) and
// uncaught page errors; exits non-zero on any 5xx, error, or a status other than 200 (or 404 for
// an admin page the role does not have). SHOTS=dir saves a full-page screenshot of each.
//
// BASE (default http://127.0.0.1:3400) is the server; the demo users' password is the README's.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "@playwright/test";
import { discoverRoutes } from "../../e2e/support/routes";
import { findChromium } from "../../lib/startup/chromium";

const base = process.env.BASE ?? "http://127.0.0.1:3400";
const shots = process.env.SHOTS;
const PASSWORD = "portcullis-demo";
const USERS = ["admin", "lead", "pat", "morgan"].map((name) => `${name}@portcullis.demo`);
// The detail pages: the first link of each kind on its list page.
const DETAILS = [
  { list: "/images", prefix: "/images/" },
  { list: "/clusters", prefix: "/clusters/" },
  { list: "/teams", prefix: "/teams/" },
  { list: "/findings", prefix: "/findings/" },
];

interface Visit {
  user: string;
  path: string;
  status: number;
  problems: string[];
}

async function main(): Promise<void> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error("no Chromium found");
  const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
  const visits: Visit[] = [];
  try {
    for (const user of USERS) visits.push(...(await visitAll(browser, user)));
  } finally {
    await browser.close();
  }
  const failures = visits.filter((v) => v.problems.length > 0 || !expected(v));
  for (const v of visits) console.log(`${expected(v) && !v.problems.length ? "ok  " : "FAIL"} ${v.status} ${v.user.padEnd(24)} ${v.path}${v.problems.length ? `\n       ${v.problems.join("\n       ")}` : ""}`);
  const ok = visits.filter((v) => v.status === 200).length;
  console.log(`\n${visits.length} page views: ${ok} answered 200, ${visits.filter((v) => v.status === 404).length} answered 404, ${failures.length} failed`);
  if (failures.length) process.exitCode = 1;
}

/** 200, or 404 for an admin page (each role has its own subset of them). */
function expected(v: Visit): boolean {
  return v.status === 200 || (v.status === 404 && v.path.startsWith("/admin"));
}

async function visitAll(browser: Browser, user: string): Promise<Visit[]> {
  const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text().slice(0, 200)}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message.slice(0, 200)}`));
  await signIn(page, user);
  const pages = discoverRoutes().pages.filter((p) => !p.includes("[") && p !== "/login");
  const visits: Visit[] = [];
  const open = async (target: string) => {
    problems.length = 0;
    const response = await page.goto(target, { waitUntil: "networkidle" });
    if (shots) {
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: path.join(shots, `${user.split("@")[0]}${target.replace(/[/?=&]+/g, "_")}.png`), fullPage: true });
    }
    const status = response?.status() ?? 0;
    // The browser logs a page's own 404 as a failed resource; that is the answer, not a problem.
    const own404 = (p: string) => status === 404 && p.includes("status of 404");
    visits.push({ user, path: target, status, problems: problems.filter((p) => !own404(p)) });
  };
  for (const p of pages) await open(p);
  for (const { list, prefix } of DETAILS) {
    await page.goto(list);
    const href = await page.locator(`main a[href^="${prefix}"]`).first().getAttribute("href", { timeout: 5_000 }).catch(() => null);
    if (href) await open(href);
    else visits.push({ user, path: `${prefix}… (no link on ${list})`, status: 200, problems: [] });
  }
  await context.close();
  return visits;
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("heading", { name: "Overview" }).waitFor();
}

main().catch((error: unknown) => {
  console.error(`smoke:pages failed: ${(error as Error).message}`);
  process.exitCode = 1;
});
