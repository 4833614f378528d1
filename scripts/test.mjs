// npm test: unit and integration tests (vitest), a production build, then browser tests
// (Playwright with Debian's Chromium). Ends with one line "N passed, N failed" over all suites.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

const root = process.cwd();
const out = path.join(root, ".test-output");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

function run(label, command, args, extraEnv = {}) {
  console.log(`\n=== ${label} ===`);
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...env, ...extraEnv } });
  return result.status === 0;
}

function readJson(file) {
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : null;
}

let passed = 0;
let failed = 0;
const problems = [];

run("unit and integration tests (vitest)", bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile=${path.join(out, "vitest.json")}`]);
const vitest = readJson(path.join(out, "vitest.json"));
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
  if (vitest.numTotalTests === 0) problems.push("vitest ran no test");
  if (!vitest.success && vitest.numFailedTests === 0) problems.push("vitest failed outside a test (setup or a suite error)");
} else problems.push("vitest produced no report");

const built = run("production build (next build)", bin("next"), ["build"]);
if (!built) problems.push("next build failed, so the browser tests did not run");
else {
  run("browser tests (Playwright)", bin("playwright"), ["test"]);
  const report = readJson(path.join(out, "playwright.json"));
  if (report) {
    passed += report.stats.expected;
    failed += report.stats.unexpected + report.stats.flaky;
    if (report.stats.expected + report.stats.unexpected === 0) problems.push("Playwright ran no test");
    if (report.errors?.length) problems.push(`Playwright errors: ${report.errors.map((e) => e.message?.split("\n")[0]).join("; ")}`);
  } else problems.push("Playwright produced no report (is Chromium installed? see the message above)");
}

for (const p of problems) console.error(`problem: ${p}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && problems.length === 0 ? 0 : 1);
