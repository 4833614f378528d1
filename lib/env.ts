// The environment, parsed once. Nothing else reads process.env for configuration.
import { z } from "zod";
import { DEFAULT_BLOCKED_NETWORKS, parseNetworks } from "@/lib/notify/networks";

const mib = 1024 * 1024;

const envSchema = z.object({
  DATABASE_URL: z.string().min(1, "DATABASE_URL is required (npm start sets it for the embedded database)"),
  BETTER_AUTH_SECRET: z.string().min(32).optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  PUBLIC_URL: z.url().optional(),
  // A body is decoded into one string, and V8 strings stop at 512 MiB.
  INGEST_BODY_LIMIT_MB: z.coerce.number().positive().max(500, "at most 500 (a report is decoded as one string, and strings stop at 512 MiB)").default(64),
  INGEST_INFLIGHT_MB: z.coerce.number().positive().max(8192).optional(),
  INGEST_QUEUE_SECONDS: z.coerce.number().int().min(0).max(600).default(30),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  INGEST_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(4),
  EVENTS_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(2),
  DATABASE_STATEMENT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  INGEST_STATEMENT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(7200).default(300),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(25),
  MAINTENANCE_CRON: z.string().trim().min(9).default("17 * * * *"),
  IMAGE_RETIRE_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  STALE_SCAN_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(120),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  SIGN_IN_FAILURES_PER_15_MIN: z.coerce.number().int().min(1).default(5),
  SIGN_IN_ATTEMPTS_PER_IP_PER_MIN: z.coerce.number().int().min(1).default(30),
  INGEST_REQUESTS_PER_MIN: z.coerce.number().int().min(1).default(120),
  RUNTIME_EVENT_REQUESTS_PER_MIN: z.coerce.number().int().min(1).default(600_000),
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(1).max(10).default(1),
  WEBHOOK_BLOCKED_NETWORKS: z
    .string()
    .default(DEFAULT_BLOCKED_NETWORKS)
    .superRefine((text, ctx) => {
      try {
        parseNetworks(text);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
      }
    }),
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_NAME: z.string().min(1).max(60).default("single sign-on"),
  OIDC_GROUPS_CLAIM: z.string().min(1).default("groups"),
  OIDC_SCOPES: z.string().min(1).default("openid email profile"),
  OIDC_ROLE_MAP: z.string().default(""),
  OIDC_TEAM_MAP: z.string().default(""),
});

export type Env = {
  databaseUrl: string;
  authSecret: string | undefined;
  ingestBodyLimitBytes: number;
  /** Report bytes being read or processed at once; more waits in a queue, then gets 503. */
  ingestInflightBytes: number;
  ingestQueueMs: number;
  /** Connection pools per kind of work, so that ingests cannot starve sign-in (see lib/sql.ts). */
  pools: { interactive: number; ingest: number; events: number };
  statementTimeoutMs: { interactive: number; ingest: number };
  shutdownGraceMs: number;
  jobs: { maintenanceCron: string };
  /** Posture: an image that runs nowhere and was not scanned for `retireAfterDays` is retired; a scan older than `staleAfterDays` is stale. */
  posture: { retireAfterDays: number; staleAfterDays: number };
  /** Where users reach the app; https here makes session cookies Secure. */
  publicUrl: string;
  production: boolean;
  /** How many reverse proxies in front append to X-Forwarded-For (see lib/api/client-ip.ts). */
  trustedProxyHops: number;
  session: { idleMs: number; maxMs: number };
  /** Networks webhooks may not reach (comma-separated CIDR; see lib/notify/destination.ts). */
  notify: { blockedNetworks: string };
  limits: { signInFailuresPer15Min: number; signInAttemptsPerIpPerMin: number; ingestRequestsPerMin: number; runtimeEventRequestsPerMin: number };
  /** Single sign-on is on when issuer, client id and secret are all set. */
  oidc: OidcEnv | null;
};

