// The one way into every /api route: authenticate → call → map errors. A route states what it
// needs (a token scope, or explicitly no auth); nothing reaches a handler unauthenticated by accident.
import { toErrorResponse } from "@/lib/api/errors";
import { AppError } from "@/lib/errors";
import { clientIp } from "@/lib/api/client-ip";
import { can, tokenHasScope, type Action } from "@/lib/authz/policy";
import { viewerFromHeaders, type Viewer } from "@/lib/auth/viewer";
import { verifyApiToken, type VerifiedToken } from "@/lib/tokens/api-tokens";
import { nulInQuery } from "@/lib/security/query-text";
import { consumeIngest, type IngestBudget } from "@/lib/security/rate-limit";
import type { TokenScope } from "@/lib/generated/prisma/enums";

/**
 * A token scope (ingest routes name their rate budget; `remembered`: the token may be one verified
 * moments ago, see verifyApiToken), a signed-in person with a permission (the UI's own data
 * routes, by session cookie), or explicitly no auth.
 */
type Access = { token: TokenScope; budget?: IngestBudget; remembered?: boolean } | { session: Action } | { public: true };

export interface ApiContext<A extends Access> {
  request: Request;
  url: URL;
  token: A extends { token: TokenScope } ? VerifiedToken : null;
  viewer: A extends { session: Action } ? Viewer : null;
  sourceIp: string | null;
  /** the route's dynamic segments (/images/[id] → { id }) */
  params: Record<string, string>;
}

export function apiRoute<A extends Access>(access: A, handler: (ctx: ApiContext<A>) => Promise<Response>) {
  return async (request: Request, segments?: { params: Promise<Record<string, string>> }): Promise<Response> => {
    try {
      const url = new URL(request.url);
      const nul = nulInQuery(url.searchParams);
      if (nul) throw new AppError("bad_request", nul);
      const sourceIp = clientIp(request.headers);
      const token = "token" in access ? await authenticate(request, access.token, sourceIp, access.remembered ?? false) : null;
      const viewer = "session" in access ? await signedIn(request, access.session) : null;
      // Ingest is rate limited per token, before the body is read.
      if (token && "token" in access && access.token === "ingest") await consumeIngest(token.id, access.budget ?? "scans");
      const params = (await segments?.params) ?? {};
      const ctx = { request, url, token, viewer, sourceIp, params } as ApiContext<A>;
      return await handler(ctx);
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}

async function signedIn(request: Request, action: Action): Promise<Viewer> {
  const viewer = await viewerFromHeaders(request.headers);
  if (!viewer) throw new AppError("unauthorized", "Sign in first: this route needs a session");
  if (!can(viewer.role, action)) throw new AppError("forbidden", "Your role may not do this");
  return viewer;
}

async function authenticate(request: Request, scope: TokenScope, sourceIp: string | null, remembered: boolean): Promise<VerifiedToken> {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new AppError("unauthorized", "Missing API token: send Authorization: Bearer <token>");
  const token = await verifyApiToken(match[1], new Date(), sourceIp, remembered);
  if (!token) throw new AppError("unauthorized", "Invalid, expired or revoked API token");
  if (!tokenHasScope(token.scopes, scope)) {
    throw new AppError("forbidden", `This token lacks the "${scope}" scope`);
  }
  return token;
}


/** Query parameters as a plain object, for zod. */
export function queryObject(url: URL): Record<string, string> {
  return Object.fromEntries(url.searchParams.entries());
}
