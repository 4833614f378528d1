import { describe, expect, it } from "vitest";
import { describeError, sqlState } from "@/lib/errors";

// The shapes PostgreSQL's errors arrive in (seen from a real server in tests/integration/hostile-input.test.ts).
const fromPg = (code: string) => Object.assign(new Error("pg"), { code });
const fromPrismaRaw = (code: string) => Object.assign(new Error("raw"), { name: "PrismaClientKnownRequestError", code: "P2010", meta: { driverAdapterError: { cause: { originalCode: code } } } });
const fromAdapter = (code: string) => Object.assign(new Error("adapter"), { name: "DriverAdapterError", cause: { originalCode: code, kind: "postgres" } });

describe("sqlState", () => {
  it("finds the SQLSTATE from node-postgres and through Prisma's driver adapter, never Prisma's own code", () => {
    for (const make of [fromPg, fromPrismaRaw, fromAdapter]) expect(sqlState(make("57014"))).toBe("57014");
    expect(sqlState(Object.assign(new Error("x"), { name: "PrismaClientKnownRequestError", code: "P2010" }))).toBeUndefined();
    expect(sqlState(Object.assign(new Error("x"), { code: "ECONNRESET" }))).toBeUndefined();
  });
});

describe("describeError", () => {
  it("answers a NUL in text with a 400 and a timeout with a 503, whichever way they came", () => {
    for (const make of [fromPg, fromPrismaRaw, fromAdapter]) {
      expect(describeError(make("22021"))).toMatchObject({ status: 400, message: expect.stringMatching(/NUL character/) });
      expect(describeError(make("57014"))).toMatchObject({ status: 503, headers: { "Retry-After": "5" } });
    }
  });
});
