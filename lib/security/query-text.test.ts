import { describe, expect, it } from "vitest";
import { nulInQuery } from "@/lib/security/query-text";

describe("nulInQuery", () => {
  it("names the parameter whose name or value holds a NUL", () => {
    expect(nulInQuery(new URL("http://x/findings?severity=high&q=a%00b").searchParams)).toMatch(/^The query parameter "q" holds a NUL character \(%00\)/);
    expect(nulInQuery(new URL("http://x/images?a%00=1").searchParams)).toMatch(/^The query parameter "a%00"/);
  });

  it("passes every other text, odd or not", () => {
    expect(nulInQuery(new URL("http://x/findings?q=%F0%9F%94%A5&rule=%27%22%3C&x=%01").searchParams)).toBeNull();
  });
});
