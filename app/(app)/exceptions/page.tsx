import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { ExceptionList } from "@/components/exceptions/exception-list";
import { requireViewer } from "@/lib/auth/viewer";
import { EXCEPTION_TABS, EXPIRING_DAYS, listExceptions, tabsFor, type ExceptionTab } from "@/lib/exceptions/list";

export const metadata: Metadata = { title: "Exceptions" };

const TAB_LABELS: Record<ExceptionTab, string> = {
  pending: "Awaiting approval",
  active: "Active",
  expiring: `Expiring within ${EXPIRING_DAYS} days`,
  history: "History",
  mine: "My requests",
};
const EMPTY: Record<ExceptionTab, string> = {
  pending: "No request is waiting for a decision.",
  active: "No exception is active.",
  expiring: `No exception ends within ${EXPIRING_DAYS} days.`,
  history: "No exception has ended yet.",
  mine: "You have not asked for an exception. Ask from a finding's page.",
};

export default async function ExceptionsPage({ searchParams }: { searchParams: Promise<{ tab?: string }> }) {
  const viewer = await requireViewer();
  const tabs = tabsFor(viewer);
  const asked = (await searchParams).tab;
  const tab: ExceptionTab = (EXCEPTION_TABS as readonly string[]).includes(asked ?? "") && tabs.includes(asked as ExceptionTab) ? (asked as ExceptionTab) : tabs[0];
  const rows = await listExceptions(viewer, tab);
  return (
    <>
      <PageHeader title="Exceptions" description="Accepted risks always end: on a date, or when a fix is available. A security lead who did not ask decides each request." />
      <nav aria-label="Exception views" className="mb-4 flex flex-wrap gap-1 rounded-md bg-slate-100 p-1 text-sm">
        {tabs.map((t) => (
          <Link key={t} href={`/exceptions?tab=${t}`} aria-current={t === tab ? "page" : undefined} className={`rounded px-3 py-1 ${t === tab ? "bg-white shadow-sm" : "text-slate-700 hover:bg-white/60"}`}>
            {TAB_LABELS[t]}
          </Link>
        ))}
      </nav>
      <ExceptionList rows={rows} viewer={viewer} empty={EMPTY[tab]} />
    </>
  );
}
