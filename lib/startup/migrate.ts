// Applies pending migrations with Prisma's WebAssembly schema engine (nothing is downloaded).
// Asynchronous on purpose: the embedded database may be served by this very process, and a
// blocking child process would leave it unable to answer.
import { spawn } from "node:child_process";
import path from "node:path";

export async function migrateDeploy(databaseUrl: string, options: { quiet?: boolean } = {}): Promise<void> {
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
  const applied = /(\d+) migrations? found/.exec(stdout)?.[1];
  if (!options.quiet) console.log(`[portcullis] database schema is up to date${applied ? ` (${applied} migrations)` : ""}`);
}
