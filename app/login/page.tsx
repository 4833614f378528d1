import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { getViewer } from "@/lib/auth/viewer";
import { ssoLabel } from "@/lib/auth/sign-in";
import { ssoSignInAction } from "@/app/login/actions";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (await getViewer()) redirect("/");
  const sso = ssoLabel();
  const ssoFailed = (await searchParams).error !== undefined;
  return (
    <div className="grid min-h-screen place-items-center bg-ink-950 px-4">
      <div className="w-full max-w-sm rounded-xl bg-white p-8 shadow-xl">
        <div className="mb-6 flex items-center gap-2">
          <span aria-hidden className="grid h-9 w-9 place-items-center rounded-md bg-brand-600 font-bold text-white">P</span>
          <div>
            <h1 className="text-xl font-semibold">Portcullis</h1>
            <p className="text-sm text-slate-500">Container-security posture</p>
          </div>
        </div>
        {ssoFailed && (
          <p role="alert" className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            Single sign-on did not sign you in: your account has no Portcullis role, or the sign-in was not completed.
          </p>
        )}
        <LoginForm />
        {sso && (
          <form action={ssoSignInAction} className="mt-4 border-t border-slate-200 pt-4">
            <button type="submit" className="w-full rounded-md border border-slate-300 px-4 py-2 font-medium text-slate-700 hover:bg-slate-50">
              Continue with {sso}
            </button>
          </form>
        )}
      </div>
    </div>
  );
}
