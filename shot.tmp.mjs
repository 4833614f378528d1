import { chromium } from "@playwright/test";
const [,, base, email, ...paths] = process.argv;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium" });
const page = await browser.newPage({ viewport: { width: Number(process.env.W ?? 1400), height: 900 } });
await page.goto(base + "/login");
await page.getByLabel("Email").fill(email);
await page.getByLabel("Password").fill(process.env.PW ?? "demo-password-123");
await page.getByRole("button", { name: /sign in/i }).click();
await page.waitForURL((u) => !u.pathname.startsWith("/login"));
for (const p of paths) {
  const t = Date.now();
  const r = await page.goto(base + p, { waitUntil: "networkidle" });
  console.log(p, r.status(), Date.now() - t, "ms");
  await page.screenshot({ path: `/tmp/shot-${p.replace(/[^a-z0-9]/gi, "_")}.png`, fullPage: true });
}
await browser.close();
