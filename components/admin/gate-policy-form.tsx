"use client";
// /admin/policy: a gate policy's rules as editable rows (saved as the policy's next version), and
// which policy a team's images are judged by.
import { useState } from "react";
import { ActionForm } from "@/components/ui/action-form";
import { button, dangerButton, input, label, quietButton } from "@/components/admin/ui";
import { saveGatePolicyAction, setTeamGatePolicyAction } from "@/app/(app)/admin/actions";
import { GATE_KINDS, describeRule, type GateRule } from "@/lib/gate/policy";
import { SEVERITIES } from "@/lib/findings/model";

const NEW_RULES: Record<GateRule["type"], GateRule> = {
  findings: { type: "findings", action: "fail", kind: "vulnerability", minSeverity: "critical", fixAvailable: true, graceDays: 0 },
  scan_age: { type: "scan_age", action: "fail", maxDays: 7 },
  end_of_life_os: { type: "end_of_life_os", action: "warn" },
  root_or_privileged: { type: "root_or_privileged", action: "warn" },
};

export function GatePolicyForm({ name, rules: initial, version }: { name: string; rules: GateRule[]; version: number }) {
  const [rules, setRules] = useState<GateRule[]>(initial);
  const update = (i: number, change: Partial<GateRule>) => setRules(rules.map((r, j) => (j === i ? ({ ...r, ...change } as GateRule) : r)));
  const missing = (Object.keys(NEW_RULES) as GateRule["type"][]).filter((t) => t === "findings" || !rules.some((r) => r.type === t));
  return (
    <ActionForm action={saveGatePolicyAction} className="flex flex-col gap-3">
      <input type="hidden" name="name" value={name} />
      <input type="hidden" name="rules" value={JSON.stringify(rules)} />
      <ol className="flex flex-col gap-2" aria-label={`Rules of policy ${name}`}>
        {rules.map((rule, i) => (
          <li key={i} className="flex flex-wrap items-end gap-2 rounded-md border border-slate-200 p-2">
            <label className={label}>
              Action
              <select value={rule.action} onChange={(e) => update(i, { action: e.target.value as GateRule["action"] })} className={input} aria-label={`Action of rule ${i + 1}`}>
                <option value="fail">fail</option>
                <option value="warn">warn</option>
              </select>
            </label>
            {rule.type === "findings" && (
              <>
                <label className={label}>
                  Kind
                  <select value={rule.kind} onChange={(e) => update(i, { kind: e.target.value as (typeof GATE_KINDS)[number] })} className={input} aria-label={`Kind of rule ${i + 1}`}>
                    {GATE_KINDS.map((k) => <option key={k} value={k}>{k}</option>)}
                  </select>
                </label>
                <label className={label}>
                  Severity at least
                  <select value={rule.minSeverity} onChange={(e) => update(i, { minSeverity: e.target.value as (typeof SEVERITIES)[number] })} className={input} aria-label={`Severity of rule ${i + 1}`}>
                    {SEVERITIES.map((s) => <option key={s} value={s}>{s === "unknown" ? "any" : s}</option>)}
                  </select>
                </label>
                <label className="flex items-center gap-1.5 pb-2 text-sm text-slate-700">
                  <input type="checkbox" checked={rule.fixAvailable} onChange={(e) => update(i, { fixAvailable: e.target.checked })} aria-label={`Only with a fix, rule ${i + 1}`} /> only with a fix
                </label>
                <label className={label}>
                  Grace days
                  <input type="number" min={0} max={365} value={rule.graceDays} onChange={(e) => update(i, { graceDays: Number(e.target.value) })} className={`${input} w-20`} aria-label={`Grace days of rule ${i + 1}`} />
                </label>
              </>
            )}
            {rule.type === "scan_age" && (
              <label className={label}>
                Scan at most (days)
                <input type="number" min={1} max={365} value={rule.maxDays} onChange={(e) => update(i, { maxDays: Number(e.target.value) })} className={`${input} w-20`} aria-label={`Days of rule ${i + 1}`} />
              </label>
            )}
            <span className="pb-2 text-sm text-slate-600">{describeRule(rule)}</span>
            <button type="button" className={`${dangerButton} ml-auto`} onClick={() => setRules(rules.filter((_, j) => j !== i))} aria-label={`Remove rule ${i + 1}`}>
              Remove
            </button>
          </li>
        ))}
      </ol>
      <div className="flex flex-wrap items-center gap-2">
        {missing.map((type) => (
          <button key={type} type="button" className={quietButton} onClick={() => setRules([...rules, NEW_RULES[type]])}>
            + {type === "findings" ? "findings rule" : describeRule(NEW_RULES[type])}
          </button>
        ))}
        <button type="submit" className={`${button} ml-auto`}>Save as version {version + 1}</button>
      </div>
    </ActionForm>
  );
}

export function NewGatePolicyForm() {
  return (
    <ActionForm action={saveGatePolicyAction} className="flex flex-wrap items-end gap-3" resetOnSuccess>
      <label className={label}>
        New policy
        <input name="name" required pattern="[a-z0-9][a-z0-9\-]{0,62}" placeholder="strict" className={input} />
      </label>
      <input type="hidden" name="rules" value="copy-default" />
      <button type="submit" className={quietButton}>Create from the default</button>
    </ActionForm>
  );
}

export function TeamGatePolicyForm({ teams, policies }: { teams: string[]; policies: string[] }) {
  return (
    <ActionForm action={setTeamGatePolicyAction} className="flex flex-wrap items-end gap-3">
      <label className={label}>
        Team
        <select name="team" required className={input}>
          {teams.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
      </label>
      <label className={label}>
        Judged by
        <select name="policy" className={input}>
          {policies.map((p) => <option key={p} value={p}>{p}</option>)}
        </select>
      </label>
      <button type="submit" className={button}>Set team policy</button>
    </ActionForm>
  );
}
