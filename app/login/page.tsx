import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { getViewer } from "@/lib/auth/viewer";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function LoginPage() {
  if (await getViewer()) redirect("/");
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
        <LoginForm />
      </div>
    </div>
  );
}
