// Direct reads of the server's database, for tests that need ids the UI does not print.
import pg from "pg";
import { e2eDatabaseUrl } from "./admin-cli";

export async function sql<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}
