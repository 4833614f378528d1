import { describe, expect, it } from "vitest";
import { computeScore, explainScore, gradeOf } from "@/lib/posture/score";

const running = true;

describe("the posture score", () => {
  it("is 100 and an A with nothing open", () => {
    expect(computeScore([])).toMatchObject({ value: 100, grade: "A", lines: [] });
    expect(explainScore(computeScore([]))).toBe("A, 100: no open findings");
  });

  it("costs 25 for a fixable critical in a running image, and half that without a fix, and half again when it runs nowhere", () => {
    expect(computeScore([{ severity: "critical", fixable: true, running, count: 1 }]).value).toBe(75);
    expect(computeScore([{ severity: "critical", fixable: false, running, count: 1 }]).value).toBe(88); // 87.5 rounds up
    expect(computeScore([{ severity: "critical", fixable: false, running: false, count: 1 }]).value).toBe(94); // 93.75
  });

  it("is the README's worked example", () => {
    const score = computeScore([
      { severity: "high", fixable: true, running, count: 2 },
      { severity: "medium", fixable: true, running, count: 6 },
      { severity: "low", fixable: false, running, count: 4 },
    ]);
    // 2 × 6 + 6 × 1 + 4 × 0.125 = 18.5 → 81.5 → 82
    expect(score.value).toBe(82);
    expect(explainScore(score)).toBe("B, 82: 2 high with a fix −12, 6 medium with a fix −6, 4 low without a fix −0.5");
  });

  it("caps what one severity can cost, so the score stays within 0–100", () => {
    const many = computeScore([
      { severity: "critical", fixable: true, running, count: 1000 },
      { severity: "high", fixable: true, running, count: 1000 },
      { severity: "medium", fixable: true, running, count: 1000 },
      { severity: "low", fixable: true, running, count: 1000 },
    ]);
    expect(many.value).toBe(0);
    expect(many.capped.map((c) => [c.severity, c.cost])).toEqual([["critical", 60], ["high", 24], ["medium", 10], ["low", 6]]);
    // a thousand lows never cost more than one fixable critical
    expect(computeScore([{ severity: "low", fixable: true, running, count: 1000 }]).value).toBeGreaterThan(
      computeScore([{ severity: "critical", fixable: true, running, count: 1 }]).value,
    );
  });

  it("counts unknown severities as free and adds up split inputs of the same kind", () => {
    expect(computeScore([{ severity: "unknown", fixable: true, running, count: 50 }]).value).toBe(100);
    const split = computeScore([
      { severity: "high", fixable: true, running, count: 1 },
      { severity: "high", fixable: true, running, count: 2 },
    ]);
    expect(split.lines).toEqual([{ severity: "high", fixable: true, running, count: 3, cost: 18 }]);
  });

  it("grades by fixed bands", () => {
    expect([95, 90, 89, 80, 79, 70, 69, 60, 59, 0].map(gradeOf)).toEqual(["A", "A", "B", "B", "C", "C", "D", "D", "F", "F"]);
  });
});
