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
import { listPolicies } from "@/lib/gate/store";
import { GatePolicyForm, NewGatePolicyForm, TeamGatePolicyForm } from "@/components/admin/gate-policy-form";

export const metadata: Metadata = { title: "Policy" };

export default async function PolicyPage() {
  const viewer = await requirePermission("policy:manage");
  const [policy, teams, options, overrides, gates] = await Promise.all([loadPolicy(viewer), listTeams(viewer), loadSlaSettings(), teamSlaOverrides(), listPolicies(viewer)]);
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
      <Panel title="CI gate policies">
        <p className="mb-3 text-sm text-slate-500">
          <code>GET /api/v1/gate?image=…</code> fails an image when a <strong>fail</strong> rule matches and warns on a <strong>warn</strong> rule. Open
          means open or in progress: findings under an approved exception, false positives and not affected ones never count. An image never
          scanned always fails. Each save is a new version; decisions name the version they were made under.
        </p>
        <div className="flex flex-col gap-5">
          {gates.map((gate) => (
            <section key={gate.name} aria-label={`Gate policy ${gate.name}`}>
              <h3 className="mb-2 text-sm font-semibold text-slate-800">
                {gate.name} <span className="font-normal text-slate-500">version {gate.version}{gate.teams.length > 0 ? ` · used by ${gate.teams.join(", ")}` : gate.name === "default" ? " · every team without its own" : " · no team yet"}</span>
              </h3>
              <GatePolicyForm name={gate.name} rules={gate.rules} version={gate.version} />
            </section>
          ))}
          <NewGatePolicyForm />
          <TeamGatePolicyForm teams={teams.map((t) => t.name)} policies={gates.map((g) => g.name)} />
        </div>
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
