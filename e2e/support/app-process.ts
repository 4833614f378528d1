// App processes of their own for the system tests (replicas, the embedded default, crashes,
// shutdown): started the way an operator starts them, on ports of their own, and watched.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, type Browser } from "@playwright/test";
import pg from "pg";

export const root = path.resolve(import.meta.dirname, "../..");

export interface AppProcess {
  url: string;
  child: ChildProcess;
  /** everything the process printed, stdout and stderr */
  log: () => string;
  exited: Promise<number | null>;
  /** the pid of the process that serves HTTP (scripts/serve.mjs) */
  serverPid: () => number;
}

/**
 * Starts `npm start`'s script (scripts/start.ts: database, migrations, then the server), or, with
 * `serveOnly`, just the server (scripts/serve.mjs) on a database that is ready.
 */
export async function startApp(options: { port: number; env: Record<string, string>; serveOnly?: boolean; timeoutMs?: number }): Promise<AppProcess> {
  const args = options.serveOnly ? [path.join(root, "scripts", "serve.mjs")] : ["--import", "tsx", path.join(root, "scripts", "start.ts")];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", PORT: String(options.port), ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : null))));
  const url = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 240_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited while starting:\n${output}`);
    if (Date.now() > deadline) throw new Error(`the app did not answer /api/health in time:\n${output}`);
    const ok = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    url,
    child,
    log: () => output,
    exited,
    serverPid: () => (options.serveOnly ? child.pid! : childPidOf(child.pid!)),
  };
}

/** The pid of a process's (only) child: start.ts runs the server as its child. */
function childPidOf(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).map(Number);
  expect(children.length).toBeGreaterThan(0);
  return children[0];
}

/** The peak resident memory of a process so far (VmHWM), in MiB. */
export function peakMemoryMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** Signs in with the real sign-in form and returns the Cookie header a browser would send. */
export async function signedInCookie(browser: Browser, baseURL: string, email: string, password: string): Promise<string> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  await context.close();
  return cookie;
}

/** Runs the admin CLI against a database (DATABASE_URL, or the embedded one on its port); returns the last line. */
export async function adminCli(env: Record<string, string>, ...args: string[]): Promise<string> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts", "admin.ts"), ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c) => (stdout += c));
  child.stderr.on("data", (c) => (stderr += c));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`admin ${args.join(" ")} failed (${code}): ${stderr}`);
  return stdout.trim().split("\n").at(-1)!;
}

export async function stopApp(app: AppProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
  if (app.child.exitCode === null) app.child.kill(signal);
  return app.exited;
}

/** One query on a database, on a connection of its own. */
export async function queryDatabase<T extends pg.QueryResultRow>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** A new, empty database on TEST_DATABASE_URL's server, and how to drop it. */
export async function freshDatabase(server: string, label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `portcullis_${label}_${Date.now()}`;
  await queryDatabase(server, `CREATE DATABASE "${name}"`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: async () => void (await queryDatabase(server, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)) };
}
