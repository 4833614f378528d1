// The triage queue's views above the explorer: everything, the viewer's assignments (soonest due
// first), unassigned findings of their teams, and for exceptions: awaiting their approval, their requests.
import Link from "next/link";

export type QueueView = "all" | "mine" | "unassigned" | "approval" | "requests";

export function queueViewOf(params: Record<string, string>): QueueView {
  if (params.queue === "approval" || params.queue === "requests") return params.queue;
  if (params.assignee === "me") return "mine";
  if (params.assignee === "none") return "unassigned";
  return "all";
}

export function QueueTabs({ current, lead, engineer }: { current: QueueView; lead: boolean; engineer: boolean }) {
  const tabs: [QueueView, string, string][] = [
    ["all", "All findings", "/findings?all=1"],
    ...(engineer || lead ? ([["mine", "Assigned to me", "/findings?assignee=me&sort=due"], ["unassigned", lead ? "Unassigned" : "My teams, unassigned", "/findings?assignee=none"]] as [QueueView, string, string][]) : []),
    ...(lead ? ([["approval", "Awaiting my approval", "/findings?queue=approval"]] as [QueueView, string, string][]) : []),
    ...(engineer || lead ? ([["requests", "My exception requests", "/findings?queue=requests"]] as [QueueView, string, string][]) : []),
  ];
  return (
    <nav aria-label="Queue" className="mb-4 flex flex-wrap gap-1 rounded-md bg-slate-100 p-1 text-sm">
      {tabs.map(([view, label, href]) => (
        <Link key={view} href={href} aria-current={view === current ? "page" : undefined} className={`rounded px-3 py-1 ${view === current ? "bg-white font-medium shadow-sm" : "text-slate-700 hover:bg-white/60"}`}>
          {label}
        </Link>
      ))}
    </nav>
  );
}
