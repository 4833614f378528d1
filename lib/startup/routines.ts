// Applies prisma/routines/*.sql (triggers and functions that Prisma migrations cannot hold) after
// the migrations, under the same lock. A file runs again only when its content changed: its hash
// is kept in the database, and the file itself rebuilds whatever its routines maintain.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type pg from "pg";

const DIR = path.join(process.cwd(), "prisma", "routines");

export async function applyRoutines(client: pg.Client): Promise<string[]> {
  await client.query(`CREATE TABLE IF NOT EXISTS portcullis_routines (name text PRIMARY KEY, hash text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const applied: string[] = [];
  for (const name of (await readdir(DIR)).filter((f) => f.endsWith(".sql")).sort()) {
    const script = await readFile(path.join(DIR, name), "utf8");
    const hash = createHash("sha256").update(script).digest("hex");
    const { rows } = await client.query<{ hash: string }>(`SELECT hash FROM portcullis_routines WHERE name = $1`, [name]);
    if (rows[0]?.hash === hash) continue;
    await client.query("BEGIN");
    try {
      await client.query(script);
      await client.query(
        `INSERT INTO portcullis_routines (name, hash) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET hash = EXCLUDED.hash, applied_at = now()`,
        [name, hash],
      );
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    }
    applied.push(name);
  }
  // A routine rebuilds what it maintains (read-model tables, rollups): fresh statistics, so the
  // pages' plans are right from the first request instead of after autovacuum's next visit.
  if (applied.length > 0) await client.query("ANALYZE");
  return applied;
}
