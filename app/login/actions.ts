"use server";
// Sign-in and sign-out server actions (Next checks their origin, which guards them against CSRF).
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { auth } from "@/lib/auth/auth";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db";
import { clientIp } from "@/lib/api/client-ip";

const credentials = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(256),
});

export interface SignInState {
  error: string | null;
  email: string;
}

const WRONG = "Wrong email or password.";

export async function signInAction(_previous: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get("email") ?? "");
  const parsed = credentials.safeParse({ email, password: form.get("password") });
  if (!parsed.success) return { error: "Enter your email and password.", email };
  const requestHeaders = await headers();
  const user = await db.user.findUnique({ where: { email: parsed.data.email }, select: { id: true, disabledAt: true } });
  let signedIn = false;
  if (user && !user.disabledAt) {
    try {
      await auth().api.signInEmail({ body: parsed.data, headers: requestHeaders });
      signedIn = true;
    } catch {
      signedIn = false;
    }
  }
  await recordAudit({
    action: signedIn ? "auth.sign_in" : "auth.sign_in_failed",
    actorUserId: signedIn ? user!.id : null,
    actorLabel: parsed.data.email,
    targetType: "user",
    targetId: user?.id,
    sourceIp: clientIp(requestHeaders),
  });
  // The same answer whether or not the email exists.
  if (!signedIn) return { error: WRONG, email };
  redirect("/");
}

export async function signOutAction(): Promise<void> {
  const requestHeaders = await headers();
  const session = await auth().api.getSession({ headers: requestHeaders });
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
