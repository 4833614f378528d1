// better-auth does passwords (scrypt), sessions, their cookies and OpenID Connect; our code
// decides who may have a session (hooks below) and what they may do (lib/authz).
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { genericOAuth } from "better-auth/plugins";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "@/lib/auth/password-policy";
import { SSO_PROVIDER_ID, oidcDiscoveryUrl, syncSsoUser } from "@/lib/auth/sso";
import { clientIp } from "@/lib/api/client-ip";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db";
import { env, type OidcEnv } from "@/lib/env";

type HookContext = { path?: string; headers?: Headers; request?: Request } | null;

const viaSso = (ctx: HookContext) => !!ctx?.path?.startsWith("/callback/");
const ipOf = (ctx: HookContext) => {
  const headers = ctx?.headers ?? ctx?.request?.headers;
  return headers ? clientIp(headers) : null;
};

function ssoPlugin(oidc: OidcEnv) {
  return genericOAuth({
    config: [
      {
        providerId: SSO_PROVIDER_ID,
        name: oidc.name,
        discoveryUrl: oidcDiscoveryUrl(oidc.issuer).toString(),
        requireIdTokenVerification: true,
        clientId: oidc.clientId,
        clientSecret: oidc.clientSecret,
        scopes: oidc.scopes,
        pkce: true,
        mapProfileToUser: (profile) => ({ name: String(profile.name ?? profile.email ?? "") }),
      },
    ],
  });
}

function createAuth() {
  const { authSecret, publicUrl, session, oidc } = env();
  if (!authSecret) throw new Error("BETTER_AUTH_SECRET is not set (npm start generates one and keeps it in the database)");
  return betterAuth({
    appName: "Portcullis",
    baseURL: publicUrl,
    secret: authSecret,
    database: prismaAdapter(db, { provider: "postgresql" }),
    // Accounts come from admins (CLI or /admin) or from the identity provider; nobody signs up.
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: MIN_PASSWORD_LENGTH, maxPasswordLength: MAX_PASSWORD_LENGTH },
    user: { additionalFields: { role: { type: "string", input: false } } },
    // Absolute lifetime here; the idle limit is checked per request (lib/auth/viewer.ts).
    session: { expiresIn: Math.floor(session.maxMs / 1000), disableSessionRefresh: true },
    // An SSO sign-in joins the local account of the same email only when the provider says it
    // verified that email (email_verified), so a provider that lets people pick any address
    // cannot be used to take over a local admin.
    account: { accountLinking: { enabled: true } },
    advanced: { useSecureCookies: publicUrl.startsWith("https://"), cookiePrefix: "portcullis" },
    onAPIError: { errorURL: "/login" },
    databaseHooks: {
      user: {
        create: {
          // Local users are created (and audited) by lib/admin; this is a first SSO sign-in.
          after: async (row, ctx: HookContext) => {
            if (!viaSso(ctx)) return;
            await recordAudit({ action: "user.created", actorLabel: "sso", targetType: "user", targetId: row.id, sourceIp: ipOf(ctx), details: { email: row.email, method: "sso" } });
          },
        },
      },
      session: {
        create: {
          // A disabled user gets no session by any path; an SSO user only with a mapped role.
          before: async (row, ctx: HookContext) => {
            const user = await db.user.findUnique({ where: { id: row.userId }, select: { disabledAt: true } });
            if (!user || user.disabledAt) return false;
            if (viaSso(ctx) && oidc && !(await syncSsoUser(row.userId, oidc, ipOf(ctx)))) return false;
          },
          after: async (row, ctx: HookContext) => {
            if (!viaSso(ctx)) return; // password sign-ins are audited by the sign-in action
            const user = await db.user.findUnique({ where: { id: row.userId }, select: { email: true } });
            await recordAudit({ action: "auth.sign_in", actorUserId: row.userId, actorLabel: user?.email ?? row.userId, targetType: "user", targetId: row.userId, sourceIp: ipOf(ctx), details: { method: "sso" } });
          },
        },
      },
    },
    telemetry: { enabled: false },
    plugins: [nextCookies(), ...(oidc ? [ssoPlugin(oidc)] : [])],
  });
}

type Auth = ReturnType<typeof createAuth>;
const globalForAuth = globalThis as unknown as { portcullisAuth?: Auth };

/** Built on first use: `next build` imports this module without any secret. */
export function auth(): Auth {
  globalForAuth.portcullisAuth ??= createAuth();
  return globalForAuth.portcullisAuth;
}
