"use client";
// The forms of /admin/tokens: create (the secret is shown once, here) and revoke.
import { ActionForm } from "@/components/ui/action-form";
import { button, dangerButton, input, label } from "@/components/admin/ui";
import { createTokenAction, revokeTokenAction } from "@/app/(app)/admin/actions";

export function CreateTokenForm({ teams, clusters }: { teams: string[]; clusters: string[] }) {
  return (
    <ActionForm
      action={createTokenAction}
      resetOnSuccess
      className="flex flex-wrap items-end gap-3"
      renderResult={(state) =>
        state.secret && (
          <div className="basis-full rounded-md border border-amber-300 bg-amber-50 p-3">
            <div className="text-sm font-medium text-amber-900">New token (shown only now; only its hash is kept):</div>
            <code data-testid="new-token" className="mt-1 block break-all rounded bg-white px-2 py-1 font-mono text-sm text-slate-900">
              {state.secret}
            </code>
          </div>
        )
      }
    >
      <label className={label}>
        Name
        <input name="name" required maxLength={100} placeholder="ci-trivy" className={input} />
      </label>
      <fieldset className="flex gap-3 text-sm">
        <legend className="mb-1 font-medium text-slate-700">Scopes</legend>
        <label className="flex items-center gap-1">
          <input type="checkbox" name="scope" value="ingest" defaultChecked /> ingest
        </label>
        <label className="flex items-center gap-1">
          <input type="checkbox" name="scope" value="read" /> read
        </label>
      </fieldset>
      <label className={label}>
        Team
        <select name="team" defaultValue="" className={input}>
          <option value="">any team</option>
          {teams.map((t) => (
            <option key={t} value={t}>{t}</option>
          ))}
        </select>
      </label>
      <label className={label}>
        Cluster
        <input name="cluster" list="known-clusters" placeholder="any cluster" maxLength={253} className={input} />
        <datalist id="known-clusters">
          {clusters.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
      </label>
      <label className={label}>
        Expires in days
        <input name="expiresDays" type="number" min={1} max={3650} placeholder="never" className={`${input} w-28`} />
      </label>
      <button type="submit" className={button}>Create token</button>
    </ActionForm>
  );
}

export function RevokeTokenForm({ tokenId, name }: { tokenId: string; name: string }) {
  return (
    <ActionForm action={revokeTokenAction} showResult={false}>
      <input type="hidden" name="tokenId" value={tokenId} />
      <button type="submit" className={dangerButton} aria-label={`Revoke ${name}`}>Revoke</button>
    </ActionForm>
  );
}
