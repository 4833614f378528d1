"use client";
import { useActionState } from "react";
import { signInAction, type SignInState } from "@/app/login/actions";

const initial: SignInState = { error: null, email: "" };
const inputClass =
  "rounded-md border border-slate-300 px-3 py-2 text-base font-normal focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30";

export function LoginForm() {
  const [state, formAction, pending] = useActionState(signInAction, initial);
  // Read-only while the answer is pending: the form is reset when it comes, which would wipe what was typed meanwhile.
  return (
    <form action={formAction} aria-busy={pending} className="flex flex-col gap-4">
      <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
        Email
        <input name="email" type="email" autoComplete="username" required readOnly={pending} defaultValue={state.email} className={inputClass} />
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
        Password
        <input name="password" type="password" autoComplete="current-password" required readOnly={pending} className={inputClass} />
      </label>
      {state.error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {state.error}
        </p>
      )}
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60"
      >
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
