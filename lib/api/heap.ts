// Giving back the memory a large report used. Ingesting a report needs several times its size in
// the heap (its text, its parsed document, its findings). Once it is done, all of that is garbage,
// but V8 collects the old generation only when it next runs short of room, so the server would
// keep holding it and the next large report would come on top (bench:ingest: 492 MiB held before
// the second 63 MiB report against 185 before the first). One major collection after a large
// body returns it. The server is started with --expose-gc (lib/startup/build.ts); without it
// (next dev, tests) this does nothing.
const LARGE_BODY_BYTES = 8 * 1024 * 1024;

let pending = false;

/** After a request that carried `bytes` is done: collect once, off the request's own path. */
export function releaseHeapAfter(bytes: number): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc || bytes < LARGE_BODY_BYTES || pending) return;
  pending = true;
  setImmediate(() => {
    pending = false;
    gc();
  });
}
