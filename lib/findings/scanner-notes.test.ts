import { describe, expect, it } from "vitest";
import { scannerNotes, webAddress } from "@/lib/findings/scanner-notes";

describe("scannerNotes", () => {
  it("labels what a misconfiguration's scanner said, from what is wrong to how to fix it, then the link", () => {
    const notes = scannerNotes({ url: "https://avd.aquasec.com/misconfig/ksv012", resolution: "Set runAsNonRoot to true", message: "Container 'api' should set runAsNonRoot" });
    expect(notes).toEqual([
      { label: "Message", text: "Container 'api' should set runAsNonRoot" },
      { label: "How to fix", text: "Set runAsNonRoot to true" },
      { label: "Reference", text: "https://avd.aquasec.com/misconfig/ksv012", href: "https://avd.aquasec.com/misconfig/ksv012" },
    ]);
  });

  it("shows a runtime finding's count and last alert, and kube-bench's evidence with its booleans in words", () => {
    expect(scannerNotes({ eventCount: 12345, lastOutput: "A shell was spawned (user=root)" })).toEqual([
      { label: "Last alert", text: "A shell was spawned (user=root)" },
      { label: "Alerts", text: "12,345" },
    ]);
    expect(scannerNotes({ scored: false, expected: "'600' is equal to '600'", actual: "644" }).map((n) => `${n.label}: ${n.text}`)).toEqual([
      "Expected: '600' is equal to '600'",
      "Found: 644",
      "Scored: no",
    ]);
  });

  it("never makes a link of an address that is not http(s), and skips empty, unknown and non-text values", () => {
    expect(scannerNotes({ help: "javascript:alert(1)", url: "data:text/html,<b>x</b>" })).toEqual([
      { label: "Reference", text: "data:text/html,<b>x</b>" },
      { label: "Help", text: "javascript:alert(1)" },
    ]);
    expect(scannerNotes({ message: "   ", secret: "s3cr3t", match: { nested: true }, failed: Number.NaN })).toEqual([]);
    expect(scannerNotes(null)).toEqual([]);
    expect(scannerNotes(["message"])).toEqual([]);
  });

  it("accepts only web addresses as links", () => {
    expect(webAddress("http://example.com/a")).toBe(true);
    expect(webAddress("HTTPS://EXAMPLE.COM")).toBe(true);
    expect(webAddress("javascript:alert(1)")).toBe(false);
    expect(webAddress("/relative/path")).toBe(false);
  });
});
