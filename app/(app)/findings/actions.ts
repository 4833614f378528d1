"use server";
// The tracker's server actions (finding page, queue, exceptions): thin wrappers that hand the
// signed-in viewer to the domain (lib/triage, lib/exceptions), which authorizes, validates,
// records events and audits. Origin is checked by proxy.ts.
import type { FormState } from "@/lib/admin/form-state";
import type { Viewer } from "@/lib/auth/viewer";
import { asViewer, done, formText } from "@/lib/auth/form-action";
import { getViewer } from "@/lib/auth/viewer";
import { describeError } from "@/lib/errors";
import { triage, triageOne, type TriageResult } from "@/lib/triage/apply";
import { requestException } from "@/lib/exceptions/request";
import { decideException, revokeException } from "@/lib/exceptions/decide";
import { STATUS_LABELS } from "@/lib/triage/workflow";
import type { FindingStatus } from "@/lib/generated/prisma/enums";

const asTriager = (work: (viewer: Viewer) => Promise<FormState>) => asViewer(work, { path: "/", type: "layout" }, "triage");
const optional = (form: FormData, name: string) => formText(form, name).trim() || undefined;

export async function setStatusAction(_: FormState, form: FormData): Promise<FormState> {
  return asTriager(async (viewer) => {
    const status = formText(form, "status");
    await triageOne(viewer, formText(form, "findingId"), { type: "status", status, justification: optional(form, "justification"), comment: optional(form, "comment") });
    return done(`Status set to ${STATUS_LABELS[status as FindingStatus]?.toLowerCase() ?? status}.`);
  });
}

export async function assignAction(_: FormState, form: FormData): Promise<FormState> {
  return asTriager(async (viewer) => {
    const chosen = formText(form, "assigneeId");
    const assigneeId = chosen === "me" ? viewer.userId : chosen || null;
    await triageOne(viewer, formText(form, "findingId"), { type: "assign", assigneeId });
    return done(assigneeId === viewer.userId ? "Assigned to you." : assigneeId ? "Assigned." : "Unassigned.");
  });
}

export async function commentAction(_: FormState, form: FormData): Promise<FormState> {
  return asTriager(async (viewer) => {
    await triageOne(viewer, formText(form, "findingId"), { type: "comment", body: formText(form, "body") });
    return done("Comment added.");
  });
}

export async function requestExceptionAction(_: FormState, form: FormData): Promise<FormState> {
  return asTriager(async (viewer) => {
    await requestException(viewer, {
      findingId: formText(form, "findingId"),
      scope: formText(form, "scope") as "finding",
      samePackage: formText(form, "samePackage") === "on",
      namespaceId: optional(form, "namespaceId"),
      terms: { reason: formText(form, "reason"), ends: formText(form, "ends") as "date", expiresAt: optional(form, "expiresAt") as unknown as Date },
    });
    return done("Exception requested: a security lead other than you decides it.");
  });
}

export async function decideExceptionAction(_: FormState, form: FormData): Promise<FormState> {
  return asTriager(async (viewer) => {
    const decision = formText(form, "decision") as "approve";
    const { covered } = await decideException(viewer, { exceptionId: formText(form, "exceptionId"), decision, note: optional(form, "note") });
    return done(decision === "approve" ? `Approved: ${covered} finding${covered === 1 ? "" : "s"} now risk accepted.` : "Rejected.");
  });
}

export async function revokeExceptionAction(_: FormState, form: FormData): Promise<FormState> {
  return asTriager(async (viewer) => {
    const { reopened } = await revokeException(viewer, formText(form, "exceptionId"), formText(form, "note"));
    return done(reopened ? `Revoked: ${reopened} finding${reopened === 1 ? "" : "s"} reopened.` : "Withdrawn.");
  });
}

/** The queue's bulk bar: a selection (ids, or the current filter) and one action; the answer counts changes and skips. */
export async function bulkTriageAction(selection: unknown, action: unknown): Promise<{ result: TriageResult | null; error: string | null }> {
  const viewer = await getViewer();
  if (!viewer) return { result: null, error: "Your session has ended; sign in again." };
  try {
    return { result: await triage(viewer, selection, action), error: null };
  } catch (error) {
    return { result: null, error: describeError(error, "bulk triage").message };
  }
}
