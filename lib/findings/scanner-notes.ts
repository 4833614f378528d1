// What a scanner said about a finding beyond its facts: its message, how to fix it, the evidence.
// Scanners store these in `details` (lib/ingest/formats); the finding page shows the keys it
// knows, labelled, in an order that reads from "what is wrong" to "how to fix" to "context".

export interface ScannerNote {
  label: string;
  text: string;
  /** set only for http(s) addresses: a report's link is shown as text otherwise */
  href?: string;
}

const TEXT_NOTES: readonly (readonly [key: string, label: string])[] = [
  ["message", "Message"],
  ["lastOutput", "Last alert"],
  ["eventCount", "Alerts"],
  ["description", "Description"],
  ["reason", "Reason"],
  ["resolution", "How to fix"],
  ["remediation", "How to fix"],
  ["audit", "Audit"],
  ["expected", "Expected"],
  ["actual", "Found"],
  ["category", "Category"],
  ["match", "Match"],
  ["analysis", "Vendor analysis"],
  ["justification", "Vendor justification"],
  ["failed", "Failed checks"],
  ["benchmark", "Benchmark"],
  ["kubernetesVersion", "Kubernetes version"],
  ["scored", "Scored"],
  ["packageType", "Package type"],
  ["report", "Operator report"],
  ["tool", "Tool"],
];

const LINK_NOTES: readonly (readonly [key: string, label: string])[] = [
  ["url", "Reference"],
  ["help", "Help"],
];

export function scannerNotes(details: unknown): ScannerNote[] {
  if (typeof details !== "object" || details === null || Array.isArray(details)) return [];
  const values = details as Record<string, unknown>;
  const notes: ScannerNote[] = [];
  for (const [key, label] of TEXT_NOTES) {
    const text = asText(values[key]);
    if (text) notes.push({ label, text });
  }
  for (const [key, label] of LINK_NOTES) {
    const text = asText(values[key]);
    if (text) notes.push(webAddress(text) ? { label, text, href: text } : { label, text });
  }
  return notes;
}

/** Web addresses only: a report could carry `javascript:` or `data:` in a link field. */
export function webAddress(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

function asText(value: unknown): string | null {
  if (typeof value === "string") return value.trim() || null;
  if (typeof value === "number" && Number.isFinite(value)) return value.toLocaleString("en");
  if (typeof value === "boolean") return value ? "yes" : "no";
  return null;
}
