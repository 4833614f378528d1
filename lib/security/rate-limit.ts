// Rate limits on sign-in and on the ingest API, counted in PostgreSQL (rate-limiter-flexible)
// so every replica shares them. Going over answers 429 with Retry-After.
import { createHash } from "node:crypto";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { sqlPool } from "@/lib/sql";

export class RateLimited extends AppError {
  constructor(
    readonly retryAfterSeconds: number,
    readonly reason: string,
  ) {
    super("rate_limited", `${reason} Retry in ${retryAfterSeconds} s.`, { "Retry-After": String(retryAfterSeconds) });
    this.name = "RateLimited";
  }
}

const cache = new Map<string, RateLimiterPostgres>();

/**
 * The interactive pool (sign-in must not wait behind reports), minus prepared-statement names:
 * the embedded database serves every connection from one backend session, where a name prepared
 * on one connection collides on the next.
 */
const unnamedStatements = {
  query: (q: { text: string; values?: unknown[] }) => sqlPool("interactive").query({ text: q.text, values: q.values }),
};

/** One limiter per (purpose, points, window); the table comes from a migration. */
function limiter(keyPrefix: string, points: number, duration: number): RateLimiterPostgres {
  const id = `${keyPrefix}:${points}:${duration}`;
  let found = cache.get(id);
  if (!found) {
    found = new RateLimiterPostgres({ storeClient: unnamedStatements, storeType: "pool", tableName: "rate_limits", tableCreated: true, keyPrefix, points, duration });
    cache.set(id, found);
  }
  return found;
}

const retryAfter = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

/** Emails are keyed by hash: the counters table never holds an address. */
const emailKey = (email: string) => createHash("sha256").update(email.trim().toLowerCase()).digest("hex");

const signInFailures = () => limiter("signin-fail", env().limits.signInFailuresPer15Min, 15 * 60);
const signInPerIp = () => limiter("signin-ip", env().limits.signInAttemptsPerIpPerMin, 60);

/** Before checking a password: too many attempts from this address, or too many failures for this email. */
export async function checkSignInAllowed(email: string, ip: string | null): Promise<void> {
  try {
    await signInPerIp().consume(ip ?? "unknown");
  } catch (error) {
    if (error instanceof RateLimiterRes) throw new RateLimited(retryAfter(error), "Too many sign-in attempts from this address.");
    throw error;
  }
  const failures = await signInFailures().get(emailKey(email));
  if (failures && failures.remainingPoints <= 0) throw new RateLimited(retryAfter(failures), "Too many failed sign-ins for this account.");
}

export async function recordSignInFailure(email: string): Promise<void> {
  await signInFailures().penalty(emailKey(email));
}

export async function clearSignInFailures(email: string): Promise<void> {
  await signInFailures().delete(emailKey(email));
}

export type IngestBudget = "scans" | "runtime-events";

/**
 * One ingest call by this token; throws RateLimited over the per-minute budget. Scans and runtime
 * alerts have separate budgets, so a busy CI can never use up the budget of security alerts.
 */
export async function consumeIngest(tokenId: string, budget: IngestBudget = "scans"): Promise<void> {
  const { ingestRequestsPerMin, runtimeEventRequestsPerMin } = env().limits;
  const points = budget === "scans" ? ingestRequestsPerMin : runtimeEventRequestsPerMin;
  try {
    await limiter(budget === "scans" ? "ingest" : "runtime-events", points, 60).consume(tokenId);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw new RateLimited(retryAfter(error), `This token is over ${points} ${budget === "scans" ? "ingest" : "runtime-event"} requests per minute.`);
    throw error;
  }
}
