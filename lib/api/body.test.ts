import { describe, expect, it } from "vitest";
import { JsonBody } from "@/lib/api/body";

describe("JsonBody.takeText", () => {
  it("frees a large body's bytes as soon as its text is decoded, not at V8's next major collection", () => {
    const json = JSON.stringify({ Results: [{ Target: "x".repeat(2 * 1024 * 1024) }] });
    const bytes = Buffer.allocUnsafe(Buffer.byteLength(json));
    bytes.write(json);
    const text = new JsonBody(bytes, "digest").takeText();
    expect(text).toBe(json);
    // Detached: the memory is no longer this buffer's.
    expect(bytes.buffer.byteLength).toBe(0);
    expect(bytes.length).toBe(0);
  });

  it("leaves a small body's bytes alone: they may share Node's buffer pool with other buffers", () => {
    const neighbour = Buffer.from("another request's bytes");
    const bytes = Buffer.from('{"matches": []}');
    expect(new JsonBody(bytes, "digest").takeText()).toBe('{"matches": []}');
    expect(neighbour.toString()).toBe("another request's bytes");
    expect(bytes.toString()).toBe('{"matches": []}');
  });

  it("is taken once", () => {
    const body = new JsonBody(Buffer.from("{}"), "digest");
    body.takeText();
    expect(() => body.takeText()).toThrow("already taken");
  });
});
