// Runs the Prisma CLI with DATABASE_URL always set: without it Prisma falls back to its native
// engine and tries to download it. `generate` never connects; `migrate diff` connects through the
// driver adapter even between two schema files, so the default is the local PostgreSQL server.
import { spawnSync } from "node:child_process";
import path from "node:path";

const env = { ...process.env, DATABASE_URL: process.env.DATABASE_URL || process.env.TEST_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres" };
const result = spawnSync(path.join(process.cwd(), "node_modules", ".bin", "prisma"), process.argv.slice(2), { stdio: "inherit", env });
process.exit(result.status ?? 1);
