// The production server: built when the build is missing or older than its sources, then served.
import { spawn, spawnSync, type ChildProcess, type StdioOptions } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const SOURCES = ["app", "components", "lib", "public", "proxy.ts", "instrumentation.ts", "package-lock.json", "next.config.ts", "postcss.config.mjs", "tsconfig.json"];

export function needsBuild(root: string): boolean {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  return SOURCES.some((s) => newestMtime(path.join(root, s)) > built);
}

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(target)
    .filter((name) => name !== "generated")
    .reduce((newest, name) => Math.max(newest, newestMtime(path.join(target, name))), stat.mtimeMs);
}

const next = (root: string) => path.join(root, "node_modules", ".bin", "next");

/** Runs `next build` when needed; returns whether it built. */
export function buildIfNeeded(root: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (!needsBuild(root)) return false;
  const build = spawnSync(next(root), ["build"], { stdio: "inherit", cwd: root, env: { ...env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (build.status !== 0) throw new Error("next build failed");
  return true;
}

/**
 * Serves the build with scripts/serve.mjs (graceful shutdown). The IPC channel ties the server's
 * life to this process: when this one dies, even by SIGKILL, the server stops too.
 */
export function startNextServer(
  root: string,
  options: { port: number | string; host?: string; env: NodeJS.ProcessEnv; quiet?: boolean },
): ChildProcess {
  // quiet: only errors (stderr) reach the terminal.
  const stdio: StdioOptions = ["ignore", options.quiet ? "ignore" : "inherit", "inherit", "ipc"];
  // --expose-gc: the heap is collected once a large report is done (lib/api/heap.ts).
  return spawn(process.execPath, ["--expose-gc", path.join(root, "scripts", "serve.mjs")], {
    cwd: root,
    stdio,
    env: { ...options.env, PORT: String(options.port), ...(options.host ? { HOST: options.host } : {}), NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
}
