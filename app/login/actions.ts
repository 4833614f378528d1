"use server";
// Sign-in and sign-out server actions (the proxy and Next both check their origin against CSRF).
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { auth } from "@/lib/auth/auth";
import { signInWithPassword, ssoLabel, startSsoSignIn } from "@/lib/auth/sign-in";
import { recordAudit } from "@/lib/audit/record";
import { clientIp } from "@/lib/api/client-ip";
import { describeError } from "@/lib/errors";

const credentials = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(256),
});

export interface SignInState {
  error: string | null;
  email: string;
}

export async function signInAction(_previous: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get("email") ?? "");
  const parsed = credentials.safeParse({ email, password: form.get("password") });
  if (!parsed.success) return { error: "Enter your email and password.", email };
  let result: Awaited<ReturnType<typeof signInWithPassword>>;
  try {
    result = await signInWithPassword(parsed.data.email, parsed.data.password, await headers());
  } catch (error) {
    return { error: describeError(error, "sign-in").message, email };
  }
  if (!result.ok) return { error: result.message, email };
  redirect("/");
}

export async function ssoSignInAction(): Promise<void> {
  if (!ssoLabel()) redirect("/login");
  redirect(await startSsoSignIn(await headers()));
}

export async function signOutAction(): Promise<void> {
  const requestHeaders = await headers();
  const session = await auth().api.getSession({ headers: requestHeaders, query: { disableRefresh: true } });
  await auth().api.signOut({ headers: requestHeaders });
  if (session) {
    await recordAudit({
      action: "auth.sign_out",
      actorUserId: session.user.id,
      actorLabel: session.user.email,
      sourceIp: clientIp(requestHeaders),
    });
  }
  redirect("/login");
}
