// Queues an event for every webhook that wants it, in the transaction of the change it reports
// (an outbox): if the change rolls back, nothing is sent; if it commits, the delivery job sends it.
// (webhookId, eventKey) is unique, so an event recorded twice is still sent once.
import type { Run } from "@/lib/sql";
import { env } from "@/lib/env";
import type { EventBody, NotifyEvent } from "@/lib/notify/events";
import { wakeDelivery } from "@/lib/notify/wake";


/** Whether any enabled webhook wants this event (so callers skip building it when none does). */
export async function anyWebhookFor(run: Run, event: NotifyEvent["event"]): Promise<boolean> {
  return (await run(`SELECT 1 FROM "Webhook" WHERE enabled AND $1 = ANY(events) LIMIT 1`, [event])).length > 0;
}

export async function notify(run: Run, e: NotifyEvent, now = new Date()): Promise<number> {
  const body: EventBody = { id: e.key, event: e.event, occurredAt: now.toISOString(), teamId: e.teamId, text: e.text, url: new URL(e.path, env().publicUrl).toString(), data: e.data };
  const queued = await run(
    `INSERT INTO "WebhookDelivery" (id, "webhookId", event, "eventKey", body, "nextAttemptAt", "createdAt")
     SELECT gen_random_uuid()::text, w.id, $1, $2, $3::jsonb, $4::timestamptz, $4::timestamptz FROM "Webhook" w
     WHERE w.enabled AND $1 = ANY(w.events) AND (w."teamId" IS NULL OR w."teamId" = $5)
     ON CONFLICT ("webhookId", "eventKey") DO NOTHING RETURNING id`,
    [e.event, e.key, JSON.stringify(body), now.toISOString(), e.teamId],
  );
  // Sent after the commit: the delivery job reads only committed rows (and runs every minute anyway).
  if (queued.length > 0) setTimeout(wakeDelivery, 200).unref?.();
  return queued.length;
}
