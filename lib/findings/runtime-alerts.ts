// The raw alerts behind a runtime finding, newest first, for its page. The page has already
// checked that the viewer sees the finding; its alerts go with it.
import { db } from "@/lib/db";

/** How many of a finding's alerts its page lists (it keeps up to 500; lib/ingest/falco). */
const ALERTS_LISTED = 20;

export interface RuntimeAlert {
  occurredAt: Date;
  hostname: string | null;
  workload: string | null;
  priority: string;
  output: string | null;
}

export async function recentRuntimeAlerts(findingId: string): Promise<RuntimeAlert[]> {
  return db.runtimeEvent.findMany({
    where: { findingId },
    orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
    take: ALERTS_LISTED,
    select: { occurredAt: true, hostname: true, workload: true, priority: true, output: true },
  });
}
