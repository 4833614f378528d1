import { afterEach, describe, expect, it } from "vitest";
import { env } from "@/lib/env";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe("env", () => {
  it("caps the body limit below what one string can hold, with the reason", () => {
    process.env.DATABASE_URL = "postgresql://localhost/x";
    process.env.INGEST_BODY_LIMIT_MB = "4096";
    expect(() => env()).toThrowError(/INGEST_BODY_LIMIT_MB: at most 500 \(a report is decoded as one string/);
    process.env.INGEST_BODY_LIMIT_MB = "500";
    expect(env().ingestBodyLimitBytes).toBe(500 * 1024 * 1024);
  });

  it("never budgets fewer bytes in flight than one report of the largest size", () => {
    process.env.DATABASE_URL = "postgresql://localhost/x";
    process.env.INGEST_BODY_LIMIT_MB = "64";
    process.env.INGEST_INFLIGHT_MB = "16";
    expect(env().ingestInflightBytes).toBe(64 * 1024 * 1024);
    delete process.env.INGEST_INFLIGHT_MB;
    expect(env().ingestInflightBytes).toBe(64 * 1024 * 1024);
    process.env.INGEST_INFLIGHT_MB = "256";
    expect(env().ingestInflightBytes).toBe(256 * 1024 * 1024);
  });
});
