"use client";
// The forms of /admin/policy: SLA days per severity, and ownership rules.
import { ActionForm } from "@/components/ui/action-form";
import { button, dangerButton, input, label } from "@/components/admin/ui";
import { severityLabel } from "@/components/ui/severity";
import { createRuleAction, deleteRuleAction, setSlaAction, setSlaOptionsAction, setTeamSlaAction } from "@/app/(app)/admin/actions";
import type { Severity } from "@/lib/findings/model";

export function SlaForm({ sla }: { sla: { severity: Severity; days: number | null }[] }) {
  return (
    <ActionForm action={setSlaAction} className="flex flex-wrap items-end gap-3">
      {sla.map((s) => (
        <label key={s.severity} className={label}>
          {severityLabel[s.severity]}
          <input name={s.severity} type="number" min={1} max={3650} placeholder="no SLA" defaultValue={s.days ?? ""} className={`${input} w-24`} />
        </label>
      ))}
      <span className="pb-2 text-sm text-slate-500">days to fix, from first seen; open findings follow a change at once</span>
      <button type="submit" className={button}>Save SLA</button>
    </ActionForm>
  );
}

export function CreateRuleForm({ teams }: { teams: string[] }) {
  return (
    <ActionForm action={createRuleAction} className="flex flex-wrap items-end gap-3" resetOnSuccess>
      <label className={label}>
        Team
        <select name="team" required className={input}>
          {teams.map((t) => (
            <option key={t} value={t}>{t}</option>
          ))}
        </select>
      </label>
      <label className={label}>
        Repository prefix
        <input name="repositoryPrefix" placeholder="registry.acme.dev/payments/" className={`${input} w-72`} />
      </label>
      <span className="pb-2 text-sm text-slate-500">or</span>
      <label className={label}>
        Cluster
        <input name="clusterName" placeholder="prod-eu" className={input} />
      </label>
      <label className={label}>
        Namespace
        <input name="namespace" placeholder="any" className={input} />
      </label>
      <button type="submit" className={button}>Add rule</button>
    </ActionForm>
  );
}

export function DeleteRuleForm({ ruleId, what }: { ruleId: string; what: string }) {
  return (
    <ActionForm action={deleteRuleAction} showResult={false}>
      <input type="hidden" name="ruleId" value={ruleId} />
      <button type="submit" className={dangerButton} aria-label={`Remove rule for ${what}`}>Remove</button>
    </ActionForm>
  );
}

export function SlaOptionsForm({ options }: { options: { reopenRestartsClock: boolean; clockStartsAtFix: boolean; maxExceptionDays: number } }) {
  return (
    <ActionForm action={setSlaOptionsAction} className="flex flex-col gap-2 text-sm">
      <label className="flex items-center gap-2"><input type="checkbox" name="reopenRestartsClock" defaultChecked={options.reopenRestartsClock} /> A finding that reopens gets a new due date (otherwise it keeps counting from first seen)</label>
      <label className="flex items-center gap-2"><input type="checkbox" name="clockStartsAtFix" defaultChecked={options.clockStartsAtFix} /> A vulnerability&apos;s clock starts when a fix is available (otherwise at first seen)</label>
      <label className="flex items-center gap-2">
        An exception lasts at most
        <input name="maxExceptionDays" type="number" min={1} max={365} defaultValue={options.maxExceptionDays} className={`${input} w-20`} aria-label="Longest exception in days" /> days
      </label>
      <div><button type="submit" className={button}>Save options</button></div>
    </ActionForm>
  );
}

export function TeamSlaForm({ teams }: { teams: string[] }) {
  return (
    <ActionForm action={setTeamSlaAction} className="flex flex-wrap items-end gap-3">
      <label className={label}>
        Team
        <select name="team" required className={input}>{teams.map((t) => <option key={t} value={t}>{t}</option>)}</select>
      </label>
      {(["critical", "high", "medium", "low", "unknown"] as const).map((s) => (
        <label key={s} className={label}>
          {severityLabel[s]}
          <input name={s} type="number" min={1} max={3650} placeholder="org" className={`${input} w-20`} />
        </label>
      ))}
      <button type="submit" className={button}>Save team SLA</button>
    </ActionForm>
  );
}
