import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { requireViewer } from "@/lib/auth/viewer";
import { SCORE_RULES } from "@/lib/posture/score";
import { SEVERITIES } from "@/lib/findings/model";

export const metadata: Metadata = { title: "How the score works" };

export default async function ScoreHelpPage() {
  await requireViewer();
  return (
    <>
      <PageHeader title="How the score works" description="One formula for an image, a cluster, a team and the organisation." />
      <Panel title="The formula">
        <ol className="list-decimal space-y-2 pl-5 text-sm text-slate-700">
          <li>Only open findings count (open or in progress). Fixed, false-positive and risk-accepted findings cost nothing, and retired images (running nowhere, not scanned for 30 days) are left out.</li>
          <li>Each open finding costs points by its severity; half when no fixed version exists yet; half again when it is in an image that runs in no cluster.</li>
          <li>What one severity can cost is capped, so many lows never outweigh a critical, and the score stays between 0 and 100.</li>
          <li>Score = 100 − the capped costs, rounded. Letters: A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, F below.</li>
        </ol>
        <table className="mt-4 text-sm">
          <thead className="text-left text-xs uppercase text-slate-500"><tr><th className="pr-6">Severity</th><th className="pr-6 text-right">Points each</th><th className="text-right">At most</th></tr></thead>
          <tbody>
            {SEVERITIES.map((s) => (
              <tr key={s}><td className="pr-6 capitalize">{s}</td><td className="pr-6 text-right tabular-nums">{SCORE_RULES.points[s]}</td><td className="text-right tabular-nums">{SCORE_RULES.cap[s]}</td></tr>
            ))}
          </tbody>
        </table>
        <p className="mt-4 text-sm text-slate-700">
          Example: 2 high with a fix (2 × 6 = 12), 6 medium with a fix (6 × 1 = 6) and 4 low without a fix (4 × 0.125 = 0.5) cost 18.5: the score is 82, a B.
        </p>
      </Panel>
    </>
  );
}
