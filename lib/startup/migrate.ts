// Applies pending migrations with Prisma's WebAssembly schema engine (nothing is downloaded).
import { spawnSync } from "node:child_process";
import path from "node:path";

export function migrateDeploy(databaseUrl: string): void {
  const bin = path.join(process.cwd(), "node_modules", ".bin", "prisma");
  const result = spawnSync(bin, ["migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new Error(`prisma migrate deploy failed:\n${result.stdout}\n${result.stderr}`);
  }
  const applied = /(\d+) migrations? found/.exec(result.stdout)?.[1];
  console.log(`[portcullis] database schema is up to date${applied ? ` (${applied} migrations)` : ""}`);
}
