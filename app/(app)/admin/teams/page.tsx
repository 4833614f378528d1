import { AdminTable } from "@/components/admin/admin-table";
import type { Metadata } from "next";
import { Panel } from "@/components/ui/panel";
import { ActionForm } from "@/components/ui/action-form";
import { button, input, label, td } from "@/components/admin/ui";
import { createTeamAction } from "@/app/(app)/admin/actions";
import { requirePermission } from "@/lib/auth/viewer";
import { listTeams } from "@/lib/admin/teams";

export const metadata: Metadata = { title: "Teams" };

export default async function TeamsAdminPage() {
  const viewer = await requirePermission("users:manage");
  const teams = await listTeams(viewer);
  return (
    <div className="flex flex-col gap-6">
      <Panel title="New team">
        <ActionForm action={createTeamAction} className="flex flex-wrap items-end gap-3" resetOnSuccess>
          <label className={label}>
            Name
            <input name="name" required maxLength={100} className={input} />
          </label>
          <button type="submit" className={button}>Create team</button>
        </ActionForm>
      </Panel>
      <AdminTable columns={["Team", { label: "Members", numeric: true }]}>
        {teams.map((team) => (
          <tr key={team.id}>
            <td className={`${td} font-medium text-slate-900`}>{team.name}</td>
            <td className={`${td} text-right tabular-nums`}>{team._count.members}</td>
          </tr>
        ))}
      </AdminTable>
    </div>
  );
}
