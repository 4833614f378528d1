// How many report bytes a server reads and processes at once. A report needs several times its
// size in memory while it is parsed, so an unbounded number of large uploads at once would take
// the server down. Requests over the budget wait their turn (first come, first served); one that
// waits longer than INGEST_QUEUE_SECONDS gets 503 with Retry-After, and nothing is lost.
import { AppError } from "@/lib/errors";
import { checkBodyHeaders } from "@/lib/api/body";
import { env } from "@/lib/env";
import { releaseHeapAfter } from "@/lib/api/heap";

interface Waiter {
  bytes: number;
  grant: () => void;
}

export class ByteBudget {
  private used = 0;
  private readonly waiting: Waiter[] = [];

  constructor(readonly capacity: number) {}

  get inUse(): number {
    return this.used;
  }

  /** Reserves `bytes` (at most the capacity); resolves to the release function. */
  async acquire(bytes: number, timeoutMs: number): Promise<() => void> {
    const want = Math.min(Math.max(bytes, 1), this.capacity);
    if (this.waiting.length === 0 && this.used + want <= this.capacity) return this.grant(want);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.waiting.indexOf(waiter);
        if (index < 0) return;
        this.waiting.splice(index, 1);
        reject(new AppError("busy", "The server is processing as many reports as it can hold in memory; nothing was stored. Send this one again shortly.", { "Retry-After": "10" }));
        this.wake();
      }, timeoutMs);
      const waiter: Waiter = {
        bytes: want,
        grant: () => {
          clearTimeout(timer);
          resolve(this.grant(want));
        },
      };
      this.waiting.push(waiter);
    });
  }

  private grant(bytes: number): () => void {
    this.used += bytes;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used -= bytes;
      this.wake();
    };
  }

  private wake(): void {
    while (this.waiting.length && this.used + this.waiting[0].bytes <= this.capacity) this.waiting.shift()!.grant();
  }
}

const budgets = globalThis as unknown as { portcullisByteBudgets?: Map<string, ByteBudget> };

/** One budget per kind of upload and capacity: scans, and runtime events (so alerts never wait behind reports). */
export function byteBudget(kind: "scans" | "runtime-events", capacity: number): ByteBudget {
  const all = (budgets.portcullisByteBudgets ??= new Map());
  const key = `${kind}:${capacity}`;
  let budget = all.get(key);
  if (!budget) all.set(key, (budget = new ByteBudget(capacity)));
  return budget;
}

/** What a request will hold in memory: its declared length, or the limit when it does not say. */
export function expectedBytes(request: Request, limitBytes: number): number {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  return Number.isFinite(declared) && declared >= 0 ? Math.min(declared, limitBytes) : limitBytes;
}

/** Runs an upload's work (reading and processing its body) within the budget of its kind. */
export async function withinByteBudget<T>(kind: "scans" | "runtime-events", request: Request, work: () => Promise<T>): Promise<T> {
  const { ingestBodyLimitBytes, ingestInflightBytes, ingestQueueMs } = env();
  // A body that is refused anyway (too large, not JSON) does not wait for its turn.
  checkBodyHeaders(request, ingestBodyLimitBytes);
  const bytes = expectedBytes(request, ingestBodyLimitBytes);
  const release = await byteBudget(kind, ingestInflightBytes).acquire(bytes, ingestQueueMs);
  try {
    return await work();
  } finally {
    release();
    // Only a declared length says the body was large (an undeclared one is counted at the limit).
    if (request.headers.has("content-length")) releaseHeapAfter(bytes);
  }
}
