// The production server: built when the build is missing or older than its sources, then served.
import { spawn, spawnSync, type ChildProcess, type StdioOptions } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const SOURCES = ["app", "components", "lib", "public", "proxy.ts", "package-lock.json", "next.config.ts", "postcss.config.mjs", "tsconfig.json"];

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

export function startNextServer(
  root: string,
  options: { port: number | string; host?: string; env: NodeJS.ProcessEnv; stdio?: StdioOptions },
): ChildProcess {
  const args = ["start", "-p", String(options.port), ...(options.host ? ["-H", options.host] : [])];
  return spawn(next(root), args, {
    cwd: root,
    stdio: options.stdio ?? "inherit",
    env: { ...options.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
}
