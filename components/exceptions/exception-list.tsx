// A list of exceptions with what each covers, who asked, why, how it ends, and the actions the
// viewer may take on it, as the policy says (decide when pending and not theirs; revoke when approved; withdraw their own),
// and for who decides, what approving a pending one would cover now.
import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { DecideForm, RevokeForm } from "@/components/exceptions/decision-forms";
import { pendingImpact, type ExceptionImpact } from "@/lib/exceptions/impact";
import { describeCoverage, type ExceptionRow } from "@/lib/exceptions/list";
import { SEVERITIES } from "@/lib/findings/model";
import { isoDate, plural } from "@/lib/format";
import { can, mayDecideException, mayEndException } from "@/lib/authz/policy";
import type { Role } from "@/lib/generated/prisma/enums";

const STATUS_STYLE: Record<string, string> = {
  pending: "bg-amber-100 text-amber-800",
  approved: "bg-emerald-100 text-emerald-800",
  rejected: "bg-slate-100 text-slate-700",
  expired: "bg-slate-100 text-slate-700",
  revoked: "bg-red-100 text-red-800",
};

export async function ExceptionList({ rows, viewer, empty }: { rows: ExceptionRow[]; viewer: { role: Role; userId: string }; empty: string }) {
  if (rows.length === 0) return <EmptyState>{empty}</EmptyState>;
  // Who decides sees what a decision would cover (they see every team's findings anyway).
  const impact = can(viewer.role, "exceptions:decide") ? await pendingImpact(rows.filter((r) => r.status === "pending").map((r) => r.id)) : undefined;
  return (
    <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white shadow-sm" aria-label="Exceptions">
      {rows.map((e) => (
        <li key={e.id} className="flex flex-col gap-2 p-4 text-sm">
          <div className="flex flex-wrap items-center gap-2">
            <span className={`rounded px-2 py-0.5 text-xs font-semibold ${STATUS_STYLE[e.status]}`}>{e.status}</span>
            <span className="font-medium text-slate-900">
              {e.finding ? <Link className="text-brand-700 hover:underline" href={`/findings/${e.finding.id}`}>{describeCoverage(e)}</Link> : describeCoverage(e)}
            </span>
            {e.status === "approved" && <span className="text-slate-500">· covers {plural(e._count.covers, "finding")} now</span>}
          </div>
          <p className="whitespace-pre-line text-slate-700">{e.reason}</p>
          {impact?.has(e.id) && <ImpactLine impact={impact.get(e.id)!} />}
          <p className="text-xs text-slate-500">
            Asked by {e.requestedBy.name || e.requestedBy.email} on {isoDate(e.createdAt)} · ends {e.untilFixAvailable ? "when a fix is available" : `on ${isoDate(e.expiresAt)}`}
            {e.decidedBy && ` · ${e.status === "rejected" ? "rejected" : "approved"} by ${e.decidedBy.name || e.decidedBy.email}${e.decisionNote ? `: “${e.decisionNote}”` : ""}`}
            {e.endReason && ` · ended ${isoDate(e.endedAt)}: ${e.endReason}`}
          </p>
          {e.status === "pending" && mayDecideException(viewer, e.requestedBy.id).ok && <DecideForm exceptionId={e.id} />}
          {e.status === "pending" && can(viewer.role, "exceptions:decide") && e.requestedBy.id === viewer.userId && <p className="text-xs text-amber-700">Your own request: another security lead decides it (four eyes).</p>}
          {(e.status === "pending" || e.status === "approved") && mayEndException(viewer, { status: e.status, requestedById: e.requestedBy.id }).ok && <RevokeForm exceptionId={e.id} pending={e.status === "pending"} />}
        </li>
      ))}
    </ul>
  );
}

/** "If approved, it covers 3 open findings now: 1 critical · 2 high; 1 has a fix." */
function ImpactLine({ impact }: { impact: ExceptionImpact }) {
  if (impact.findings === 0) return <p className="text-xs text-slate-600">If approved, it covers no open finding now.</p>;
  const severities = SEVERITIES.filter((s) => impact.bySeverity[s]).map((s) => `${impact.bySeverity[s]} ${s}`).join(" · ");
  const fixes = impact.fixable === 0 ? "none has a fix" : impact.fixable === impact.findings ? (impact.findings === 1 ? "it has a fix" : "all have a fix") : `${impact.fixable} ${impact.fixable === 1 ? "has" : "have"} a fix`;
  return (
    <p className="text-xs text-slate-700" aria-label="Impact if approved">
      If approved, it covers <strong>{plural(impact.findings, "open finding")}</strong> now: {severities}; {fixes}.
    </p>
  );
}
