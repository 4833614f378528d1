import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const probe = path.join(import.meta.dirname, "testing", "heap-probe.ts");

/** Heap in use (MiB) before, at the peak of and just after an upload that declared `contentLength`. */
function upload(contentLength: number, nodeFlags: string[]): { before: number; peak: number; after: number } {
  const out = execFileSync(process.execPath, [...nodeFlags, "--import", "tsx", probe, String(contentLength)], {
    cwd: path.resolve(import.meta.dirname, "..", ".."),
    env: { ...process.env, DATABASE_URL: "postgresql://probe@127.0.0.1:1/probe", BETTER_AUTH_SECRET: "p".repeat(40) },
    encoding: "utf8",
  });
  return JSON.parse(out.trim().split("\n").pop()!);
}

describe("the heap after a large upload", () => {
  it("is given back as soon as a large upload is done, when the server exposes gc (as the production server does)", () => {
    const { before, peak, after } = upload(16 * 1024 * 1024, ["--expose-gc"]);
    expect(peak - before).toBeGreaterThan(50);
    expect(after - before).toBeLessThan(10);
  });

  it("is left to V8 after a small upload (a collection per alert would cost more than it frees)", () => {
    const { before, peak, after } = upload(1024, ["--expose-gc"]);
    expect(peak - before).toBeGreaterThan(50);
    expect(after).toBeGreaterThan(peak - 10);
  });

  it("does not fail where gc is not exposed (next dev)", () => {
    const { before, peak } = upload(16 * 1024 * 1024, []);
    expect(peak - before).toBeGreaterThan(50);
  });
});
