// Runs the admin CLI against the database of the server under test, as an operator would.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

export function e2eDatabaseUrl(): string {
  return readFileSync(path.join(root, ".test-output", "e2e-database-url"), "utf8").trim();
}

/** Runs `npm run admin -- ...args` and returns the last line of its output. */
export function admin(...args: string[]): string {
  const stdout = execFileSync(path.join(root, "node_modules/.bin/tsx"), ["scripts/admin.ts", ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: e2eDatabaseUrl() },
    encoding: "utf8",
  });
  return stdout.trim().split("\n").at(-1)!;
}

/** A name no other test uses, so tests share one database without stepping on each other. */
export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}
