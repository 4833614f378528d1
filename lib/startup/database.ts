// Which database a command talks to: DATABASE_URL when it is set; otherwise the embedded one —
// the one `npm start` is serving, or (for a command run while the app is stopped) one started in
// this process for as long as the command runs.
import path from "node:path";
import { EMBEDDED_PORT, portOpen, startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/startup/embedded-postgres";

// Read here, before lib/env.ts can be (it needs DATABASE_URL, which this module provides).
/** Where the embedded database keeps its data (EMBEDDED_DATA_DIR, default .data/pglite). */
export const embeddedDataDir = (root: string) => path.resolve(root, process.env.EMBEDDED_DATA_DIR || path.join(".data", "pglite"));
/** The local port the app serves it on (EMBEDDED_DB_PORT, default 54329). */
export const embeddedPort = () => Number(process.env.EMBEDDED_DB_PORT || EMBEDDED_PORT);

export interface OpenedDatabase {
  url: string;
  /** Set when this process serves the embedded database (and must stop it before exiting). */
  embedded: EmbeddedPostgres | null;
}

/**
 * For the app (npm start): DATABASE_URL, or the embedded database served by this process on the
 * well-known port (refused when another process already serves it).
 */
export async function serveDatabase(root: string): Promise<OpenedDatabase> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, embedded: null };
  const embedded = await startEmbeddedPostgres(embeddedDataDir(root), embeddedPort());
  return { url: embedded.url, embedded };
}

/** For commands (the admin CLI): DATABASE_URL, the running app's embedded database, or a private one. */
export async function attachDatabase(root: string): Promise<OpenedDatabase> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, embedded: null };
  const port = embeddedPort();
  if (await portOpen(port)) return { url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`, embedded: null };
  const embedded = await startEmbeddedPostgres(embeddedDataDir(root), 0);
  return { url: embedded.url, embedded };
}
