// Rate limits on sign-in and on the ingest API, counted in PostgreSQL (rate-limiter-flexible)
// so every replica shares them. Going over answers 429 with Retry-After.
import { createHash } from "node:crypto";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { sqlPool } from "@/lib/sql";
import { recordAudit } from "@/lib/audit/record";

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

const runtimeLimiters = new Map<number, RateLimiterMemory>();
const lastRefusalTrace = new Map<string, { at: number; refused: number }>();

/**
 * Refused alerts leave a trace: an audit entry per token and minute, with how many were refused
 * since the last one (security leads see that alerts were lost upstream, and which sender to fix).
 */
async function traceRefusedAlerts(tokenId: string, points: number): Promise<void> {
  const now = Date.now();
  const trace = lastRefusalTrace.get(tokenId) ?? { at: 0, refused: 0 };
  trace.refused += 1;
  lastRefusalTrace.set(tokenId, trace);
  if (now - trace.at < 60_000) return;
  const refused = trace.refused;
  lastRefusalTrace.set(tokenId, { at: now, refused: 0 });
  console.warn(`[portcullis] ${refused} runtime-event request(s) of token ${tokenId} refused by the rate limit (RUNTIME_EVENT_REQUESTS_PER_MIN=${points})`);
  await recordAudit({
    action: "runtime_events.rate_limited",
    actorToken: tokenId,
    actorLabel: "rate limit",
    targetType: "token",
    targetId: tokenId,
    details: { refused, limitPerMinute: points, setting: "RUNTIME_EVENT_REQUESTS_PER_MIN" },
  });
}

/**
 * Runtime alerts come one per request, a thousand a second from a noisy cluster: their budget is
 * a flood guard counted in each replica's memory (a write per alert would cost more than the alert).
 */
function runtimeLimiter(points: number): RateLimiterMemory {
  let found = runtimeLimiters.get(points);
  if (!found) runtimeLimiters.set(points, (found = new RateLimiterMemory({ keyPrefix: "runtime-events", points, duration: 60 })));
  return found;
}

/**
 * One ingest call by this token; throws RateLimited over the per-minute budget. Scans and runtime
 * alerts have separate budgets, so a busy CI can never use up the budget of security alerts.
 */
export async function consumeIngest(tokenId: string, budget: IngestBudget = "scans"): Promise<void> {
  const { ingestRequestsPerMin, runtimeEventRequestsPerMin } = env().limits;
  const points = budget === "scans" ? ingestRequestsPerMin : runtimeEventRequestsPerMin;
  try {
    await (budget === "scans" ? limiter("ingest", points, 60) : runtimeLimiter(points)).consume(tokenId);
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    if (budget === "runtime-events") await traceRefusedAlerts(tokenId, points);
    throw new RateLimited(retryAfter(error), `This token is over ${points} ${budget === "scans" ? "ingest" : "runtime-event"} requests per minute.`);
  }
}
