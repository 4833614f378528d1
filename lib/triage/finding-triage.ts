// What the finding page needs for triage: who may do what, whom it can be assigned to, its
// exceptions, where its image runs (to scope a rule exception), and its whole history in one
// timeline (scans, status changes, assignment, comments, exceptions), with people's names.
import { db } from "@/lib/db";
import type { Viewer } from "@/lib/auth/viewer";
import { can, mayTriage, seesAllTeams } from "@/lib/authz/policy";
import { findingHistory } from "@/lib/findings/history";
import { SCOPES_BY_KIND, type RuleScope } from "@/lib/exceptions/request";
import { loadSlaSettings } from "@/lib/sla/settings";
import { exceptionsOfFinding } from "@/lib/exceptions/list";
import type { FindingKind } from "@/lib/generated/prisma/enums";

export interface TimelineEntry {
  at: Date;
  kind: "event" | "comment";
  type: string;
  actor: string | null;
  fromStatus: string | null;
  toStatus: string | null;
  scanId: string | null;
  text: string | null;
}

export async function findingTimeline(findingId: string): Promise<TimelineEntry[]> {
  const [history, comments] = await Promise.all([
    findingHistory(findingId),
    db.comment.findMany({ where: { findingId }, orderBy: { createdAt: "asc" }, select: { body: true, createdAt: true, author: { select: { name: true, email: true } } } }),
  ]);
  const actorIds = [...new Set(history.map((h) => h.actorUserId).filter((id): id is string => id !== null))];
  const names = new Map((await db.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, name: true, email: true } })).map((u) => [u.id, u.name || u.email]));
  const entries: TimelineEntry[] = [
    // A comment is shown once, as itself (its "commented" event is for reports).
    ...history.filter((h) => h.type !== "commented").map((h) => ({ at: h.at, kind: "event" as const, type: h.type, actor: h.actorUserId ? (names.get(h.actorUserId) ?? "a removed user") : null, fromStatus: h.fromStatus, toStatus: h.toStatus, scanId: h.scanId, text: h.note })),
    ...comments.map((c) => ({ at: c.createdAt, kind: "comment" as const, type: "comment", actor: c.author.name || c.author.email, fromStatus: null, toStatus: null, scanId: null, text: c.body })),
  ];
  // A status change with a comment is one step: the comment follows its event.
  return entries.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.kind === b.kind ? 0 : a.kind === "event" ? -1 : 1));
}

interface TriagedFinding {
  id: string;
  kind: FindingKind;
  teamId: string | null;
  imageId: string | null;
  cluster: { id: string } | null;
  namespace: { name: string } | null;
}

export async function findingTriage(viewer: Viewer, finding: TriagedFinding) {
  const editable = mayTriage(viewer, finding.teamId);
  const [people, exceptions, namespaces, settings] = await Promise.all([
    editable ? assignablePeople(finding.teamId) : Promise.resolve([]),
    exceptionsOfFinding(finding.id),
    finding.imageId
      ? db.namespace.findMany({ where: { workloads: { some: { images: { some: { imageId: finding.imageId } } } } }, select: { id: true, name: true, cluster: { select: { name: true } } }, orderBy: { name: "asc" } })
      : Promise.resolve([]),
    loadSlaSettings(),
  ]);
  // Only the scopes this finding has a place for (a host's runtime alert has no namespace; an
  // image that runs nowhere has no namespace to choose); the request checks them again.
  const hasPlace: Record<RuleScope, boolean> = {
    everywhere: seesAllTeams(viewer.role),
    team: finding.teamId !== null,
    repository: finding.imageId !== null,
    cluster: finding.cluster !== null,
    namespace: finding.namespace !== null || namespaces.length > 0,
  };
  const scopes: RuleScope[] = SCOPES_BY_KIND[finding.kind].filter((s) => hasPlace[s]);
  return {
    editable,
    mayRequest: editable && can(viewer.role, "exceptions:request"),
    people,
    exceptions,
    namespaces: namespaces.map((n) => ({ id: n.id, name: `${n.cluster.name} / ${n.name}` })),
    scopes,
    maxExceptionDays: settings.maxExceptionDays,
  };
}

/** Who can work on a team's findings: its engineers and leads, and the security leads and admins. */
export async function assignablePeople(teamId: string | null): Promise<{ id: string; name: string }[]> {
  const users = await db.user.findMany({
    where: {
      disabledAt: null,
      OR: [{ role: { in: ["security_lead", "admin"] } }, ...(teamId ? [{ role: "engineer" as const, memberships: { some: { teamId } } }] : [])],
    },
    orderBy: [{ name: "asc" }, { email: "asc" }],
    select: { id: true, name: true, email: true },
    take: 500,
  });
  return users.map((u) => ({ id: u.id, name: u.name || u.email }));
}
