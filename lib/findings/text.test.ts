import { describe, expect, it } from "vitest";
import { storedReferences, TEXT_LIMITS } from "@/lib/findings/text";

describe("a catalogue entry's references", () => {
  it("keeps each link once, in order, and drops empty ones", () => {
    expect(storedReferences(["https://a", "", "https://b", "https://a", "https://c", "https://b"])).toEqual(["https://a", "https://b", "https://c"]);
    expect(storedReferences([])).toEqual([]);
  });

  it("keeps at most the limit, after repeats are taken out, and cuts an overlong link", () => {
    const repeated = Array.from({ length: 300 }, (_, i) => `https://example.com/${i % 150}`);
    const stored = storedReferences(repeated);
    expect(stored).toHaveLength(TEXT_LIMITS.references);
    expect(new Set(stored).size).toBe(TEXT_LIMITS.references);
    const [long] = storedReferences([`https://example.com/${"x".repeat(5000)}`]);
    expect(long).toHaveLength(TEXT_LIMITS.reference);
    expect(long.endsWith("…")).toBe(true);
  });
});
