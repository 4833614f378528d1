"use client";
// The forms of /admin/users: create a user, and per user: role, teams, password, disable.
import { ActionForm } from "@/components/ui/action-form";
import { button, dangerButton, input, label, quietButton } from "@/components/admin/ui";
import { changeRoleAction, createUserAction, resetPasswordAction, setDisabledAction, setTeamsAction } from "@/app/(app)/admin/actions";

export const ROLE_OPTIONS = [
  { value: "admin", label: "Admin" },
  { value: "security_lead", label: "Security lead" },
  { value: "engineer", label: "Engineer" },
  { value: "manager", label: "Manager" },
] as const;

type Team = { id: string; name: string };

export function CreateUserForm({ teams }: { teams: Team[] }) {
  return (
    <ActionForm action={createUserAction} className="flex flex-wrap items-end gap-3" resetOnSuccess>
      <label className={label}>
        Email
        <input name="email" type="email" required className={input} />
      </label>
      <label className={label}>
        Name
        <input name="name" className={input} />
      </label>
      <label className={label}>
        Initial password
        <input name="password" type="password" autoComplete="new-password" required minLength={12} className={input} />
      </label>
      <label className={label}>
        Role
        <select name="role" defaultValue="engineer" className={input}>
          {ROLE_OPTIONS.map((r) => (
            <option key={r.value} value={r.value}>{r.label}</option>
          ))}
        </select>
      </label>
      <fieldset className="flex flex-wrap gap-3 text-sm">
        <legend className="mb-1 font-medium text-slate-700">Teams</legend>
        {teams.map((t) => (
          <label key={t.id} className="flex items-center gap-1">
            <input type="checkbox" name="team" value={t.name} /> {t.name}
          </label>
        ))}
      </fieldset>
      <button type="submit" className={button}>Create user</button>
    </ActionForm>
  );
}

export function RoleForm({ userId, role, email }: { userId: string; role: string; email: string }) {
  return (
    <ActionForm action={changeRoleAction} className="flex flex-wrap items-center gap-2" showResult={false}>
      <input type="hidden" name="userId" value={userId} />
      <select name="role" defaultValue={role} aria-label={`Role of ${email}`} className={input}>
        {ROLE_OPTIONS.map((r) => (
          <option key={r.value} value={r.value}>{r.label}</option>
        ))}
      </select>
      <button type="submit" className={quietButton}>Save</button>
    </ActionForm>
  );
}

export function TeamsForm({ userId, email, teams, memberOf }: { userId: string; email: string; teams: Team[]; memberOf: string[] }) {
  return (
    <ActionForm action={setTeamsAction} className="flex flex-wrap items-center gap-2" showResult={false}>
      <input type="hidden" name="userId" value={userId} />
      <fieldset className="flex flex-wrap gap-x-3 gap-y-1" aria-label={`Teams of ${email}`}>
        {teams.map((t) => (
          <label key={t.id} className="flex items-center gap-1 whitespace-nowrap">
            <input type="checkbox" name="teamId" value={t.id} defaultChecked={memberOf.includes(t.id)} /> {t.name}
          </label>
        ))}
      </fieldset>
      <button type="submit" className={quietButton}>Save</button>
    </ActionForm>
  );
}

export function AccountForms({ userId, email, disabled, hasPassword }: { userId: string; email: string; disabled: boolean; hasPassword: boolean }) {
  return (
    <div className="flex flex-col gap-2">
      <ActionForm action={setDisabledAction} className="flex flex-wrap gap-2">
        <input type="hidden" name="userId" value={userId} />
        <input type="hidden" name="disabled" value={disabled ? "false" : "true"} />
        <button type="submit" className={disabled ? quietButton : dangerButton} aria-label={`${disabled ? "Enable" : "Disable"} ${email}`}>
          {disabled ? "Enable" : "Disable"}
        </button>
      </ActionForm>
      {hasPassword && (
        <details>
          <summary className="cursor-pointer text-sm text-brand-700">Set password</summary>
          <ActionForm action={resetPasswordAction} className="mt-2 flex flex-wrap items-center gap-2">
            <input type="hidden" name="userId" value={userId} />
            <input name="password" type="password" autoComplete="new-password" required minLength={12} aria-label={`New password for ${email}`} className={input} />
            <button type="submit" className={quietButton}>Set</button>
          </ActionForm>
        </details>
      )}
    </div>
  );
}
