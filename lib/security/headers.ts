// The app's own protection, applied to every response by proxy.ts: a strict, nonce-based
// Content-Security-Policy, and refusal of state-changing browser requests from other sites (CSRF).

/** Scripts run only with this response's nonce (and what they load); nothing may frame the app. */
export function contentSecurityPolicy(nonce: string, development: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}


const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * The hosts a state-changing request may come from: the host it was sent to (as a reverse proxy
 * forwards it: X-Forwarded-Host first, as Next's own server-action check reads it) and the public
 * URL's. Next refuses a server action from any other origin with a bare 500; we refuse it first.
 */
export function ownHosts(headers: Headers, publicUrl: string | undefined): string[] {
  const forwarded = headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  const hosts = [forwarded || headers.get("host") || ""];
  if (publicUrl) hosts.push(new URL(publicUrl).host);
  return hosts.filter(Boolean);
}

/**
 * A browser request that would change something must come from our own pages. Bearer-token API
 * calls (/api/v1) carry no cookies, so another site cannot ride on a session there.
 */
export function isCrossSiteWrite(method: string, pathname: string, headers: Headers, allowedHosts: readonly string[]): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return false;
  if (pathname.startsWith("/api/v1/")) return false;
  const site = headers.get("sec-fetch-site");
  if (site && site !== "same-origin") return true;
  const origin = headers.get("origin");
  if (!origin) return !site; // old browsers send neither; modern ones always send one of the two
  return !allowedHosts.includes(hostOf(origin));
}

function hostOf(origin: string): string {
  try {
    return new URL(origin).host;
  } catch {
    return "";
  }
}
