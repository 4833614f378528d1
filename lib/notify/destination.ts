// Where a webhook may post: never into the networks WEBHOOK_BLOCKED_NETWORKS names (by default the
// machine itself, link-local addresses such as a cloud's metadata service, and "this network"), so
// that a webhook cannot make the server call what only it can reach. Checked on the address the
// connection is actually made to, so a name that resolves there (or is re-pointed there later) is
// refused too; redirects are never followed.
import { lookup as dnsLookup } from "node:dns";
import http from "node:http";
import https from "node:https";
import { type BlockList, isIP, type LookupFunction } from "node:net";
import { env } from "@/lib/env";
import { isBlocked, parseNetworks } from "@/lib/notify/networks";

let cached: { text: string; list: BlockList } | undefined;
function configured(): BlockList {
  const text = env().notify.blockedNetworks;
  if (cached?.text !== text) cached = { text, list: parseNetworks(text) };
  return cached.list;
}

/** Why a webhook may not have this URL, from the URL alone (an address, or localhost); null if it may. */
export function refusedDestination(url: URL, list: BlockList = configured()): string | null {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const address = host === "localhost" || host.endsWith(".localhost") ? "127.0.0.1" : host;
  if (isIP(address) && isBlocked(address, list)) return `${url.hostname} is in a network webhooks may not reach (WEBHOOK_BLOCKED_NETWORKS)`;
  return null;
}

/** dns.lookup that refuses a name resolving into a blocked network. */
export function guardedLookup(list: BlockList = configured()): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "", 0);
      const blocked = addresses.find((a) => isBlocked(a.address, list));
      if (blocked) return callback(Object.assign(new Error(`${hostname} resolves to ${blocked.address}, in a network webhooks may not reach`), { code: "EBLOCKED" }), "", 0);
      if (options.all) return (callback as unknown as (e: null, a: typeof addresses) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** POSTs a JSON body to a webhook's URL and answers its status code (redirects are answers, not followed). */
export function postJson(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<number> {
  const target = new URL(url);
  const refused = refusedDestination(target);
  if (refused) return Promise.reject(new Error(refused));
  const client = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    // The whole exchange, not only a silent socket, has timeoutMs: a receiver that trickles is cut off too.
    const request = client.request(target, { method: "POST", headers: { ...headers, "content-length": String(Buffer.byteLength(body)) }, lookup: guardedLookup(), signal: AbortSignal.timeout(timeoutMs) }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on("error", (error) => reject(error.name === "AbortError" ? new Error(`no answer within ${timeoutMs / 1000} s`) : error));
    request.end(body);
  });
}
