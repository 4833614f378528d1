// The server Playwright tests run against: a production build on a fresh, empty database
// (TEST_DATABASE_URL's server, or embedded PGlite), dropped again when Playwright stops it.
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createTestDatabase } from "../tests/support/test-database";
import { buildIfNeeded, startNextServer } from "@/lib/startup/build";
import { IDP_APP_ENV, startIdentityProvider } from "../e2e/support/identity-provider";

const root = process.cwd();
const port = process.env.E2E_PORT ?? "3210";

async function main(): Promise<void> {
  const database = await createTestDatabase("e2e", 54332);
  mkdirSync(path.join(root, ".test-output"), { recursive: true });
  writeFileSync(path.join(root, ".test-output", "e2e-database-url"), database.url);
  const origin = `http://127.0.0.1:${port}`;
  const idp = await startIdentityProvider(origin);
  const env = {
    ...process.env,
    DATABASE_URL: database.url,
    BETTER_AUTH_SECRET: randomBytes(32).toString("hex"),
    PORT: port,
    PUBLIC_URL: origin,
    ...IDP_APP_ENV,
    // Low enough for the rate-limit journeys to reach in a few requests.
    SIGN_IN_FAILURES_PER_15_MIN: "3",
    // Every browser test signs in from 127.0.0.1; the per-address limit has its own integration test.
    SIGN_IN_ATTEMPTS_PER_IP_PER_MIN: "10000",
    INGEST_REQUESTS_PER_MIN: "100",
    // The webhook journey's receiver listens on the loopback, which webhooks may not reach by default.
    WEBHOOK_BLOCKED_NETWORKS: "169.254.0.0/16, fe80::/10",
  };
  buildIfNeeded(root, env);
  const server = startNextServer(root, { port, host: "127.0.0.1", env });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.kill("SIGTERM");
    idp.close();
    await database.drop().catch(() => undefined);
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  server.on("exit", stop);
}

main().catch((error: unknown) => {
  console.error(`[e2e-server] ${(error as Error).message}`);
  process.exit(1);
});
