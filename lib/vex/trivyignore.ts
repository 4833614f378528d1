// Accepted risks as a .trivyignore: each vulnerability under an approved exception, with `exp:`
// set to the exception's end date, so a pipeline stops failing on it until the exception ends.
import type { Decision } from "@/lib/vex/decisions";

export function trivyIgnore(image: string, decisions: Decision[], asOf: Date): string {
  const accepted = decisions.filter((d) => d.status === "risk_accepted" && d.exception);
  const lines = [`# Accepted risks of ${image}, exported by Portcullis at ${asOf.toISOString()}.`, "# Regenerate on every run: an exception that ends disappears from this file."];
  const seen = new Set<string>();
  for (const d of accepted) {
    const e = d.exception!;
    const key = `${d.vulnerabilityId} ${e.expiresAt?.toISOString() ?? "fix"}`;
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push(`# ${oneLine(e.reason)}${e.untilFixAvailable ? " (until a fix is available)" : ""}`);
    lines.push(e.expiresAt ? `${d.vulnerabilityId} exp:${e.expiresAt.toISOString().slice(0, 10)}` : d.vulnerabilityId);
  }
  return `${lines.join("\n")}\n`;
}

/** A reason is free text: one line, so it cannot add an ignore entry of its own. */
const oneLine = (text: string) => text.replace(/[\r\n]+/g, " ").slice(0, 300);
