import Link from "next/link";
import { ScoreBadge } from "@/components/posture/score-badge";
import { describeLine, formatCost, type Score } from "@/lib/posture/score";

const SHOWN = 8;


/** The score with what it is made of, line by line, and a link to how it is computed. */
export function ScoreBreakdown({ score, label }: { score: Score; label: string }) {
  return (
    <section aria-label={`${label} score`} className="rounded-lg bg-white p-4 shadow-sm">
      <div className="flex items-center justify-between gap-4">
        <div>
          <div className="text-sm font-medium text-slate-500">{label} score</div>
          <div className="mt-1"><ScoreBadge grade={score.grade} value={score.value} score={score} size="lg" /></div>
        </div>
        <Link href="/help/score" className="text-xs text-brand-700 hover:underline">How the score works</Link>
      </div>
      {score.lines.length === 0 ? (
        <p className="mt-3 text-sm text-slate-500">No open findings: nothing costs points.</p>
      ) : (
        <ul className="mt-3 space-y-1 text-sm">
          {score.lines.slice(0, SHOWN).map((line) => (
            <li key={`${line.severity}-${line.fixable}-${line.running}`} className="flex justify-between gap-4">
              <span className="text-slate-700">{describeLine(line)}</span>
              <span className="tabular-nums text-slate-500">−{formatCost(line.cost)}</span>
            </li>
          ))}
          {score.lines.length > SHOWN && (
            <li className="flex justify-between gap-4 text-slate-500">
              <span>{score.lines.length - SHOWN} more kinds of finding</span>
              <span className="tabular-nums">−{formatCost(score.lines.slice(SHOWN).reduce((sum, l) => sum + l.cost, 0))}</span>
            </li>
          )}
          {score.capped.map((c) => (
            <li key={c.severity} className="flex justify-between gap-4 text-slate-500">
              <span>{c.severity} costs at most</span>
              <span className="tabular-nums">−{formatCost(c.cost)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
