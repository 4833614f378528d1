"use client";
// The forms of /admin/policy: SLA days per severity, and ownership rules.
import { ActionForm } from "@/components/ui/action-form";
import { button, dangerButton, input, label } from "@/components/admin/ui";
import { severityLabel } from "@/components/ui/severity";
import { createRuleAction, deleteRuleAction, setSlaAction } from "@/app/(app)/admin/actions";
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
      <span className="pb-2 text-sm text-slate-500">days to fix; applies to findings found or reopened from now on</span>
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
