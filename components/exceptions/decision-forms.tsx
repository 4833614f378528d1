"use client";
// Approve / reject (a lead who did not ask) and revoke / withdraw: small forms on an exception.
import { ActionForm } from "@/components/ui/action-form";
import { dangerButton, button, input, quietButton } from "@/components/admin/ui";
import { decideExceptionAction, revokeExceptionAction } from "@/app/(app)/findings/actions";

export function DecideForm({ exceptionId }: { exceptionId: string }) {
  return (
    <ActionForm action={decideExceptionAction} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="exceptionId" value={exceptionId} />
      <input name="note" aria-label="Decision note" placeholder="Note (required to reject)" maxLength={2000} className={`${input} min-w-[12rem] flex-1`} />
      <button name="decision" value="approve" className={button}>Approve</button>
      <button name="decision" value="reject" className={quietButton}>Reject</button>
    </ActionForm>
  );
}

export function RevokeForm({ exceptionId, pending }: { exceptionId: string; pending: boolean }) {
  return (
    <ActionForm action={revokeExceptionAction} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="exceptionId" value={exceptionId} />
      <input name="note" aria-label={pending ? "Why withdraw" : "Why revoke"} required minLength={3} placeholder={pending ? "Why withdraw" : "Why revoke"} maxLength={2000} className={`${input} min-w-[10rem] flex-1`} />
      <button className={dangerButton}>{pending ? "Withdraw" : "Revoke"}</button>
    </ActionForm>
  );
}
