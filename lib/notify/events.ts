// What Portcullis tells webhooks about, and the one body every event has (the Slack body is made from it).
export const WEBHOOK_EVENTS = ["gate.failed", "finding.new_critical", "sla.breached", "exception.requested", "exception.decided", "exception.expiring"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const EVENT_LABELS: Record<WebhookEvent, string> = {
  "gate.failed": "A pipeline's gate call failed",
  "finding.new_critical": "A scan found new critical findings",
  "sla.breached": "Open findings passed their due date",
  "exception.requested": "An exception was requested",
  "exception.decided": "An exception was approved or rejected",
  "exception.expiring": "An approved exception ends within 7 days",
};

export interface NotifyEvent {
  event: WebhookEvent;
  /** what happened, once: a webhook receives each key at most once */
  key: string;
  /** the team it concerns (team webhooks get only theirs; null: only organisation-wide webhooks) */
  teamId: string | null;
  /** one line for people (Slack's text) */
  text: string;
  /** the app path to look at it ("/images/…") */
  path: string;
  data: Record<string, unknown>;
}

/** The generic body: what a receiver verifies and parses. */
export interface EventBody {
  id: string;
  event: WebhookEvent;
  occurredAt: string;
  teamId: string | null;
  text: string;
  url: string;
  data: Record<string, unknown>;
}
