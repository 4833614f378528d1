// What the benchmarks share: waiting for the server, reading its memory, printing tables and spreads.
import { readFileSync, readdirSync } from "node:fs";

export async function waitForHealth(base: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("server did not start");
}

/** Resident memory of a process and its children, in KiB (0 when it is gone). */
export function rssKiB(pid: number): number {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    const children = readdirSync(`/proc/${pid}/task`).flatMap((t) => readFileSync(`/proc/${pid}/task/${t}/children`, "utf8").trim().split(/\s+/).filter(Boolean));
    return kb + children.reduce((sum, c) => sum + rssKiB(Number(c)), 0);
  } catch {
    return 0;
  }
}

export function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const [i, row] of rows.entries()) {
    console.log(row.map((cell, c) => cell.padEnd(widths[c])).join("  "));
    if (i === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
  }
}

export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** "min / median / max" of a set of timings, each as `format` writes a number of milliseconds. */
export function spread(values: number[], format: (ms: number) => string = (ms) => ms.toFixed(0)): string {
  return `${format(Math.min(...values))} / ${format(quantile(values, 0.5))} / ${format(Math.max(...values))}`;
}
