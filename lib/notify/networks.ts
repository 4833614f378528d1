// Networks as a block list (WEBHOOK_BLOCKED_NETWORKS): parsed when the environment is read, so a
// bad value stops the server at start, and checked for each address a webhook connects to.
import { BlockList, isIP } from "node:net";

export const DEFAULT_BLOCKED_NETWORKS = "127.0.0.0/8, ::1/128, 169.254.0.0/16, fe80::/10, 0.0.0.0/8, ::/128";

/** The block list of comma-separated CIDR networks; throws on one that is not. */
export function parseNetworks(text: string): BlockList {
  const list = new BlockList();
  for (const cidr of text.split(",").map((s) => s.trim()).filter(Boolean)) {
    const [address, bits] = cidr.split("/");
    const family = isIP(address);
    const prefix = Number(bits ?? (family === 6 ? 128 : 32));
    if (!family || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) throw new Error(`"${cidr}" is not a network (address/prefix)`);
    list.addSubnet(address, prefix, family === 6 ? "ipv6" : "ipv4");
  }
  return list;
}

export function isBlocked(address: string, list: BlockList): boolean {
  // An IPv4 address written as IPv6 (::ffff:127.0.0.1) is the IPv4 address.
  const ip = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] ?? address;
  return list.check(ip, isIP(ip) === 6 ? "ipv6" : "ipv4");
}

