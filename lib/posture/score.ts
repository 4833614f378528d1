// The posture score: one bounded 0–100 number with a letter, the same formula for an image, a
// cluster, a team and the organisation, from the open findings that no exception covers.
//
// Each open finding costs points by severity (critical 25, high 6, medium 1, low 0.25, unknown 0),
// halved when no fixed version exists (there is nothing to do yet) and halved again when it is in
// an image that runs nowhere. What one severity can cost is capped (critical 60, high 24,
// medium 10, low 6: the caps add up to 100), so a long tail of lows never outweighs a critical and
// the score stays bounded. Score = 100 − the capped costs, rounded; A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60.
import { SEVERITIES, type Severity } from "@/lib/findings/model";

export const SCORE_RULES = {
  points: { critical: 25, high: 6, medium: 1, low: 0.25, unknown: 0 } satisfies Record<Severity, number>,
  cap: { critical: 60, high: 24, medium: 10, low: 6, unknown: 0 } satisfies Record<Severity, number>,
  noFixFactor: 0.5,
  notRunningFactor: 0.5,
} as const;

export type Grade = "A" | "B" | "C" | "D" | "F";

/** Open findings of one kind of weight: how many of a severity, with or without a fix, running or not. */
export interface ScoreInput {
  severity: Severity;
  fixable: boolean;
  running: boolean;
  count: number;
}

export interface ScoreLine {
  severity: Severity;
  fixable: boolean;
  running: boolean;
  count: number;
  /** points this group costs before its severity's cap */
  cost: number;
}

export interface Score {
  value: number;
  grade: Grade;
  lines: ScoreLine[];
  /** severities whose cost hit the cap, with the capped cost */
  capped: { severity: Severity; cost: number }[];
}

export function gradeOf(value: number): Grade {
  if (value >= 90) return "A";
  if (value >= 80) return "B";
  if (value >= 70) return "C";
  if (value >= 60) return "D";
  return "F";
}

export function computeScore(inputs: readonly ScoreInput[]): Score {
  const groups = new Map<string, ScoreLine>();
  for (const input of inputs) {
    if (input.count <= 0) continue;
    const key = `${input.severity}|${input.fixable}|${input.running}`;
    const line = groups.get(key) ?? { severity: input.severity, fixable: input.fixable, running: input.running, count: 0, cost: 0 };
    line.count += input.count;
    line.cost = line.count * unitCost(input);
    groups.set(key, line);
  }
  const lines = [...groups.values()]
    .filter((l) => l.cost > 0)
    .sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || b.cost - a.cost);
  const capped: Score["capped"] = [];
  let total = 0;
  for (const severity of SEVERITIES) {
    const cost = lines.filter((l) => l.severity === severity).reduce((sum, l) => sum + l.cost, 0);
    const cap = SCORE_RULES.cap[severity];
    if (cost > cap) capped.push({ severity, cost: cap });
    total += Math.min(cost, cap);
  }
  const value = Math.max(0, Math.min(100, Math.round(100 - total)));
  return { value, grade: gradeOf(value), lines, capped };
}

function unitCost(input: Omit<ScoreInput, "count">): number {
  let cost = SCORE_RULES.points[input.severity];
  if (!input.fixable) cost *= SCORE_RULES.noFixFactor;
  if (!input.running) cost *= SCORE_RULES.notRunningFactor;
  return cost;
}

/** "B, 82: 2 high with a fix −12, 6 medium −6" — what the score is made of, in words. */
export function explainScore(score: Score): string {
  const parts = score.lines.map((l) => `${describeLine(l)} −${formatCost(l.cost)}`);
  for (const c of score.capped) parts.push(`${c.severity} capped at −${formatCost(c.cost)}`);
  return `${score.grade}, ${score.value}${parts.length ? `: ${parts.join(", ")}` : ": no open findings"}`;
}

export function describeLine(line: Pick<ScoreLine, "count" | "severity" | "fixable" | "running">): string {
  const fix = line.fixable ? " with a fix" : " without a fix";
  const running = line.running ? "" : ", not running";
  return `${line.count} ${line.severity}${fix}${running}`;
}

/** A cost as written in a breakdown: 12, 0.5, 0.13. */
export function formatCost(cost: number): string {
  return Number.isInteger(cost) ? String(cost) : cost.toFixed(2).replace(/0+$/, "").replace(/\.$/, "");
}
