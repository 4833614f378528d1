// Sends queued webhook deliveries (the job `notify.deliver`, every minute and when woken). Each
// replica claims a batch with SKIP LOCKED and holds it while it sends, so a delivery is sent by
// one replica at a time; a failure is retried with exponential backoff, up to MAX_ATTEMPTS.
import { db } from "@/lib/db";
import type { EventBody } from "@/lib/notify/events";
import { postJson } from "@/lib/notify/destination";
import { signature, webhookSecret } from "@/lib/notify/secret";

export const MAX_ATTEMPTS = 6;
const BATCH = 50;
const TIMEOUT_MS = 10_000;
const HOLD_MS = 60_000;
const RETRY_BASE_MS = 30_000;

/** 30 s, 2 min, 8 min, 32 min, ~2 h after the 1st…5th failure. */
export function retryDelayMs(attempts: number): number {
  return RETRY_BASE_MS * 4 ** (attempts - 1);
}

interface Claimed {
  id: string;
  attempts: number;
  body: EventBody;
  webhookId: string;
  url: string;
  format: "generic" | "slack";
  secretSalt: string;
}

/** Slack reads &, < and > in text as markup (links, mentions): text from reports and people is escaped. */
const slackText = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Slack's incoming-webhook body: the line, and a link to the page. */
function slackBody(body: EventBody): object {
  const text = slackText(body.text);
  return { text: `${text} <${body.url}|Open in Portcullis>`, blocks: [{ type: "section", text: { type: "mrkdwn", text: `*${body.event}* · ${text}\n<${body.url}|Open in Portcullis>` } }] };
}

async function send(claimed: Claimed, now: Date): Promise<{ ok: boolean; status: number | null; error: string | null }> {
  const text = JSON.stringify(claimed.format === "slack" ? slackBody(claimed.body) : claimed.body);
  const timestamp = Math.floor(now.getTime() / 1000);
  const headers = {
    "content-type": "application/json",
    "user-agent": "Portcullis-Webhook/1",
    "x-portcullis-event": claimed.body.event,
    "x-portcullis-delivery": claimed.id,
    "x-portcullis-timestamp": String(timestamp),
    "x-portcullis-signature": signature(await webhookSecret(claimed.webhookId, claimed.secretSalt), timestamp, text),
  };
  try {
    const status = await postJson(claimed.url, headers, text, TIMEOUT_MS);
    const ok = status >= 200 && status < 300;
    return { ok, status, error: ok ? null : `HTTP ${status}` };
  } catch (error) {
    return { ok: false, status: null, error: String((error as Error).message ?? error).slice(0, 300) };
  }
}

export async function deliverDue(now = new Date()): Promise<{ delivered: number; retrying: number; failed: number }> {
  const claimed = await db.$queryRaw<Claimed[]>`
    UPDATE "WebhookDelivery" d SET "lockedUntil" = ${new Date(now.getTime() + HOLD_MS)}
    FROM (SELECT id FROM "WebhookDelivery" WHERE status = 'pending' AND "nextAttemptAt" <= ${now} AND ("lockedUntil" IS NULL OR "lockedUntil" < ${now})
          ORDER BY "nextAttemptAt" LIMIT ${BATCH} FOR UPDATE SKIP LOCKED) c, "Webhook" w
    WHERE d.id = c.id AND w.id = d."webhookId"
    RETURNING d.id, d.attempts, d.body, d."webhookId", w.url, w.format::text AS format, w."secretSalt"`;
  const outcome = { delivered: 0, retrying: 0, failed: 0 };
  await Promise.all(
    claimed.map(async (c) => {
      const result = await send(c, now);
      const attempts = c.attempts + 1;
      const status = result.ok ? "delivered" : attempts >= MAX_ATTEMPTS ? "failed" : "pending";
      outcome[status === "delivered" ? "delivered" : status === "failed" ? "failed" : "retrying"]++;
      await db.webhookDelivery.update({
        where: { id: c.id },
        data: {
          status,
          attempts,
          lockedUntil: null,
          lastStatusCode: result.status,
          lastError: result.error,
          deliveredAt: result.ok ? new Date() : null,
          nextAttemptAt: result.ok || status === "failed" ? undefined : new Date(now.getTime() + retryDelayMs(attempts)),
        },
      });
    }),
  );
  return outcome;
}
