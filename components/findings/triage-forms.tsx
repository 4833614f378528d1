"use client";
// The finding page's triage forms: status (with a VEX justification where it needs one),
// assignment and claim, comments, and an exception request. Each posts to a server action and
// shows its refusal or confirmation beside it; the server decides what is allowed.
import { useState } from "react";
import { ActionForm } from "@/components/ui/action-form";
import { button, input, label, quietButton } from "@/components/admin/ui";
import { assignAction, commentAction, requestExceptionAction, setStatusAction } from "@/app/(app)/findings/actions";
import { JUSTIFICATION_LABELS, JUSTIFICATIONS, needsJustification, SETTABLE_STATUSES, STATUS_LABELS } from "@/lib/triage/workflow";
import type { FindingStatus } from "@/lib/generated/prisma/enums";

interface Choice {
  id: string;
  name: string;
}

export function StatusForm({ findingId, status }: { findingId: string; status: FindingStatus }) {
  const [next, setNext] = useState<string>(status === "open" ? "in_progress" : "open");
  const choices = SETTABLE_STATUSES.filter((s) => s !== status);
  if (status === "risk_accepted") return <p className="text-sm text-slate-600">Risk accepted under an exception: it reopens when the exception ends or is revoked.</p>;
  return (
    <ActionForm action={setStatusAction} className="flex flex-wrap items-end gap-3">
      <input type="hidden" name="findingId" value={findingId} />
      <label className={label}>
        New status
        <select name="status" value={next} onChange={(e) => setNext(e.target.value)} className={input}>
          {choices.map((s) => <option key={s} value={s}>{STATUS_LABELS[s]}</option>)}
        </select>
      </label>
      {needsJustification(next as FindingStatus) && (
        <label className={label}>
          Justification (VEX)
          <select name="justification" required className={input} defaultValue="">
            <option value="" disabled>Choose…</option>
            {JUSTIFICATIONS.map((j) => <option key={j} value={j}>{JUSTIFICATION_LABELS[j]}</option>)}
          </select>
        </label>
      )}
      <label className={`${label} min-w-[16rem] flex-1`}>
        Comment{needsJustification(next as FindingStatus) ? " (required)" : ""}
        <input name="comment" required={needsJustification(next as FindingStatus)} maxLength={5000} className={input} placeholder="Why, for whoever reads this later" />
      </label>
      <button className={button}>Save status</button>
    </ActionForm>
  );
}

export function AssignForm({ findingId, assigneeId, people, viewerId }: { findingId: string; assigneeId: string | null; people: Choice[]; viewerId: string }) {
  const canClaim = assigneeId !== viewerId && people.some((p) => p.id === viewerId);
  return (
    <div className="flex flex-wrap items-end gap-3">
      <ActionForm action={assignAction} className="flex flex-wrap items-end gap-2">
        <input type="hidden" name="findingId" value={findingId} />
        <label className={label}>
          Assignee
          <select name="assigneeId" defaultValue={assigneeId ?? ""} className={input}>
            <option value="">Nobody</option>
            {people.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </select>
        </label>
        <button className={quietButton}>Assign</button>
      </ActionForm>
      {canClaim && (
        <ActionForm action={assignAction}>
          <input type="hidden" name="findingId" value={findingId} />
          <input type="hidden" name="assigneeId" value="me" />
          <button className={button}>Assign to me</button>
        </ActionForm>
      )}
    </div>
  );
}

export function CommentForm({ findingId }: { findingId: string }) {
  return (
    <ActionForm action={commentAction} resetOnSuccess className="flex flex-col gap-2">
      <input type="hidden" name="findingId" value={findingId} />
      <label className={label}>
        Add a comment
        <textarea name="body" required maxLength={5000} rows={3} className={input} placeholder="Plain text; shown as written" />
      </label>
      <div><button className={quietButton}>Comment</button></div>
    </ActionForm>
  );
}

const SCOPE_LABELS: Record<string, string> = {
  finding: "This finding only",
  repository: "This vulnerability in every image of the repository",
  namespace: "This rule in a namespace",
  team: "This vulnerability in all of the team's findings",
  cluster: "This rule across the cluster",
  everywhere: "This vulnerability everywhere",
};

export function ExceptionRequestForm(props: { findingId: string; kind: string; hasPackage: boolean; fixable: boolean; scopes: string[]; namespaces: Choice[]; maxDays: number; latest: string }) {
  const [scope, setScope] = useState("finding");
  const [ends, setEnds] = useState("date");
  const latest = props.latest;
  const fixOption = props.kind === "vulnerability" && !props.fixable;
  return (
    <ActionForm action={requestExceptionAction} className="flex flex-col gap-3" resetOnSuccess>
      <input type="hidden" name="findingId" value={props.findingId} />
      <fieldset className="text-sm">
        <legend className="mb-1 font-medium text-slate-700">Covers</legend>
        {["finding", ...props.scopes].map((s) => (
          <label key={s} className="flex items-center gap-2">
            <input type="radio" name="scope" value={s} checked={scope === s} onChange={() => setScope(s)} /> {SCOPE_LABELS[s]}
          </label>
        ))}
      </fieldset>
      {scope !== "finding" && props.kind === "vulnerability" && props.hasPackage && (
        <label className="flex items-center gap-2 text-sm"><input type="checkbox" name="samePackage" /> Only in this package</label>
      )}
      {scope === "namespace" && props.namespaces.length > 0 && (
        <label className={label}>
          Namespace
          <select name="namespaceId" className={input}>{props.namespaces.map((n) => <option key={n.id} value={n.id}>{n.name}</option>)}</select>
        </label>
      )}
      <label className={label}>
        Justification
        <textarea name="reason" required minLength={10} maxLength={2000} rows={2} className={input} placeholder="Why this risk is acceptable for now" />
      </label>
      <fieldset className="flex flex-wrap items-end gap-3 text-sm">
        <legend className="mb-1 font-medium text-slate-700">Ends</legend>
        <label className="flex items-center gap-2"><input type="radio" name="ends" value="date" checked={ends === "date"} onChange={() => setEnds("date")} /> On</label>
        <input type="date" name="expiresAt" aria-label="End date" max={latest} required={ends === "date"} disabled={ends !== "date"} className={input} />
        {fixOption && <label className="flex items-center gap-2"><input type="radio" name="ends" value="fix" checked={ends === "fix"} onChange={() => setEnds("fix")} /> When a fix is available</label>}
        <span className="text-xs text-slate-500">at most {props.maxDays} days</span>
      </fieldset>
      <div><button className={button}>Request exception</button></div>
    </ActionForm>
  );
}
