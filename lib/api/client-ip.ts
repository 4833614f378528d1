// The client's address, for the audit log and the per-address sign-in limit. Each reverse proxy
// appends the address it saw to X-Forwarded-For, and anything to the left of what our own proxies
// wrote came from the client and may be forged. So the address is taken TRUSTED_PROXY_HOPS
// entries from the right: 1 (the default) behind one load balancer. Next itself fills the header
// with the socket address when nothing sent one, which is the case with no proxy at all.
import { env } from "@/lib/env";

export function clientIp(headers: Headers): string | null {
  const hops = env().trustedProxyHops;
  const chain = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (chain.length === 0) return headers.get("x-real-ip");
  return chain[Math.max(0, chain.length - hops)];
}
