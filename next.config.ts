import type { NextConfig } from "next";
import { responseHeaderRules } from "./lib/security/response-headers";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Server actions from the public URL are ours even when the reverse proxy does not forward the
  // host (proxy.ts allows the same hosts, so the two checks agree).
  experimental: { serverActions: { allowedOrigins: process.env.PUBLIC_URL ? [new URL(process.env.PUBLIC_URL).host] : [] } },
  // Ingest bodies are streamed by our own route with its own limit (lib/api/body.ts).
  serverExternalPackages: ["@electric-sql/pglite", "pg", "pg-boss"],
  // The same headers as the routes served without Next (lib/api/direct-route.ts).
  async headers() {
    return responseHeaderRules(process.env.NODE_ENV === "production");
  },
};

export default nextConfig;
