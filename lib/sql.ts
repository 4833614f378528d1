// Plain node-postgres for the ingest write path, where Prisma's per-query overhead on huge
// parameters dominated (see bench/): one transaction per report, bulk rows by COPY.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { env } from "@/lib/env";

export type Sql = pg.PoolClient;

const globalForPool = globalThis as unknown as { portcullisPool?: pg.Pool };

/** The shared node-postgres pool (ingest writes, rate-limit counters). */
export function sqlPool(): pg.Pool {
  globalForPool.portcullisPool ??= new pg.Pool({ connectionString: env().databaseUrl, max: 4, connectionTimeoutMillis: 5000 });
  return globalForPool.portcullisPool;
}

/** Runs `work` in one transaction on one connection; timestamps are UTC like Prisma's. */
export async function inTransaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
  const client = await sqlPool().connect();
  try {
    await client.query("BEGIN");
    await client.query("SET LOCAL TIME ZONE 'UTC'");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export async function closeSqlPool(): Promise<void> {
  await globalForPool.portcullisPool?.end();
  globalForPool.portcullisPool = undefined;
}

export type Cell = unknown;

const NEEDS_ESCAPE = /[\\\t\n\r]/;

function copyCell(value: Cell): string {
  if (value === null || value === undefined) return "\\N";
  // Postgres text and jsonb cannot hold NUL characters; a report that contains them loses only those.
  const text = (value instanceof Date ? value.toISOString() : typeof value === "object" ? JSON.stringify(value).replace(/\\u0000/g, "") : String(value)).replace(/\u0000/g, "");
  return NEEDS_ESCAPE.test(text) ? text.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r") : text;
}

/** A Postgres array literal for COPY (text[] columns). */
export function pgArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",")}}`;
}

/**
 * Whether the server takes COPY FROM STDIN. PGlite (the embedded try-it-out database) does not
 * over its socket, so there rows go in as JSON batches instead: slower, same result.
 */
const copySupport = new WeakMap<Sql, boolean>();
async function supportsCopy(sql: Sql): Promise<boolean> {
  let known = copySupport.get(sql);
  if (known === undefined) {
    const { rows } = await sql.query<{ version: string }>("SELECT version()");
    known = !/PGlite|emscripten/i.test(rows[0].version);
    copySupport.set(sql, known);
  }
  return known;
}

const JSON_BATCH_ROWS = 2000;

async function insertAsJson(sql: Sql, table: string, columns: readonly string[], rows: Iterable<readonly Cell[]>): Promise<void> {
  const target = `${table} (${columns.map((c) => `"${c}"`).join(", ")})`;
  const list = columns.map((c) => `"${c}"`).join(", ");
  let batch: Record<string, unknown>[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    // As in COPY: Postgres text cannot hold NUL characters.
    await sql.query(`INSERT INTO ${target} SELECT ${list} FROM json_populate_recordset(NULL::${table}, $1::json)`, [JSON.stringify(batch).replace(/\\u0000/g, "")]);
    batch = [];
  };
  for (const row of rows) {
    batch.push(Object.fromEntries(columns.map((c, i) => [c, row[i] instanceof Date ? (row[i] as Date).toISOString() : (row[i] ?? null)])));
    if (batch.length >= JSON_BATCH_ROWS) await flush();
  }
  await flush();
}

/** COPYs rows into a table in batches of lines, without building one huge string. */
export async function copyRows(sql: Sql, table: string, columns: readonly string[], rows: Iterable<readonly Cell[]>): Promise<void> {
  if (!(await supportsCopy(sql))) return insertAsJson(sql, table, columns, rows);
  function* lines() {
    let batch = "";
    for (const row of rows) {
      batch += row.map(copyCell).join("\t") + "\n";
      if (batch.length > 1 << 20) {
        yield batch;
        batch = "";
      }
    }
    if (batch) yield batch;
  }
  const target = `${table} (${columns.map((c) => `"${c}"`).join(", ")})`;
  await pipeline(Readable.from(lines()), sql.query(copyFrom(`COPY ${target} FROM STDIN`)));
}
