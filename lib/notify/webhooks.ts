// Outgoing webhooks, configured by admins and security leads: for one team's events or for all.
// The signing secret is shown once (at creation and on rotation) and never stored.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { blankAsUndefined, check, teamNameField } from "@/lib/admin/input";
import { auditActor, authorize, type Actor } from "@/lib/authz/actor";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { refusedDestination } from "@/lib/notify/destination";
import { WEBHOOK_EVENTS } from "@/lib/notify/events";
import { webhookSecret } from "@/lib/notify/secret";

const webhookInput = z.object({
  name: z.string().trim().min(1, "a name is required").max(100),
  url: z
    .string()
    .trim()
    .max(2000)
    .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), "url must be an http:// or https:// address")
    .superRefine((u, ctx) => {
      const refused = URL.canParse(u) ? refusedDestination(new URL(u)) : null;
      if (refused) ctx.addIssue({ code: "custom", message: refused });
    }),
  format: z.enum(["generic", "slack"], { message: "format is generic or slack" }),
  team: z.preprocess(blankAsUndefined, teamNameField.optional()),
  events: z.array(z.enum(WEBHOOK_EVENTS, { message: `events are ${WEBHOOK_EVENTS.join(", ")}` })).min(1, "choose at least one event"),
});

export async function createWebhook(actor: Actor, input: z.input<typeof webhookInput>): Promise<{ id: string; secret: string }> {
  authorize(actor, "policy:manage");
  const hook = check(webhookInput, input);
  const team = hook.team ? await db.team.findUnique({ where: { name: hook.team }, select: { id: true } }) : null;
  if (hook.team && !team) throw new AppError("not_found", `No team is named "${hook.team}"`);
  const salt = randomBytes(16).toString("base64url");
  const created = await db.$transaction(async (tx) => {
    const row = await tx.webhook.create({
      data: { name: hook.name, url: hook.url, format: hook.format, teamId: team?.id ?? null, events: [...new Set(hook.events)], secretSalt: salt, createdById: actor.kind === "user" ? actor.userId : null },
      select: { id: true },
    });
    await recordAudit({ ...auditActor(actor), action: "webhook.created", targetType: "webhook", targetId: row.id, details: { name: hook.name, url: hook.url, format: hook.format, team: hook.team ?? null, events: hook.events } }, tx);
    return row;
  });
  return { id: created.id, secret: await webhookSecret(created.id, salt) };
}

export async function rotateWebhookSecret(actor: Actor, id: string): Promise<{ secret: string }> {
  authorize(actor, "policy:manage");
  const salt = randomBytes(16).toString("base64url");
  await db.$transaction(async (tx) => {
    const updated = await tx.webhook.updateMany({ where: { id }, data: { secretSalt: salt } });
    if (updated.count === 0) throw new AppError("not_found", "No such webhook");
    await recordAudit({ ...auditActor(actor), action: "webhook.secret_rotated", targetType: "webhook", targetId: id }, tx);
  });
  return { secret: await webhookSecret(id, salt) };
}

export async function deleteWebhook(actor: Actor, id: string): Promise<void> {
  authorize(actor, "policy:manage");
  await db.$transaction(async (tx) => {
    const gone = await tx.webhook.deleteMany({ where: { id } });
    if (gone.count === 0) throw new AppError("not_found", "No such webhook");
    await recordAudit({ ...auditActor(actor), action: "webhook.deleted", targetType: "webhook", targetId: id }, tx);
  });
}

export async function listWebhooks(actor: Actor) {
  authorize(actor, "policy:manage");
  return db.webhook.findMany({
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, url: true, format: true, events: true, enabled: true, createdAt: true, team: { select: { name: true } } },
  });
}

/** The delivery log: the latest deliveries of every webhook. */
export async function deliveryLog(actor: Actor, take = 50) {
  authorize(actor, "policy:manage");
  return db.webhookDelivery.findMany({
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, event: true, eventKey: true, status: true, attempts: true, lastStatusCode: true, lastError: true, nextAttemptAt: true, deliveredAt: true, createdAt: true, webhook: { select: { name: true } } },
  });
}
