// The zero-setup database: real Postgres (PGlite, compiled to WebAssembly) served on a local port,
// its data in .data/pglite. For trying Portcullis on one machine, not production.
//
// PGlite is one backend session. Every client connection is multiplexed onto it, so a connection
// must have the session to itself from the first message of a request until the session is idle
// again: until a ReadyForQuery that says "idle" (not merely the end of one message, as
// pglite-socket's multiplexer does, which let one request's Bind land on another's Parse and
// return one query's rows to another). A connection inside a transaction keeps the session until
// the transaction ends, as a lock in a real server would keep others waiting.
import { PGlite } from "@electric-sql/pglite";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import path from "node:path";
import { SessionGate } from "@/lib/startup/session-gate";

export const EMBEDDED_PORT = 54329;

export interface EmbeddedPostgres {
  url: string;
  port: number;
  stop: () => Promise<void>;
}

/** A client that holds the session inside a transaction and says nothing for this long is cut off. */
const IDLE_IN_TRANSACTION_MS = 120_000;

const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const SYNC = Uint8Array.from([0x53, 0, 0, 0, 4]);

function simpleQuery(sql: string): Uint8Array {
  const text = Buffer.from(`${sql}\0`, "utf8");
  const message = Buffer.alloc(5 + text.length);
  message.write("Q", 0, "latin1");
  message.writeInt32BE(4 + text.length, 1);
  text.copy(message, 5);
  return message;
}

export async function startEmbeddedPostgres(dataDir: string, port = EMBEDDED_PORT): Promise<EmbeddedPostgres> {
  const inMemory = dataDir.startsWith("memory:");
  if (port !== 0 && (await portOpen(port))) {
    throw new Error(`port ${port} is already in use: is another Portcullis running on the embedded database?`);
  }
  const unlock = inMemory ? () => undefined : lockDataDir(dataDir);
  const db = await PGlite.create(inMemory ? undefined : dataDir);
  const gate = new SessionGate();
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    new ClientConnection(socket, db, gate);
  });
  const bound = await listen(server, port);
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${bound}/postgres?sslmode=disable`,
    port: bound,
    stop: async () => {
      server.close();
      for (const socket of sockets) socket.destroy();
      // Whatever holds the session is rolled back by its connection's close handler; then close.
      await gate.run(async () => undefined);
      await db.close();
      unlock();
    },
  };
}

class ClientConnection {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly pending: Uint8Array[] = [];
  private started = false;
  private running = false;
  private holding = false;
  private closed = false;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly db: PGlite,
    private readonly gate: SessionGate,
  ) {
    socket.setNoDelay(true);
    socket.on("data", (chunk) => this.receive(chunk));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => void this.close());
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      const message = this.started ? this.typedMessage() : this.startupMessage();
      if (message === null) break;
      if (message.length) this.pending.push(message);
    }
    void this.drain();
  }

  /** Startup-phase messages have no type byte: SSL/GSS requests are declined, a cancel is dropped. */
  private startupMessage(): Uint8Array | null {
    if (this.buffer.length < 8) return null;
    const length = this.buffer.readInt32BE(0);
    if (this.buffer.length < length) return null;
    const code = this.buffer.readInt32BE(4);
    const message = this.buffer.subarray(0, length);
    this.buffer = this.buffer.subarray(length);
    if (code === SSL_REQUEST || code === GSS_REQUEST) {
      this.socket.write("N");
      return new Uint8Array(0);
    }
    if (code === CANCEL_REQUEST) {
      this.socket.end();
      return new Uint8Array(0);
    }
    this.started = true;
    return Uint8Array.from(message);
  }

  private typedMessage(): Uint8Array | null {
    if (this.buffer.length < 5) return null;
    const length = 1 + this.buffer.readInt32BE(1);
    if (this.buffer.length < length) return null;
    const message = Uint8Array.from(this.buffer.subarray(0, length));
    this.buffer = this.buffer.subarray(length);
    return message;
  }

  /** Runs this connection's messages in order, holding the session until it is idle again. */
  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.pending.length && !this.closed) {
        const message = this.pending.shift()!;
        if (message[0] === 0x58 /* Terminate */) {
          this.socket.end();
          break;
        }
        if (!this.holding) {
          await this.gate.acquire();
          this.holding = true;
          if (this.closed) break;
        }
        this.clearIdleTimer();
        const idleAfter = await this.execute(message);
        if (idleAfter) this.releaseSession();
      }
      if (this.holding && !this.closed) this.armIdleTimer();
    } catch {
      this.socket.destroy();
    } finally {
      this.running = false;
    }
  }

  /** Executes one message; true when the session is idle afterwards (ReadyForQuery 'I'). */
  private async execute(message: Uint8Array): Promise<boolean> {
    let tail: Uint8Array = new Uint8Array(0);
    await this.db.execProtocolRawStream(message, {
      onRawData: (data) => {
        if (data.length === 0) return;
        tail = data.length >= 6 ? data.subarray(data.length - 6) : Uint8Array.from([...tail, ...data]).slice(-6);
        if (!this.closed && this.socket.writable) this.socket.write(Buffer.from(data));
      },
    });
    return tail.length === 6 && tail[0] === 0x5a && tail[5] === 0x49;
  }

  private releaseSession(): void {
    if (!this.holding) return;
    this.holding = false;
    this.clearIdleTimer();
    this.gate.release();
  }

  private armIdleTimer(): void {
    this.clearIdleTimer();
    this.idleTimer = setTimeout(() => this.socket.destroy(), IDLE_IN_TRANSACTION_MS);
    this.idleTimer.unref();
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  /** A client gone mid-request leaves the session as it found it: protocol reset, transaction rolled back. */
  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.pending.length = 0;
    this.clearIdleTimer();
    while (this.running) await new Promise((r) => setTimeout(r, 5));
    if (!this.holding) return;
    try {
      await this.db.execProtocolRaw(SYNC);
      if (this.db.isInTransaction()) await this.db.execProtocolRaw(simpleQuery("ROLLBACK"));
    } finally {
      this.releaseSession();
    }
  }
}

/** One process at a time may open a data directory (two would corrupt it). */
function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lock = path.join(dataDir, "portcullis.lock");
  if (existsSync(lock)) {
    const pid = Number(readFileSync(lock, "utf8"));
    if (pid && pid !== process.pid && processAlive(pid)) throw new Error(`the embedded database in ${dataDir} is in use by process ${pid}`);
  }
  writeFileSync(lock, String(process.pid));
  return () => rmSync(lock, { force: true });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === "EPERM";
  }
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}

export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
