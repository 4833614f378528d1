import { AdminTable } from "@/components/admin/admin-table";
import type { Metadata } from "next";
import { CreateRuleForm, DeleteRuleForm, SlaForm } from "@/components/admin/policy-forms";
import { td } from "@/components/admin/ui";
import { Panel } from "@/components/ui/panel";
import { requirePermission } from "@/lib/auth/viewer";
import { loadPolicy } from "@/lib/admin/policy";
import { listTeams } from "@/lib/admin/teams";

export const metadata: Metadata = { title: "Policy" };

export default async function PolicyPage() {
  const viewer = await requirePermission("policy:manage");
  const [policy, teams] = await Promise.all([loadPolicy(viewer), listTeams(viewer)]);
  return (
    <div className="flex flex-col gap-6">
      <Panel title="SLA: days to fix an open finding, per severity">
        <SlaForm sla={policy.sla} />
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
