import { describe, expect, it } from "vitest";
import { kindCounts } from "@/lib/format";

describe("kindCounts", () => {
  it("says each kind in words, singular or plural, in a fixed order, and skips kinds with none", () => {
    expect(kindCounts({ runtime: 15, vulnerability: 13, compliance: 1, misconfiguration: 5, secret: 0 })).toBe(
      "13 vulnerabilities · 5 misconfigurations · 1 compliance check · 15 runtime alerts",
    );
    expect(kindCounts({ vulnerability: 1, secret: 2 })).toBe("1 vulnerability · 2 secrets");
    expect(kindCounts({})).toBe("");
  });
});
