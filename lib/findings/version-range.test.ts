import { describe, expect, it } from "vitest";
import { compareVersions, parsePackageQuery, versionMatches } from "@/lib/findings/version-range";

describe("package queries", () => {
  it("reads a name with an optional comparison", () => {
    expect(parsePackageQuery("log4j-core < 2.17.1")).toEqual({ name: "log4j-core", comparison: "<", version: "2.17.1" });
    expect(parsePackageQuery("openssl")).toEqual({ name: "openssl", comparison: null, version: null });
    expect(parsePackageQuery("openssl@3.0.7")).toEqual({ name: "openssl", comparison: "=", version: "3.0.7" });
    expect(parsePackageQuery("a b c")).toBeNull();
  });

  it("orders versions across ecosystems", () => {
    expect(compareVersions("2.9.1", "2.17.1")).toBeLessThan(0);
    expect(compareVersions("2.17.1", "2.17.1")).toBe(0);
    expect(compareVersions("2.0.0-rc1", "2.0.0")).toBeLessThan(0);
    expect(compareVersions("1:1.0", "2.0")).toBeGreaterThan(0);
    expect(compareVersions("1.1.1k-r0", "1.1.1l-r0")).toBeLessThan(0);
    expect(compareVersions("v1.2", "1.2.0")).toBe(0);
  });

  it("matches a version against a range", () => {
    const q = parsePackageQuery("log4j-core < 2.17.1")!;
    expect(["2.14.1", "2.17.0", "2.17.1", "2.20.0"].filter((v) => versionMatches(v, q))).toEqual(["2.14.1", "2.17.0"]);
  });
});

describe("searching by a whole advisory id", () => {
  it("recognises CVE and GHSA ids in any case, and nothing else", async () => {
    const { vulnerabilityIdOf, searchQuery } = await import("@/lib/findings/explore");
    expect(vulnerabilityIdOf(" cve-2021-44228 ")).toBe("CVE-2021-44228");
    expect(vulnerabilityIdOf("GHSA-jfh8-c2jp-5v3q")).toBe("GHSA-jfh8-c2jp-5v3q");
    expect(vulnerabilityIdOf("CVE-2021")).toBeNull();
    expect(vulnerabilityIdOf("log4j")).toBeNull();
    expect(searchQuery("log4j core")).toBe("'log4j':* & 'core':*");
    expect(searchQuery("'; DROP TABLE x; --")).toBe("'drop':* & 'table':* & 'x':*");
  });
});
