import { describe, expect, it } from "vitest";
import { severityFromWord } from "@/lib/findings/severity";

describe("severityFromWord", () => {
  it.each([
    ["CRITICAL", "critical"],
    ["High", "high"],
    ["moderate", "medium"],
    ["Negligible", "low"],
    ["UNKNOWN", "unknown"],
    ["", "unknown"],
    [undefined, "unknown"],
    [4, "unknown"],
  ])("maps %j to %s", (word, expected) => {
    expect(severityFromWord(word)).toBe(expected);
  });
});
