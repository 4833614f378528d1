// Run by heap.test.ts in a child process (node [--expose-gc] --import tsx heap-probe.ts <content-length>):
// an upload whose work leaves a few hundred MiB of garbage, and the heap in use before, at the
// peak and just after the upload is done, as JSON.
import { withinByteBudget } from "@/lib/api/inflight";

const declared = process.argv[2];
const request = new Request("http://127.0.0.1/api/v1/scans", { method: "POST", body: "{}", headers: { "content-length": declared } });
const heapMiB = () => Math.round(process.memoryUsage().heapUsed / 1048576);
const before = heapMiB();
let peak = 0;
await withinByteBudget("scans", request, async () => {
  // What a parsed report leaves behind: many small objects, promoted to the old generation.
  const findings = Array.from({ length: 600_000 }, (_, i) => ({ id: `finding ${i}`, title: `${i}`.padEnd(60, "x") }));
  peak = heapMiB();
  return findings.length;
});
await new Promise((resolve) => setImmediate(resolve));
await new Promise((resolve) => setImmediate(resolve));
console.log(JSON.stringify({ before, peak, after: heapMiB() }));
