import type { Grade, Score } from "@/lib/posture/score";
import { explainScore } from "@/lib/posture/score";

const gradeStyle: Record<Grade, string> = {
  A: "bg-emerald-600 text-white",
  B: "bg-lime-500 text-lime-950",
  C: "bg-amber-400 text-amber-950",
  D: "bg-orange-500 text-white",
  F: "bg-red-600 text-white",
};

/** The letter and the number; the explanation is the title (and the accessible name). */
export function ScoreBadge({ grade, value, score, size = "sm" }: { grade: Grade; value: number; score?: Score; size?: "sm" | "lg" }) {
  const explanation = score ? explainScore(score) : `${grade}, ${value}`;
  const box = size === "lg" ? "h-14 min-w-14 text-2xl" : "h-7 min-w-7 text-sm";
  return (
    <span title={explanation} aria-label={`Score ${explanation}`} className="inline-flex items-center gap-1.5">
      <span className={`inline-flex items-center justify-center rounded-md px-1.5 font-bold ${box} ${gradeStyle[grade]}`}>{grade}</span>
      <span className={`tabular-nums text-slate-700 ${size === "lg" ? "text-xl font-semibold" : "text-sm"}`}>{value}</span>
    </span>
  );
}
