// npm start: prepare everything and serve.
//   DATABASE_URL unset → serve the embedded PostgreSQL (PGlite) from this process, data in .data/pglite.
//   Then apply pending migrations, make sure an auth secret exists, load demo data (into an empty
//   embedded database unless DEMO_DATA=false; into a real server only with DEMO_DATA=true), build
//   the app if there is no current build, and serve on PORT. Ctrl-C or SIGTERM stops the server
//   gracefully, then the embedded database, then this process.
import path from "node:path";
import { embeddedDataDir, serveDatabase } from "@/lib/startup/database";
import { migrateDeploy } from "@/lib/startup/migrate";
import { buildIfNeeded, needsBuild, startNextServer } from "@/lib/startup/build";
import { demoPlan, DOCUMENTED_DEMO_PASSWORD, type DemoPlan } from "@/lib/startup/demo-plan";

const root = process.cwd();
const log = (message: string) => console.log(`[portcullis] ${message}`);

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  const plan = demoPlan(process.env);
  if (!process.env.DATABASE_URL) log(`DATABASE_URL is not set: serving the embedded PostgreSQL (data in ${path.relative(root, embeddedDataDir(root)) || "."})`);
  const database = await serveDatabase(root);
  const stopDatabase = async () => {
    await database.embedded?.stop().catch(() => undefined);
  };
  // Stopped before anything else can fail, so a failed start never leaves the database running.
  try {
    await prepare(database.url, plan);
  } catch (error) {
    await stopDatabase();
    throw error;
  }

  // A container image is built once, ahead of time (BUILD_ON_START=false): it has no build tools.
  if (process.env.BUILD_ON_START !== "false") {
    if (needsBuild(root)) log("building the app (first start or changed sources)…");
    buildIfNeeded(root, { ...process.env, DATABASE_URL: database.url });
  }

  log(`serving on http://localhost:${port}`);
  const server = startNextServer(root, { port, env: { ...process.env, DATABASE_URL: database.url } });
  const stop = () => {
    if (server.exitCode === null) server.kill("SIGTERM");
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  server.on("exit", async (code) => {
    await stopDatabase();
    process.exit(code ?? 0);
  });
}

async function prepare(databaseUrl: string, plan: DemoPlan): Promise<void> {
  process.env.DATABASE_URL = databaseUrl;
  await migrateDeploy(databaseUrl);
  // Imported only now: these read DATABASE_URL on first use.
  const { ensureAuthSecret } = await import("@/lib/startup/auth-secret");
  const { isDatabaseEmpty, seedDemoData } = await import("@/lib/demo/seed");
  const { disconnectDb } = await import("@/lib/db");
  process.env.BETTER_AUTH_SECRET ??= await ensureAuthSecret();
  if (plan.load && (await isDatabaseEmpty())) {
    log("empty database: loading demo data (real scanner reports, ~100 days of history)…");
    const summary = await seedDemoData({ password: plan.password, fixturesDir: path.join(root, "fixtures") });
    log(`demo data: ${summary.images} images from ${summary.scans} scans`);
    log(`demo sign-in: ${summary.users.map((u) => `${u.email} (${u.role})`).join(", ")}`);
    // The embedded database's password is the documented one; a real server's was chosen by the operator.
    if (plan.embedded) log(`demo password: ${DOCUMENTED_DEMO_PASSWORD}`);
  } else if (plan.load && plan.embedded) {
    log(`demo sign-in: admin@portcullis.demo / ${DOCUMENTED_DEMO_PASSWORD} (if the demo data was loaded)`);
  }
  await disconnectDb();
}

main().catch((error: unknown) => {
  console.error(`[portcullis] could not start: ${(error as Error).message}`);
  process.exit(1);
});
