// A fresh database for one test run: on the PostgreSQL server named by TEST_DATABASE_URL, or,
// when that is unset, on an embedded PGlite server started just for this run.
import pg from "pg";
import { startEmbeddedPostgres } from "@/lib/startup/embedded-postgres";
import { migrateDeploy } from "@/lib/startup/migrate";

export interface TestDatabase {
  url: string;
  drop: () => Promise<void>;
}

export async function createTestDatabase(label: string, embeddedPort: number, server = process.env.TEST_DATABASE_URL): Promise<TestDatabase> {
  if (!server) {
    const embedded = await startEmbeddedPostgres("memory://", embeddedPort);
    await migrateDeploy(embedded.url);
    return { url: embedded.url, drop: async () => embedded.stop() };
  }
  const name = `portcullis_${label}_${Date.now()}_${process.pid}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  await migrateDeploy(url.toString());
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: server });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

