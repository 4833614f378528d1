// Which addresses webhooks may not reach, with the default networks and with a configured list.
import { describe, expect, it } from "vitest";
import { guardedLookup, refusedDestination } from "@/lib/notify/destination";
import { DEFAULT_BLOCKED_NETWORKS, isBlocked, parseNetworks } from "@/lib/notify/networks";

const defaults = parseNetworks(DEFAULT_BLOCKED_NETWORKS);

describe("blocked networks", () => {
  it("block the machine itself, link-local addresses (a cloud's metadata service) and the unspecified address by default", () => {
    for (const address of ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1", "169.254.169.254", "fe80::1", "0.0.0.0", "::"]) expect(isBlocked(address, defaults), address).toBe(true);
    for (const address of ["10.0.0.5", "192.168.1.10", "203.0.113.7", "2001:db8::1", "::ffff:10.0.0.5"]) expect(isBlocked(address, defaults), address).toBe(false);
  });

  it("are refused by URL before anything is sent: addresses, localhost, an IPv6 address in brackets", () => {
    expect(refusedDestination(new URL("http://169.254.169.254/latest/meta-data/"), defaults)).toMatch(/169\.254\.169\.254 is in a network webhooks may not reach/);
    expect(refusedDestination(new URL("http://localhost:8080/hook"), defaults)).toMatch(/localhost/);
    expect(refusedDestination(new URL("http://[::1]:9000/"), defaults)).toMatch(/\[::1\]/);
    expect(refusedDestination(new URL("https://hooks.slack.com/services/x"), defaults)).toBeNull();
    expect(refusedDestination(new URL("http://10.1.2.3/mattermost"), defaults)).toBeNull();
  });

  it("are refused when a name resolves into them", async () => {
    const lookup = guardedLookup(defaults);
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => lookup("localhost", {}, (e) => resolve(e)));
    expect(error?.message).toMatch(/localhost resolves to (127\.0\.0\.1|::1), in a network webhooks may not reach/);
    const allowed = guardedLookup(parseNetworks("169.254.0.0/16"));
    const address = await new Promise<string>((resolve, reject) => allowed("localhost", {}, (e, a) => (e ? reject(e) : resolve(a as string))));
    expect(["127.0.0.1", "::1"]).toContain(address);
  });

  it("are written as address/prefix, and anything else is refused", () => {
    expect(() => parseNetworks("10.0.0.0/8, fd00::/8")).not.toThrow();
    expect(() => parseNetworks("10.0.0.0/33")).toThrow(/"10.0.0.0\/33" is not a network/);
    expect(() => parseNetworks("intranet")).toThrow(/is not a network/);
  });
});
