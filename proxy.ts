// Runs before every browser request: refuses a NUL in the query and cross-site writes (CSRF), and sets the CSP with a
// fresh nonce that Next puts on its own scripts. The bearer-token API is left out: it carries no
// cookies, and a proxy would buffer (and cut at 10 MB) the large reports it streams in. Its
// headers come from next.config.ts.
import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, isCrossSiteWrite, ownHosts } from "@/lib/security/headers";
import { nulInQuery } from "@/lib/security/query-text";

const production = process.env.NODE_ENV === "production";

export function proxy(request: NextRequest) {
  const { pathname, searchParams } = request.nextUrl;
  const nul = nulInQuery(searchParams);
  if (nul) return new NextResponse(`Bad request: ${nul}.`, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  if (isCrossSiteWrite(request.method, pathname, request.headers, ownHosts(request.headers, process.env.PUBLIC_URL))) {
    return NextResponse.json({ error: { code: "forbidden", message: "Cross-site request refused" } }, { status: 403 });
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce, !production);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  matcher: [{ source: "/((?!api/v1/|api/health|_next/static|_next/image|icon.svg|robots.txt).*)" }],
};
