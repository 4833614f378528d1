"use client";
// A form bound to an admin server action: shows the action's error or confirmation next to it.
// It submits itself (instead of React's automatic form action) so that a refused entry stays in
// the fields to be corrected; create forms clear only after a success. `action` stays for
// browsers without JavaScript, so a form never falls back to a GET with its fields in the URL.
import { startTransition, useActionState, useEffect, useRef, type FormEvent, type ReactNode } from "react";
import type { FormState } from "@/lib/admin/form-state";

export function ActionForm({
  action,
  children,
  className = "",
  showResult = true,
  resetOnSuccess = false,
  renderResult,
}: {
  action: (previous: FormState, form: FormData) => Promise<FormState>;
  children: ReactNode;
  className?: string;
  showResult?: boolean;
  resetOnSuccess?: boolean;
  renderResult?: (state: FormState) => ReactNode;
}) {
  const [state, formAction, pending] = useActionState(action, { error: null, message: null });
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (resetOnSuccess && state.message) form.current?.reset();
  }, [state, resetOnSuccess]);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // The clicked button's name and value are part of the submission (approve or reject).
    const data = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    startTransition(() => formAction(data));
  };
  return (
    <form ref={form} action={formAction} onSubmit={submit} className={className} aria-busy={pending}>
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
