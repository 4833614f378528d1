// The zero-setup database: real Postgres (PGlite, compiled to WebAssembly) served on a local port
// by pglite-socket, its data in .data/pglite. For trying Portcullis on one machine, not production.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createConnection } from "node:net";
import path from "node:path";

export const EMBEDDED_PORT = 54329;

export interface EmbeddedPostgres {
  url: string;
  stop: () => void;
}

export async function startEmbeddedPostgres(dataDir: string, port = EMBEDDED_PORT): Promise<EmbeddedPostgres> {
  if (!dataDir.startsWith("memory:")) mkdirSync(dataDir, { recursive: true });
  if (await portOpen(port)) {
    throw new Error(`port ${port} is already in use: is another Portcullis running on the embedded database?`);
  }
  const bin = path.join(process.cwd(), "node_modules", ".bin", "pglite-server");
  const child: ChildProcess = spawn(bin, [`--db=${dataDir}`, `--port=${port}`, "--host=127.0.0.1", "--max-connections=24"], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  let exited = false;
  child.on("exit", () => (exited = true));
  const deadline = Date.now() + 60_000;
  while (!(await portOpen(port))) {
    if (exited) throw new Error("the embedded database (pglite-server) exited while starting");
    if (Date.now() > deadline) throw new Error("the embedded database did not start within 60 s");
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    stop: () => {
      if (!exited) child.kill("SIGTERM");
    },
  };
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
