"use client";
// /admin/webhooks: a new webhook (its signing secret shown once), rotating a secret, removing one.
import { ActionForm } from "@/components/ui/action-form";
import { button, dangerButton, input, label, quietButton } from "@/components/admin/ui";
import { createWebhookAction, deleteWebhookAction, rotateWebhookAction } from "@/app/(app)/admin/actions";
import type { FormState } from "@/lib/admin/form-state";
import { EVENT_LABELS, WEBHOOK_EVENTS } from "@/lib/notify/events";

function Secret({ state }: { state: FormState }) {
  if (!state.secret) return null;
  return (
    <div className="basis-full rounded-md border border-amber-300 bg-amber-50 p-3">
      <div className="text-sm font-medium text-amber-900">Signing secret (shown only now; it is not stored):</div>
      <code data-testid="webhook-secret" className="mt-1 block break-all rounded bg-white px-2 py-1 font-mono text-sm text-slate-900">{state.secret}</code>
    </div>
  );
}

export function CreateWebhookForm({ teams }: { teams: string[] }) {
  return (
    <ActionForm action={createWebhookAction} resetOnSuccess className="flex flex-wrap items-end gap-3" renderResult={(state) => <Secret state={state} />}>
      <label className={label}>
        Name
        <input name="name" required maxLength={100} placeholder="security-alerts" className={input} />
      </label>
      <label className={label}>
        URL
        <input name="url" type="url" required placeholder="https://hooks.slack.com/services/…" className={`${input} w-full sm:w-96`} />
      </label>
      <label className={label}>
        Body
        <select name="format" className={input} defaultValue="generic">
          <option value="generic">generic JSON (signed)</option>
          <option value="slack">Slack</option>
        </select>
      </label>
      <label className={label}>
        Events of
        <select name="team" className={input} defaultValue="">
          <option value="">every team</option>
          {teams.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
      </label>
      <fieldset className="basis-full text-sm">
        <legend className="mb-1 font-medium text-slate-700">Events</legend>
        <div className="flex flex-wrap gap-x-5 gap-y-1">
          {WEBHOOK_EVENTS.map((event) => (
            <label key={event} className="flex items-center gap-1.5" title={event}>
              <input type="checkbox" name="events" value={event} defaultChecked /> {EVENT_LABELS[event]}
            </label>
          ))}
        </div>
      </fieldset>
      <button type="submit" className={button}>Add webhook</button>
    </ActionForm>
  );
}

export function WebhookActions({ id, name }: { id: string; name: string }) {
  return (
    <div className="flex flex-wrap gap-2">
      <ActionForm action={rotateWebhookAction} renderResult={(state) => <Secret state={state} />} showResult={false}>
        <input type="hidden" name="id" value={id} />
        <button type="submit" className={quietButton} aria-label={`New secret for ${name}`}>New secret</button>
      </ActionForm>
      <ActionForm action={deleteWebhookAction} showResult={false}>
        <input type="hidden" name="id" value={id} />
        <button type="submit" className={dangerButton} aria-label={`Remove ${name}`}>Remove</button>
      </ActionForm>
    </div>
  );
}
