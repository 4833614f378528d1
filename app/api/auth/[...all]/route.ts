// better-auth's HTTP endpoints, narrowed to the one the browser needs: the identity provider's
// redirect back after single sign-on. Password sign-in and sign-out are server actions, and the
// rest (sign-up, profile updates, session listing...) is not exposed at all.
import { toNextJsHandler } from "better-auth/next-js";
import { errorResponse } from "@/lib/api/errors";
import { auth } from "@/lib/auth/auth";
import { SSO_PROVIDER_ID } from "@/lib/auth/sso";

const CALLBACK = `/api/auth/callback/${SSO_PROVIDER_ID}`;

export async function GET(request: Request): Promise<Response> {
  if (new URL(request.url).pathname !== CALLBACK) return errorResponse("not_found", "Not found");
  return toNextJsHandler(auth()).GET(request);
}

export async function POST(): Promise<Response> {
  return errorResponse("not_found", "Not found");
}
