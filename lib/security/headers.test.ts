import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, isCrossSiteWrite, ownHosts } from "@/lib/security/headers";

const own = ["app.example"];
const h = (entries: Record<string, string>) => new Headers(entries);

describe("CSRF check", () => {
  it("lets same-origin writes and all reads through", () => {
    expect(isCrossSiteWrite("POST", "/login", h({ origin: "http://app.example", "sec-fetch-site": "same-origin" }), own)).toBe(false);
    expect(isCrossSiteWrite("GET", "/admin", h({ origin: "http://evil.example", "sec-fetch-site": "cross-site" }), own)).toBe(false);
  });

  it("refuses writes from another site, by Origin or by Sec-Fetch-Site", () => {
    expect(isCrossSiteWrite("POST", "/admin/users", h({ origin: "http://evil.example" }), own)).toBe(true);
    expect(isCrossSiteWrite("POST", "/admin/users", h({ origin: "http://app.example", "sec-fetch-site": "cross-site" }), own)).toBe(true);
    expect(isCrossSiteWrite("POST", "/admin/users", h({ "sec-fetch-site": "same-site" }), own)).toBe(true);
    expect(isCrossSiteWrite("POST", "/admin/users", h({}), own)).toBe(true);
  });

  it("takes the host a reverse proxy forwarded, as Next's server-action check does, and the public URL's", () => {
    const forwarded = h({ host: "app.internal:3000", "x-forwarded-host": "app.example" });
    expect(ownHosts(forwarded, undefined)).toEqual(["app.example"]);
    expect(ownHosts(h({ host: "app.internal:3000" }), "https://app.example")).toEqual(["app.internal:3000", "app.example"]);
    // The Origin matches the Host, but the forwarded host says the request was meant for another site.
    const mismatched = h({ origin: "http://app.internal:3000", host: "app.internal:3000", "x-forwarded-host": "evil.example" });
    expect(isCrossSiteWrite("POST", "/login", mismatched, ownHosts(mismatched, undefined))).toBe(true);
  });

  it("leaves the bearer-token API to its tokens", () => {
    expect(isCrossSiteWrite("POST", "/api/v1/scans", h({}), own)).toBe(false);
  });
});

describe("content security policy", () => {
  it("allows scripts only by nonce and forbids framing, plugins and base rewrites", () => {
    const csp = contentSecurityPolicy("abc", false);
    expect(csp).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(csp).not.toContain("unsafe");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
  });
});
