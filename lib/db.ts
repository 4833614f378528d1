// The one Prisma client of the process, over node-postgres (no native query engine), on the
// "interactive" pool (lib/sql.ts). Created on first use, so that importing this module (e.g.
// during `next build`) needs no database.
import type { Run } from "@/lib/sql";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { closeSqlPool, sqlPool } from "@/lib/sql";

const globalForPrisma = globalThis as unknown as { portcullisDb?: PrismaClient };

function client(): PrismaClient {
  globalForPrisma.portcullisDb ??= new PrismaClient({ adapter: new PrismaPg(sqlPool("interactive")) });
  return globalForPrisma.portcullisDb;
}

export const db = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const real = client();
    const value = Reflect.get(real, property);
    return typeof value === "function" ? value.bind(real) : value;
  },
});

/** Ends the Prisma client and every pool of the process. */
export async function disconnectDb(): Promise<void> {
  if (globalForPrisma.portcullisDb) await globalForPrisma.portcullisDb.$disconnect();
  globalForPrisma.portcullisDb = undefined;
  await closeSqlPool();
}

/** A client or an interactive transaction: what domain functions that write take. */
export type DbTx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

/** A statement runner on a Prisma transaction, for domain SQL shared with the pg pool (see runOn in lib/sql.ts). */
export const prismaRun =
  (tx: DbTx): Run =>
  (sql, params) =>
    tx.$queryRawUnsafe(sql, ...params);
export { Prisma } from "@/lib/generated/prisma/client";
