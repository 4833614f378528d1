import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Server actions from the public URL are ours even when the reverse proxy does not forward the
  // host (proxy.ts allows the same hosts, so the two checks agree).
  experimental: { serverActions: { allowedOrigins: process.env.PUBLIC_URL ? [new URL(process.env.PUBLIC_URL).host] : [] } },
  // Ingest bodies are streamed by our own route with its own limit (lib/api/body.ts).
  serverExternalPackages: ["@electric-sql/pglite", "pg", "pg-boss"],
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
          // Browsers keep to https for two years once they have seen this over https (ignored over http).
          ...(process.env.NODE_ENV === "production" ? [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }] : []),
          // Pages get their Content-Security-Policy from proxy.ts (it needs a per-request nonce).
        ],
      },
      {
        // API answers are data, never documents: nothing may run in or frame them. (/api/docs is
        // a page: it gets the pages' nonce CSP from proxy.ts.)
        source: "/api/:path((?!docs(?:/|$)).*)",
        headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }],
      },
      {
        // What scanners and sensors post to gets a short answer: compressing it (a zlib stream per
        // request) cost a runtime alert more CPU than storing it. no-transform tells Next's
        // compression, and any proxy, to leave it as it is.
        source: "/api/v1/:path(scans|runtime-events)",
        headers: [{ key: "Cache-Control", value: "no-store, no-transform" }],
      },
    ];
  },
};

export default nextConfig;
