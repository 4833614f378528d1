import { AdminTable } from "@/components/admin/admin-table";
import type { Metadata } from "next";
import { CreateRuleForm, DeleteRuleForm, SlaForm, SlaOptionsForm, TeamSlaForm } from "@/components/admin/policy-forms";
import { loadSlaSettings } from "@/lib/sla/settings";
import { teamSlaOverrides } from "@/lib/sla/policy";
import { td } from "@/components/admin/ui";
import { Panel } from "@/components/ui/panel";
import { requirePermission } from "@/lib/auth/viewer";
import { loadPolicy } from "@/lib/admin/policy";
import { listTeams } from "@/lib/admin/teams";

export const metadata: Metadata = { title: "Policy" };

export default async function PolicyPage() {
  const viewer = await requirePermission("policy:manage");
  const [policy, teams, options, overrides] = await Promise.all([loadPolicy(viewer), listTeams(viewer), loadSlaSettings(), teamSlaOverrides()]);
  return (
    <div className="flex flex-col gap-6">
      <Panel title="SLA: days to fix an open finding, per severity">
        <SlaForm sla={policy.sla} />
      </Panel>
      <Panel title="SLA clock and exceptions">
        <SlaOptionsForm options={options} />
      </Panel>
      <Panel title="A team's own SLA days">
        <p className="mb-3 text-sm text-slate-500">Blank keeps the organisation&apos;s days for that severity. Saving replaces the team&apos;s days.</p>
        <TeamSlaForm teams={teams.map((t) => t.name)} />
        {overrides.length > 0 && (
          <ul className="mt-3 text-sm text-slate-700" aria-label="Team SLA overrides">
            {overrides.map((o) => <li key={o.team}>{o.team}: {Object.entries(o.days).map(([s, d]) => `${s} ${d} days`).join(", ")}</li>)}
          </ul>
        )}
      </Panel>
      <Panel title="Ownership rules">
        <p className="mb-3 text-sm text-slate-500">
          A scan that names no team gives its target to the team of the most specific rule: the longest matching repository prefix, then a
          cluster and namespace, then a cluster.
        </p>
        <CreateRuleForm teams={teams.map((t) => t.name)} />
      </Panel>
      <AdminTable columns={["Applies to", "Team", { label: "Actions", hidden: true }]} empty={policy.rules.length === 0 ? "No rules yet." : null}>
        {policy.rules.map((rule) => {
          const what = rule.repositoryPrefix ? `repositories ${rule.repositoryPrefix}…` : `cluster ${rule.clusterName}${rule.namespace ? `, namespace ${rule.namespace}` : ""}`;
          return (
            <tr key={rule.id}>
              <td className={`${td} font-mono text-xs`}>{what}</td>
              <td className={td}>{rule.team.name}</td>
              <td className={td}><DeleteRuleForm ruleId={rule.id} what={what} /></td>
            </tr>
          );
        })}
      </AdminTable>
    </div>
  );
}
