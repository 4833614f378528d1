import { AdminTable } from "@/components/admin/admin-table";
import type { Metadata } from "next";
import { Panel } from "@/components/ui/panel";
import { AccountForms, CreateUserForm, RoleForm, TeamsForm } from "@/components/admin/user-forms";
import { td } from "@/components/admin/ui";
import { requirePermission } from "@/lib/auth/viewer";
import { listTeams } from "@/lib/admin/teams";
import { listUsers } from "@/lib/admin/users";
import { timeAgo } from "@/lib/format";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const viewer = await requirePermission("users:manage");
  const [users, teams] = await Promise.all([listUsers(viewer), listTeams(viewer)]);
  const now = new Date();
  return (
    <div className="flex flex-col gap-6">
      <Panel title="New user">
        <CreateUserForm teams={teams} />
      </Panel>
      <AdminTable columns={["User", "Role", "Teams", "Account"]}>
        {users.map((user) => (
          <tr key={user.id} className={user.disabledAt ? "bg-slate-50 text-slate-400" : ""}>
            <td className={td}>
              <div className="font-medium text-slate-900">{user.email}</div>
              <div className="text-xs text-slate-500">
                {user.name} · {user.signIn === "sso" ? "single sign-on" : "password"} · active {timeAgo(user.lastActiveAt, now)}
                {user.disabledAt && <span className="ml-1 rounded bg-slate-200 px-1.5 py-0.5 text-slate-700">disabled</span>}
              </div>
            </td>
            <td className={td}>
              <RoleForm userId={user.id} role={user.role} email={user.email} />
            </td>
            <td className={td}>
              <TeamsForm userId={user.id} email={user.email} teams={teams} memberOf={user.teams.map((t) => t.id)} />
            </td>
            <td className={td}>
              <AccountForms userId={user.id} email={user.email} disabled={!!user.disabledAt} hasPassword={user.hasPassword} />
            </td>
          </tr>
        ))}
      </AdminTable>
    </div>
  );
}
