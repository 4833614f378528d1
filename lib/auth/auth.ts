// better-auth does passwords (scrypt), sessions and their cookies; our code decides who may do what.
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { db } from "@/lib/db";
import { env } from "@/lib/env";

import { MIN_PASSWORD_LENGTH } from "@/lib/auth/constants";

function createAuth() {
  const { authSecret, publicUrl } = env();
  if (!authSecret) throw new Error("BETTER_AUTH_SECRET is not set (npm start generates one and keeps it in the database)");
  return betterAuth({
    appName: "Portcullis",
    baseURL: publicUrl,
    secret: authSecret,
    database: prismaAdapter(db, { provider: "postgresql" }),
    // Accounts come from admins (CLI or /admin); nobody signs themselves up.
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: MIN_PASSWORD_LENGTH },
    user: { additionalFields: { role: { type: "string", input: false } } },
    session: { expiresIn: 60 * 60 * 12, updateAge: 60 * 30 },
    advanced: { useSecureCookies: publicUrl.startsWith("https://"), cookiePrefix: "portcullis" },
    telemetry: { enabled: false },
    plugins: [nextCookies()],
  });
}

type Auth = ReturnType<typeof createAuth>;
const globalForAuth = globalThis as unknown as { portcullisAuth?: Auth };

/** Built on first use: `next build` imports this module without any secret. */
export function auth(): Auth {
  globalForAuth.portcullisAuth ??= createAuth();
  return globalForAuth.portcullisAuth;
}
