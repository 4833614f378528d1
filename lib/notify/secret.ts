// A webhook's signing secret is derived from the server's secret and the webhook's own salt, so
// that nothing that could sign a request is stored: it is shown once when created (or rotated),
// and recomputed for each delivery. Rotating BETTER_AUTH_SECRET changes every webhook's secret.
import { createHmac } from "node:crypto";
import { env } from "@/lib/env";
import { ensureAuthSecret } from "@/lib/startup/auth-secret";

let serverSecret: Promise<string> | null = null;

function secretOfServer(): Promise<string> {
  const configured = env().authSecret;
  if (configured) return Promise.resolve(configured);
  serverSecret ??= ensureAuthSecret();
  return serverSecret;
}

export async function webhookSecret(webhookId: string, salt: string): Promise<string> {
  return `whsec_${createHmac("sha256", await secretOfServer()).update(`webhook:${webhookId}:${salt}`).digest("base64url")}`;
}

/** The X-Portcullis-Signature of a body sent at `timestamp` (seconds): what a receiver recomputes. */
export function signature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}
