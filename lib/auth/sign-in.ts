// Signing in: a password (rate limited, audited, the same answer whether or not the email exists)
// or a redirect to the identity provider.
import { auth } from "@/lib/auth/auth";
import { SSO_PROVIDER_ID } from "@/lib/auth/sso";
import { clientIp } from "@/lib/api/client-ip";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { RateLimited, checkSignInAllowed, clearSignInFailures, recordSignInFailure } from "@/lib/security/rate-limit";

export type SignInResult = { ok: true } | { ok: false; message: string };

const WRONG = "Wrong email or password.";

export async function signInWithPassword(email: string, password: string, requestHeaders: Headers): Promise<SignInResult> {
  const sourceIp = clientIp(requestHeaders);
  const user = await db.user.findUnique({ where: { email }, select: { id: true } });
  const audit = (action: string, details?: Record<string, unknown>) =>
    recordAudit({ action, actorUserId: action === "auth.sign_in" ? user!.id : null, actorLabel: email, targetType: "user", targetId: user?.id, sourceIp, details });
  try {
    await checkSignInAllowed(email, sourceIp);
  } catch (error) {
    if (!(error instanceof RateLimited)) throw error;
    await audit("auth.sign_in_failed", { reason: "rate limited" });
    return { ok: false, message: `Too many sign-in attempts. Try again in ${Math.ceil(error.retryAfterSeconds / 60)} minutes.` };
  }
  // Always through better-auth, even for an unknown email: it hashes the password either way, so
  // the answer takes as long whether or not the account exists. It starts a fresh session on
  // success, and its session hook (lib/auth/auth.ts) refuses disabled users.
  const signedIn = await auth()
    .api.signInEmail({ body: { email, password }, headers: requestHeaders })
    .then(() => true)
    .catch((error: unknown) => {
      // better-auth refuses wrong credentials with its APIError; anything else (the database) is ours to report.
      if ((error as { name?: string }).name === "APIError") return false;
      throw error;
    });
  if (signedIn) {
    await clearSignInFailures(email);
    await audit("auth.sign_in", { method: "password" });
    return { ok: true };
  }
  await recordSignInFailure(email);
  await audit("auth.sign_in_failed", { method: "password" });
  return { ok: false, message: WRONG };
}

/** The label of the single sign-on button, or null when SSO is not configured. */
export function ssoLabel(): string | null {
  return env().oidc?.name ?? null;
}

/** Where to send the browser to sign in at the identity provider (state and PKCE are set in cookies). */
export async function startSsoSignIn(requestHeaders: Headers): Promise<string> {
  const { url } = await auth().api.signInSocial({
    body: { provider: SSO_PROVIDER_ID, callbackURL: "/", errorCallbackURL: "/login?error=sso" },
    headers: requestHeaders,
  });
  if (!url) throw new Error("single sign-on is not configured");
  return url;
}
