// A finding's SLA state from its status and due date (pure: the queue renders it in the browser).

/** A finding due within this many days is "at risk". */
export const AT_RISK_DAYS = 7;

export type SlaState = "within" | "at_risk" | "breached" | "paused" | "none";

/** A finding's SLA state: only open work has a clock; an accepted risk pauses it. */
export function slaState(finding: { status: string; dueAt: Date | null }, now: Date): SlaState {
  if (finding.status === "risk_accepted") return "paused";
  if (finding.status !== "open" && finding.status !== "in_progress") return "none";
  if (!finding.dueAt) return "none";
  const left = finding.dueAt.getTime() - now.getTime();
  if (left < 0) return "breached";
  return left <= AT_RISK_DAYS * 86_400_000 ? "at_risk" : "within";
}
