// Plain node-postgres: the connection pools of the process, and the ingest write path, where
// Prisma's per-query overhead on huge parameters dominated (see bench/): one transaction per
// report, bulk rows by COPY.
//
// Work is split over pools by kind, so one kind cannot take every connection from another: pages,
// sign-in and rate limits ("interactive", also Prisma's), scanner reports ("ingest") and runtime
// alerts ("events"). Every connection has a statement and lock timeout, and a transaction left
// idle is ended by the server.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { env } from "@/lib/env";
import { onShutdown } from "@/lib/shutdown";

export type Sql = pg.PoolClient;
export type PoolKind = "interactive" | "ingest" | "events";

const globalForPools = globalThis as unknown as { portcullisPools?: Partial<Record<PoolKind, pg.Pool>> };

function createPool(kind: PoolKind): pg.Pool {
  const e = env();
  const timeout = kind === "interactive" ? e.statementTimeoutMs.interactive : e.statementTimeoutMs.ingest;
  const pool = new pg.Pool({
    connectionString: e.databaseUrl,
    max: e.pools[kind],
    // Waiting for a free connection: short for people, long for reports (they queue on purpose).
    connectionTimeoutMillis: kind === "interactive" ? 10_000 : 120_000,
    statement_timeout: timeout,
    lock_timeout: timeout,
    idle_in_transaction_session_timeout: 60_000,
    application_name: `portcullis-${kind}`,
  });
  // An idle connection the server dropped must not take the process down.
  pool.on("error", () => undefined);
  onShutdown(closeSqlPool);
  return pool;
}

/** Runs one statement and answers the rows it returned: domain SQL that runs on either a pg connection (runOn) or a Prisma transaction (prismaRun). */
export type Run = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/** A statement runner on this connection, for domain SQL shared with Prisma (lib/exceptions/coverage.ts). */
export const runOn =
  (sql: Sql): Run =>
  async (text, params) =>
    (await sql.query(text, params)).rows;

/** The pool for this kind of work, created on first use (and closed by the server at shutdown). */
export function sqlPool(kind: PoolKind = "ingest"): pg.Pool {
  const pools = (globalForPools.portcullisPools ??= {});
  return (pools[kind] ??= createPool(kind));
}

/** SQLSTATEs after which the whole transaction can simply run again. */
const RETRYABLE = new Set(["40P01" /* deadlock_detected */, "40001" /* serialization_failure */]);
const ATTEMPTS = 4;

/**
 * Runs `work` in one transaction on one connection; timestamps are UTC like Prisma's. A deadlock
 * or serialization failure rolls back and runs `work` again (it must only touch the database).
 */
export async function inTransaction<T>(work: (sql: Sql) => Promise<T>, kind: PoolKind = "ingest"): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transactionOnce(work, kind);
    } catch (error) {
      if (attempt >= ATTEMPTS || !RETRYABLE.has((error as { code?: string }).code ?? "")) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 50 * attempt));
    }
  }
}

async function transactionOnce<T>(work: (sql: Sql) => Promise<T>, kind: PoolKind): Promise<T> {
  const client = await sqlPool(kind).connect();
  let broken = false;
  try {
    // One round trip for both (a runtime alert's batch is a handful of statements).
    await client.query("BEGIN; SET LOCAL TIME ZONE 'UTC'");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => (broken = true));
    throw error;
  } finally {
    // A connection whose rollback failed is in an unknown state: close it instead of reusing it.
    client.release(broken);
  }
}

export async function closeSqlPool(): Promise<void> {
  const pools = globalForPools.portcullisPools ?? {};
  globalForPools.portcullisPools = undefined;
  await Promise.all(Object.values(pools).map((pool) => pool.end().catch(() => undefined)));
}

export type Cell = unknown;

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const NUL = /\u0000/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text as PostgreSQL can hold it: without NUL characters, and without lone UTF-16 surrogates
 * (which JSON can escape but jsonb refuses); such characters from a report are lost, nothing else.
 */
export function pgText(text: string): string {
  return NEEDS_CLEANING.test(text) ? text.replace(NUL, "").replace(LONE_SURROGATE, "\uFFFD") : text;
}
const NEEDS_CLEANING = /[\u0000\uD800-\uDFFF]/;

/** A value as jsonb text: every string and key cleaned with pgText, so the JSON is always accepted. */
export function pgJson(value: unknown): string {
  return JSON.stringify(cleanValue(value));
}

function cleanValue(value: unknown): unknown {
  if (typeof value === "string") return pgText(value);
  if (Array.isArray(value)) return value.map(cleanValue);
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [pgText(k), cleanValue(v)]));
  }
  return value;
}

function copyCell(value: Cell): string {
  if (value === null || value === undefined) return "\\N";
  const text = value instanceof Date ? value.toISOString() : typeof value === "object" ? pgJson(value) : pgText(String(value));
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
    // As in COPY: text as Postgres can hold it.
    await sql.query(`INSERT INTO ${target} SELECT ${list} FROM json_populate_recordset(NULL::${table}, $1::json)`, [pgJson(batch)]);
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
