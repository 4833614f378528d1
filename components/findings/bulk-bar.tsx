"use client";
// The queue's bulk actions: on the selected rows, or on every finding matching the filter. The
// server changes what the user may change in one transaction and says how many it skipped and why.
import { useQueryClient } from "@tanstack/react-query";
import { useState, useTransition } from "react";
import { bulkTriageAction } from "@/app/(app)/findings/actions";
import { button, input, quietButton } from "@/components/admin/ui";
import { JUSTIFICATION_LABELS, JUSTIFICATIONS } from "@/lib/triage/workflow";
import type { TriageResult } from "@/lib/triage/apply";

const ACTIONS = {
  claim: "Assign to me",
  unassign: "Unassign",
  in_progress: "Status: in progress",
  fixed: "Status: fixed",
  open: "Status: open",
  false_positive: "Status: false positive…",
  not_affected: "Status: not affected…",
  comment: "Comment…",
  exception: "Request an exception…",
} as const;
type BulkChoice = keyof typeof ACTIONS;

export function BulkBar({ selected, filter, total, viewerId, clear }: { selected: string[]; filter: string; total: number | null; viewerId: string; clear: () => void }) {
  const [target, setTarget] = useState<"selected" | "filter">("selected");
  const [choice, setChoice] = useState<BulkChoice>("claim");
  const [text, setText] = useState("");
  const [justification, setJustification] = useState<string>(JUSTIFICATIONS[0]);
  const [until, setUntil] = useState("");
  const [outcome, setOutcome] = useState<{ result: TriageResult | null; error: string | null } | null>(null);
  const [pending, startTransition] = useTransition();
  const queryClient = useQueryClient();
  const onFilter = target === "filter" || selected.length === 0;
  const count = onFilter ? total : selected.length;

  const action = () => {
    switch (choice) {
      case "claim": return { type: "assign", assigneeId: viewerId };
      case "unassign": return { type: "assign", assigneeId: null };
      case "comment": return { type: "comment", body: text };
      case "exception": return { type: "request_exception", terms: { reason: text, ends: "date", expiresAt: until || undefined } };
      case "false_positive":
      case "not_affected": return { type: "status", status: choice, justification, comment: text };
      default: return { type: "status", status: choice };
    }
  };
  const run = () =>
    startTransition(async () => {
      const answer = await bulkTriageAction(onFilter ? { filter } : { ids: selected }, action());
      setOutcome(answer);
      if (answer.result) {
        clear();
        await queryClient.invalidateQueries({ queryKey: ["findings"] });
        await queryClient.invalidateQueries({ queryKey: ["findings-facets"] });
      }
    });

  const needsText = choice === "comment" || choice === "exception" || choice === "false_positive" || choice === "not_affected";
  return (
    <div role="group" aria-label="Bulk actions" className="mb-3 flex flex-col gap-2 rounded-lg border border-slate-200 bg-brand-50 p-3 text-sm">
      <div className="flex flex-wrap items-center gap-2">
        <label className="flex items-center gap-1"><input type="radio" checked={!onFilter} disabled={selected.length === 0} onChange={() => setTarget("selected")} /> {selected.length} selected</label>
        <label className="flex items-center gap-1"><input type="radio" checked={onFilter} onChange={() => setTarget("filter")} /> all {total === null ? "matching" : total.toLocaleString("en")} matching this filter</label>
        <select aria-label="Bulk action" value={choice} onChange={(e) => setChoice(e.target.value as BulkChoice)} className={input}>
          {Object.entries(ACTIONS).map(([value, text]) => <option key={value} value={value}>{text}</option>)}
        </select>
        {(choice === "false_positive" || choice === "not_affected") && (
          <select aria-label="Justification" value={justification} onChange={(e) => setJustification(e.target.value)} className={input}>
            {JUSTIFICATIONS.map((j) => <option key={j} value={j}>{JUSTIFICATION_LABELS[j]}</option>)}
          </select>
        )}
        {choice === "exception" && <input type="date" aria-label="Exception ends on" value={until} onChange={(e) => setUntil(e.target.value)} className={input} />}
        {needsText && <input aria-label={choice === "exception" ? "Justification" : "Comment"} value={text} onChange={(e) => setText(e.target.value)} placeholder={choice === "exception" ? "Why this risk is acceptable" : "Comment"} className={`${input} min-w-[14rem] flex-1`} />}
        <button className={button} disabled={pending || count === 0} onClick={run}>{pending ? "Working…" : `Apply to ${count === null ? "all matching" : count.toLocaleString("en")}`}</button>
        {selected.length > 0 && <button className={quietButton} onClick={clear}>Clear selection</button>}
      </div>
      {outcome?.error && <p role="alert" className="rounded bg-red-50 px-2 py-1 text-red-700">{outcome.error}</p>}
      {outcome?.result && (
        <p role="status" className="rounded bg-white px-2 py-1 text-slate-800">
          Changed {outcome.result.changed.toLocaleString("en")} of {outcome.result.matched.toLocaleString("en")}.
          {outcome.result.skipped.length > 0 && ` Skipped: ${outcome.result.skipped.map((s) => `${s.count.toLocaleString("en")} ${s.reason}`).join("; ")}.`}
        </p>
      )}
    </div>
  );
}
