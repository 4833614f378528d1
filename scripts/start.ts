// npm start: prepare everything and serve.
//   DATABASE_URL unset → start the embedded PostgreSQL (PGlite) with data in .data/pglite.
//   Then apply pending migrations, make sure an auth secret exists, seed demo data into an empty
//   database (unless DEMO_DATA=false), build the app if there is no current build, and serve on PORT.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/startup/embedded-postgres";
import { migrateDeploy } from "@/lib/startup/migrate";
import { buildIfNeeded, needsBuild, startNextServer } from "@/lib/startup/build";

const root = process.cwd();
const log = (message: string) => console.log(`[portcullis] ${message}`);
const EMBEDDED_DEMO_PASSWORD = "portcullis-demo";

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  let embedded: EmbeddedPostgres | null = null;
  if (!process.env.DATABASE_URL) {
    log("DATABASE_URL is not set: starting the embedded PostgreSQL (data in .data/pglite)");
    embedded = await startEmbeddedPostgres(path.join(root, ".data", "pglite"));
    process.env.DATABASE_URL = embedded.url;
  }
  const stopEmbedded = () => embedded?.stop();
  process.on("exit", stopEmbedded);

  migrateDeploy(process.env.DATABASE_URL!);

  // Imported only now: these read DATABASE_URL on first use.
  const { ensureAuthSecret } = await import("@/lib/startup/auth-secret");
  const { isDatabaseEmpty, seedDemoData } = await import("@/lib/demo/seed");
  const { disconnectDb } = await import("@/lib/db");
  const { closeSqlPool } = await import("@/lib/sql");
  process.env.BETTER_AUTH_SECRET ??= await ensureAuthSecret();

  if (process.env.DEMO_DATA !== "false" && (await isDatabaseEmpty())) {
    // A known password only for the embedded try-it-out database; a real server gets a random one.
    const password = embedded ? EMBEDDED_DEMO_PASSWORD : randomBytes(12).toString("base64url");
    log("empty database: loading demo data (real scanner reports, ~100 days of history)…");
    const summary = await seedDemoData({ password, fixturesDir: path.join(root, "fixtures") });
    log(`demo data: ${summary.images} images from ${summary.scans} scans`);
    log(`demo sign-in: ${summary.users.map((u) => `${u.email} (${u.role})`).join(", ")}`);
    log(`demo password: ${summary.password}${embedded ? "" : "  (shown once; change it or create your own admin with npm run admin)"}`);
  } else if (embedded) {
    log(`demo sign-in: admin@portcullis.demo / ${EMBEDDED_DEMO_PASSWORD} (if the demo data was loaded)`);
  }
  await disconnectDb();
  await closeSqlPool();

  if (needsBuild(root)) log("building the app (first start or changed sources)…");
  buildIfNeeded(root);

  log(`serving on http://localhost:${port}`);
  const server = startNextServer(root, { port, env: process.env });
  const stop = () => server.kill("SIGTERM");
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  server.on("exit", (code) => {
    stopEmbedded();
    process.exit(code ?? 0);
  });
}

main().catch((error: unknown) => {
  console.error(`[portcullis] could not start: ${(error as Error).message}`);
  process.exit(1);
});
