// The one Prisma client of the process, over node-postgres (no native query engine).
// Created on first use, so that importing this module (e.g. during `next build`) needs no database.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";

const globalForPrisma = globalThis as unknown as { portcullisDb?: PrismaClient };

function client(): PrismaClient {
  globalForPrisma.portcullisDb ??= new PrismaClient({
    adapter: new PrismaPg({ connectionString: env().databaseUrl, max: 8, connectionTimeoutMillis: 5000 }),
  });
  return globalForPrisma.portcullisDb;
}

export const db = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const real = client();
    const value = Reflect.get(real, property);
    return typeof value === "function" ? value.bind(real) : value;
  },
});

export async function disconnectDb(): Promise<void> {
  if (globalForPrisma.portcullisDb) await globalForPrisma.portcullisDb.$disconnect();
  globalForPrisma.portcullisDb = undefined;
}

/** A client or an interactive transaction: what domain functions that write take. */
export type DbTx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;
export { Prisma } from "@/lib/generated/prisma/client";