export interface OidcEnv {
  issuer: string;
  clientId: string;
  clientSecret: string;
  name: string;
  groupsClaim: string;
  scopes: string[];
  /** "group=role,..." and "group=Team name,...": which provider groups grant which role and teams. */
  roleMap: string;
  teamMap: string;
}

const READ = [...Object.keys(envSchema.shape), "NODE_ENV"];
let parsedFor: { key: string; value: Env } | undefined;

/**
 * The settings, parsed again only when a variable they read has changed (tests change them
 * between cases). Parsing on every call cost a runtime-event request a fifth of its CPU time.
 */
export function env(): Env {
  const key = READ.map((name) => process.env[name] ?? "\u0000").join("\u0001");
  if (parsedFor?.key !== key) parsedFor = { key, value: parseEnv() };
  return parsedFor.value;
}

function parseEnv(): Env {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${problems}`);
  }
  return {
    databaseUrl: parsed.data.DATABASE_URL,
    authSecret: parsed.data.BETTER_AUTH_SECRET,
    ingestBodyLimitBytes: Math.floor(parsed.data.INGEST_BODY_LIMIT_MB * mib),
    ingestInflightBytes: Math.floor(Math.max(parsed.data.INGEST_INFLIGHT_MB ?? 0, parsed.data.INGEST_BODY_LIMIT_MB) * mib),
    ingestQueueMs: parsed.data.INGEST_QUEUE_SECONDS * 1000,
    pools: { interactive: parsed.data.DATABASE_POOL_SIZE, ingest: parsed.data.INGEST_POOL_SIZE, events: parsed.data.EVENTS_POOL_SIZE },
    statementTimeoutMs: { interactive: parsed.data.DATABASE_STATEMENT_TIMEOUT_SECONDS * 1000, ingest: parsed.data.INGEST_STATEMENT_TIMEOUT_SECONDS * 1000 },
    shutdownGraceMs: parsed.data.SHUTDOWN_GRACE_SECONDS * 1000,
    jobs: { maintenanceCron: parsed.data.MAINTENANCE_CRON },
    posture: { retireAfterDays: parsed.data.IMAGE_RETIRE_DAYS, staleAfterDays: parsed.data.STALE_SCAN_DAYS },
    publicUrl: parsed.data.PUBLIC_URL ?? `http://localhost:${parsed.data.PORT}`,
    production: process.env.NODE_ENV === "production",
    trustedProxyHops: parsed.data.TRUSTED_PROXY_HOPS,
    session: { idleMs: parsed.data.SESSION_IDLE_MINUTES * 60_000, maxMs: parsed.data.SESSION_MAX_HOURS * 3_600_000 },
    notify: { blockedNetworks: parsed.data.WEBHOOK_BLOCKED_NETWORKS },
    limits: {
      signInFailuresPer15Min: parsed.data.SIGN_IN_FAILURES_PER_15_MIN,
      signInAttemptsPerIpPerMin: parsed.data.SIGN_IN_ATTEMPTS_PER_IP_PER_MIN,
      ingestRequestsPerMin: parsed.data.INGEST_REQUESTS_PER_MIN,
      runtimeEventRequestsPerMin: parsed.data.RUNTIME_EVENT_REQUESTS_PER_MIN,
    },
    oidc: oidcEnv(parsed.data),
  };
}

function oidcEnv(e: z.infer<typeof envSchema>): OidcEnv | null {
  const { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret } = e;
  if (!issuer && !clientId && !clientSecret) return null;
  if (!issuer || !clientId || !clientSecret) {
    throw new Error("Invalid environment: single sign-on needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together");
  }
  return { issuer, clientId, clientSecret, name: e.OIDC_NAME, groupsClaim: e.OIDC_GROUPS_CLAIM, scopes: e.OIDC_SCOPES.split(/[\s,]+/).filter(Boolean), roleMap: e.OIDC_ROLE_MAP, teamMap: e.OIDC_TEAM_MAP };
}
