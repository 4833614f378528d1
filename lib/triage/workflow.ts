// The triage workflow: which statuses a person may set, from which, and what each needs. Scans
// move findings too (a finding no scan reports any more is fixed, one that returns reopens: see
// lib/findings/merge.ts); risk accepted is reached only through an approved exception.
import type { FindingStatus, VexJustification } from "@/lib/generated/prisma/enums";

export const JUSTIFICATIONS = [
  "component_not_present",
  "vulnerable_code_not_present",
  "vulnerable_code_not_in_execute_path",
  "vulnerable_code_cannot_be_controlled_by_adversary",
  "inline_mitigations_already_exist",
] as const satisfies readonly VexJustification[];

export const JUSTIFICATION_LABELS: Record<VexJustification, string> = {
  component_not_present: "Component not present",
  vulnerable_code_not_present: "Vulnerable code not present",
  vulnerable_code_not_in_execute_path: "Vulnerable code not in execute path",
  vulnerable_code_cannot_be_controlled_by_adversary: "Vulnerable code cannot be controlled by an adversary",
  inline_mitigations_already_exist: "Inline mitigations already exist",
};

export const STATUS_LABELS: Record<FindingStatus, string> = {
  open: "Open",
  in_progress: "In progress",
  fixed: "Fixed",
  false_positive: "False positive",
  not_affected: "Not affected",
  risk_accepted: "Risk accepted",
};

/** What a person may set. */
export const SETTABLE_STATUSES = ["open", "in_progress", "fixed", "false_positive", "not_affected"] as const;
export type SettableStatus = (typeof SETTABLE_STATUSES)[number];

/** From which statuses each status may be set by a person. */
export const ALLOWED_FROM: Record<SettableStatus, readonly FindingStatus[]> = {
  open: ["in_progress", "fixed", "false_positive", "not_affected"],
  in_progress: ["open"],
  fixed: ["open", "in_progress"],
  false_positive: ["open", "in_progress", "not_affected"],
  not_affected: ["open", "in_progress", "false_positive"],
};

/** A decision that says the finding does not apply needs a VEX justification and a comment. */
export const needsJustification = (status: FindingStatus): boolean => status === "false_positive" || status === "not_affected";

/** Why a finding in `from` cannot be set to `to` by a person; null when it can. */
export function transitionRefusal(from: FindingStatus, to: SettableStatus): string | null {
  if (from === to) return `already ${STATUS_LABELS[to].toLowerCase()}`;
  if (from === "risk_accepted") return "risk accepted under an exception: revoke the exception to change it";
  if (!ALLOWED_FROM[to].includes(from)) return `cannot go from ${STATUS_LABELS[from].toLowerCase()} to ${STATUS_LABELS[to].toLowerCase()}`;
  return null;
}
