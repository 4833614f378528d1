import { describe, expect, it } from "vitest";
import { assertJsonDepth, MAX_JSON_DEPTH } from "@/lib/ingest/json-depth";
import { uniqueStrings } from "@/lib/ingest/formats/common";

const nested = (depth: number, leaf: unknown = 1): unknown => {
  let doc: unknown = leaf;
  for (let i = 0; i < depth; i++) doc = i % 2 ? [doc] : { a: doc };
  return doc;
};

describe("assertJsonDepth", () => {
  it("accepts a document exactly as deep as the limit, through objects and arrays", () => {
    expect(() => assertJsonDepth(nested(MAX_JSON_DEPTH))).not.toThrow();
  });

  it("refuses one level deeper, wherever the deep branch is", () => {
    expect(() => assertJsonDepth(nested(MAX_JSON_DEPTH + 1))).toThrow(`JSON is nested deeper than ${MAX_JSON_DEPTH} levels`);
    expect(() => assertJsonDepth({ wide: Array.from({ length: 1000 }, () => ({ x: 1 })), deep: [1, nested(MAX_JSON_DEPTH)] })).toThrow(/deeper than/);
  });

  it("accepts wide documents and scalars", () => {
    expect(() => assertJsonDepth({ Results: Array.from({ length: 10_000 }, (_, i) => ({ id: i, refs: ["a", "b"] })) })).not.toThrow();
    expect(() => assertJsonDepth(null)).not.toThrow();
    expect(() => assertJsonDepth("text")).not.toThrow();
  });
});

describe("uniqueStrings", () => {
  it("keeps each non-empty string once, in first-seen order", () => {
    expect(uniqueStrings(["b", null, "a", "", "b", undefined, "c", "a"])).toEqual(["b", "a", "c"]);
  });

  it("does the same for long lists", () => {
    const many = Array.from({ length: 40 }, (_, i) => `u${i % 25}`);
    expect(uniqueStrings(["", ...many, null])).toEqual(Array.from({ length: 25 }, (_, i) => `u${i}`));
  });
});
