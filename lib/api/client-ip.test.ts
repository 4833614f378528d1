import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clientIp } from "@/lib/api/client-ip";

const xff = (value: string) => new Headers({ "x-forwarded-for": value });

describe("client address", () => {
  // env() validates the whole environment; no database is opened here.
  beforeEach(() => {
    process.env.DATABASE_URL ??= "postgresql://unused@127.0.0.1:1/unused";
  });
  afterEach(() => {
    delete process.env.TRUSTED_PROXY_HOPS;
  });

  it("takes the address our one load balancer saw, not what the client claims", () => {
    expect(clientIp(xff("6.6.6.6, 203.0.113.5"))).toBe("203.0.113.5");
    expect(clientIp(xff("203.0.113.5"))).toBe("203.0.113.5");
  });

  it("counts further trusted hops from the right", () => {
    process.env.TRUSTED_PROXY_HOPS = "2";
    expect(clientIp(xff("6.6.6.6, 203.0.113.5, 10.0.0.2"))).toBe("203.0.113.5");
    expect(clientIp(xff("203.0.113.5"))).toBe("203.0.113.5");
  });

  it("falls back to X-Real-IP, else nothing", () => {
    expect(clientIp(new Headers({ "x-real-ip": "198.51.100.4" }))).toBe("198.51.100.4");
    expect(clientIp(new Headers())).toBeNull();
  });
});
