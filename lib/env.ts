// The environment, parsed once. Nothing else reads process.env for configuration.
import { z } from "zod";

const mib = 1024 * 1024;

const envSchema = z.object({
  DATABASE_URL: z.string().min(1, "DATABASE_URL is required (npm start sets it for the embedded database)"),
  BETTER_AUTH_SECRET: z.string().min(32).optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  PUBLIC_URL: z.url().optional(),
  INGEST_BODY_LIMIT_MB: z.coerce.number().positive().max(4096).default(64),
});

export type Env = {
  databaseUrl: string;
  authSecret: string | undefined;
  ingestBodyLimitBytes: number;
  /** Where users reach the app; https here makes session cookies Secure. */
  publicUrl: string;
};

/** Parsed on each call (it is cheap), so a changed variable takes effect without a restart of tests. */
export function env(): Env {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${problems}`);
  }
  return {
    databaseUrl: parsed.data.DATABASE_URL,
    authSecret: parsed.data.BETTER_AUTH_SECRET,
    ingestBodyLimitBytes: Math.floor(parsed.data.INGEST_BODY_LIMIT_MB * mib),
    publicUrl: parsed.data.PUBLIC_URL ?? `http://localhost:${parsed.data.PORT}`,
  };
}
