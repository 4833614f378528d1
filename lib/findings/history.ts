// A finding's history: its creation (first seen, by which scan) followed by every later change.
import { db } from "@/lib/db";
import type { FindingEventType, FindingStatus } from "@/lib/generated/prisma/enums";

export interface HistoryEntry {
  type: FindingEventType;
  at: Date;
  fromStatus: FindingStatus | null;
  toStatus: FindingStatus | null;
  scanId: string | null;
  actorUserId: string | null;
  note: string | null;
}

export async function findingHistory(findingId: string): Promise<HistoryEntry[]> {
  const finding = await db.finding.findUniqueOrThrow({
    where: { id: findingId },
    select: { firstSeenAt: true, firstScanId: true, events: { orderBy: [{ at: "asc" }, { id: "asc" }] } },
  });
  const events: HistoryEntry[] = finding.events.map((e) => ({
    type: e.type,
    at: e.at,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    scanId: e.scanId,
    actorUserId: e.actorUserId,
    note: e.note,
  }));
  // Findings from scans carry their creation on the row; others (runtime alerts) have an event.
  if (events[0]?.type === "created") return events;
  const created: HistoryEntry = { type: "created", at: finding.firstSeenAt, fromStatus: null, toStatus: "open", scanId: finding.firstScanId, actorUserId: null, note: null };
  return [created, ...events];
}
