"use client";
// A form bound to an admin server action: shows the action's error or confirmation next to it.
import { useActionState, type ReactNode } from "react";
import type { FormState } from "@/lib/admin/form-state";

export function ActionForm({
  action,
  children,
  className = "",
  showResult = true,
  renderResult,
}: {
  action: (previous: FormState, form: FormData) => Promise<FormState>;
  children: ReactNode;
  className?: string;
  showResult?: boolean;
  renderResult?: (state: FormState) => ReactNode;
}) {
  const [state, formAction, pending] = useActionState(action, { error: null, message: null });
  return (
    <form action={formAction} className={className} aria-busy={pending}>
      {children}
      {state.error && (
        <p role="alert" className="basis-full rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {state.error}
        </p>
      )}
      {showResult && state.message && (
        <p role="status" className="basis-full rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          {state.message}
        </p>
      )}
      {renderResult?.(state)}
    </form>
  );
}
