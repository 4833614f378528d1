import { describe, expect, it } from "vitest";
import { quoteBigIntegers } from "@/lib/ingest/falco/big-integers";

describe("quoteBigIntegers", () => {
  it("keeps nanosecond integers exact", () => {
    const parsed = JSON.parse(quoteBigIntegers('{"output_fields":{"evt.time":1610667584834631763,"n":42,"f":1.5}}'));
    expect(parsed.output_fields["evt.time"]).toBe("1610667584834631763");
    expect(parsed.output_fields.n).toBe(42);
    expect(parsed.output_fields.f).toBe(1.5);
  });

  it("leaves strings, small numbers, decimals and exponents alone", () => {
    const text = '{"a":"x 12345678901234567890 \\" 1234567890123456789","b":[-1234567890123456789,1e300,12345678901234567.5]}';
    const parsed = JSON.parse(quoteBigIntegers(text));
    expect(parsed.a).toBe('x 12345678901234567890 " 1234567890123456789');
    expect(parsed.b).toEqual(["-1234567890123456789", 1e300, 12345678901234567.5]);
  });
});
