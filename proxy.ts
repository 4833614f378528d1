// Runs before every request: refuses cross-site writes (CSRF) and sets the security headers,
// with a fresh CSP nonce that Next puts on its own scripts.
import { NextResponse, type NextRequest } from "next/server";
import { API_CSP, contentSecurityPolicy, isCrossSiteWrite } from "@/lib/security/headers";

const production = process.env.NODE_ENV === "production";

function ownOrigins(request: NextRequest): string[] {
  const origins = [request.nextUrl.origin];
  const host = request.headers.get("host");
  if (host) origins.push(`${request.nextUrl.protocol}//${host}`);
  if (process.env.PUBLIC_URL) origins.push(new URL(process.env.PUBLIC_URL).origin);
  return origins;
}

export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (isCrossSiteWrite(request.method, pathname, request.headers, ownOrigins(request))) {
    return NextResponse.json({ error: { code: "forbidden", message: "Cross-site request refused" } }, { status: 403 });
  }
  const isApi = pathname.startsWith("/api/");
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = isApi ? API_CSP : contentSecurityPolicy(nonce, !production);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  if (production) response.headers.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
  return response;
}

export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico|robots.txt).*)" }],
};
