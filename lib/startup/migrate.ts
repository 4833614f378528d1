// Applies pending migrations with Prisma's WebAssembly schema engine (nothing is downloaded).
// Replicas that start together take turns under one PostgreSQL advisory lock: the first applies
// the migrations, the others then find nothing to do (Prisma's own lock gives up after 10 s).
// Asynchronous on purpose: the embedded database may be served by this very process, and a
// blocking child process would leave it unable to answer.
import { spawn } from "node:child_process";
import path from "node:path";
import { applyRoutines } from "@/lib/startup/routines";
import { oneReplicaAtATime } from "@/lib/startup/one-at-a-time";

export async function migrateDeploy(databaseUrl: string, options: { quiet?: boolean } = {}): Promise<void> {
  await oneReplicaAtATime(databaseUrl, "migrate", async (session) => {
    const stdout = await prismaMigrateDeploy(databaseUrl);
    const applied = /(\d+) migrations? found/.exec(stdout)?.[1];
    const routines = await applyRoutines(session);
    if (!options.quiet) console.log(`[portcullis] database schema is up to date${applied ? ` (${applied} migrations)` : ""}${routines.length ? `, routines ${routines.join(", ")} applied` : ""}`);
  });
}

async function prismaMigrateDeploy(databaseUrl: string): Promise<string> {
  const bin = path.join(process.cwd(), "node_modules", ".bin", "prisma");
  const child = spawn(bin, ["migrate", "deploy"], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const status = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", resolve);
  });
  if (status !== 0) throw new Error(`prisma migrate deploy failed:\n${stdout}\n${stderr}`);
  return stdout;
}
