// Verified API tokens, remembered by the hash of their secret, for the runtime-events route only:
// alerts come a thousand a second, and the token's lookup cost a sixth of such a request (a round
// trip to the database). Every other route reads the token as it is at that moment.
//
// PostgreSQL keeps it right: a trigger (prisma/routines/api-tokens.sql) notifies every process on
// any change to a token that matters (revoked, expired, rebound, deleted), and the cache is used
// only while this process listens. So a revocation takes effect on every replica as soon as the
// notification arrives, and while the listener is down (starting, reconnecting, or a database
// that does not deliver one session's notifications to another, like the embedded one) every
// request looks its token up as before.
import { randomUUID } from "node:crypto";
import { LRUCache } from "lru-cache";
import pg from "pg";
import { env } from "@/lib/env";
import { sqlPool } from "@/lib/sql";
import { onShutdown } from "@/lib/shutdown";
import type { TokenScope } from "@/lib/generated/prisma/enums";

export interface TokenRow {
  id: string;
  prefix: string;
  scopes: TokenScope[];
  teamId: string | null;
  clusterId: string | null;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

const CHANNEL = "portcullis_api_token";
/** A safety net only (a connection that died without a word): the notifications keep entries right. */
const TTL_MS = 60_000;
const RECONNECT_MS = 5_000;
/** How long the listener waits for its own test notification before it gives up on this database. */
const PROBE_MS = 3_000;

interface ListenerState {
  cache: LRUCache<string, TokenRow>;
  /** bumped whenever entries may be stale: a lookup that began before a bump must not be kept */
  generation: number;
  listening: boolean;
  /** set once the database failed the probe: the cache stays off for this process */
  unsupported: boolean;
  client: pg.Client | null;
  started: boolean;
}

// On globalThis: Next may load this module more than once per process.
const global = globalThis as unknown as { portcullisTokenCache?: ListenerState };
const state = (global.portcullisTokenCache ??= {
  cache: new LRUCache<string, TokenRow>({ max: 10_000, ttl: TTL_MS }),
  generation: 0,
  listening: false,
  unsupported: false,
  client: null,
  started: false,
});

/** Forgets every remembered token (a token changed, or the listener may have missed a change). */
export function forgetVerifiedTokens(): void {
  state.generation += 1;
  state.cache.clear();
}

/** The token remembered for this hash, if the cache is in use and holds it. */
export function rememberedToken(hash: string): TokenRow | undefined {
  startListening();
  return state.listening ? state.cache.get(hash) : undefined;
}

/** Whether runtime alerts are let in on remembered tokens now (the listener is up). */
export const rememberingTokens = (): boolean => state.listening;

/** Marks the start of a lookup; pass it to `rememberToken` with the row the lookup found. */
export const lookupGeneration = (): number => state.generation;

export function rememberToken(hash: string, row: TokenRow, since: number): void {
  if (state.listening && state.generation === since) state.cache.set(hash, row);
}

function startListening(): void {
  if (state.started || state.unsupported) return;
  state.started = true;
  onShutdown(stopListening);
  void listen();
}

async function listen(): Promise<void> {
  const client = new pg.Client({ connectionString: env().databaseUrl, application_name: "portcullis-token-listener", keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
  state.client = client;
  const lost = () => {
    if (state.client !== client) return;
    state.client = null;
    state.listening = false;
    forgetVerifiedTokens();
    if (state.started && !state.unsupported) setTimeout(() => void listen(), RECONNECT_MS).unref();
  };
  client.on("error", lost);
  client.on("end", lost);
  try {
    await client.connect();
    const probe = `probe:${randomUUID()}`;
    const delivered = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), PROBE_MS);
      client.on("notification", (message) => {
        if (message.payload === probe) {
          clearTimeout(timer);
          resolve(true);
        } else forgetVerifiedTokens();
      });
    });
    await client.query(`LISTEN ${CHANNEL}`);
    // Sent from another connection, as a revocation would be: the embedded database delivered a
    // listener its own notification but not one from the admin CLI, so there the cache stays off.
    await sqlPool("interactive").query(`SELECT pg_notify($1, $2)`, [CHANNEL, probe]);
    if (!(await delivered)) {
      state.unsupported = true;
      console.warn("[portcullis] this database does not pass notifications between connections: runtime alerts look their API token up on every request");
      await client.end();
      return;
    }
    // Anything cached before now was cached without a listener: start clean.
    forgetVerifiedTokens();
    state.listening = true;
  } catch {
    lost();
    await client.end().catch(() => undefined);
  }
}

async function stopListening(): Promise<void> {
  state.started = false;
  state.listening = false;
  const client = state.client;
  state.client = null;
  await client?.end().catch(() => undefined);
}
