// The exceptions a person may see, by tab: leads see every request (pending, active, expiring
// within 14 days, history); everyone else sees their own requests.
import { db, Prisma } from "@/lib/db";
import type { Viewer } from "@/lib/auth/viewer";
import { can } from "@/lib/authz/policy";

export const EXCEPTION_TABS = ["pending", "active", "expiring", "history", "mine"] as const;
export type ExceptionTab = (typeof EXCEPTION_TABS)[number];
export const EXPIRING_DAYS = 14;

export function tabsFor(viewer: Viewer): ExceptionTab[] {
  return can(viewer.role, "exceptions:decide") ? [...EXCEPTION_TABS] : ["mine"];
}

const select = {
  id: true, status: true, reason: true, expiresAt: true, untilFixAvailable: true, createdAt: true, decidedAt: true, decisionNote: true, endedAt: true, endReason: true,
  kind: true, ruleId: true, packageName: true,
  finding: { select: { id: true, ruleId: true, title: true, targetKey: true, image: { select: { tags: true, repository: { select: { name: true } } } }, cluster: { select: { name: true } } } },
  repository: { select: { name: true } }, namespace: { select: { name: true, cluster: { select: { name: true } } } }, team: { select: { name: true } },
  cluster: { select: { name: true } }, workload: { select: { kind: true, name: true } },
  requestedBy: { select: { id: true, name: true, email: true } }, decidedBy: { select: { name: true, email: true } },
  _count: { select: { covers: true } },
} satisfies Prisma.RiskExceptionSelect;

export type ExceptionRow = Prisma.RiskExceptionGetPayload<{ select: typeof select }>;

export async function listExceptions(viewer: Viewer, tab: ExceptionTab, now = new Date()): Promise<ExceptionRow[]> {
  const soon = new Date(now.getTime() + EXPIRING_DAYS * 86_400_000);
  const where: Record<ExceptionTab, Prisma.RiskExceptionWhereInput> = {
    pending: { status: "pending" },
    active: { status: "approved" },
    expiring: { status: "approved", expiresAt: { lte: soon } },
    history: { status: { in: ["rejected", "expired", "revoked"] } },
    mine: { requestedById: viewer.userId },
  };
  if (!tabsFor(viewer).includes(tab)) tab = "mine";
  return db.riskException.findMany({ where: where[tab], select, orderBy: tab === "expiring" ? { expiresAt: "asc" } : { createdAt: "desc" }, take: 200 });
}

/** "CVE-2023-1234 in openssl across repository registry/x" — what an exception covers, in words. */
export function describeCoverage(e: ExceptionRow): string {
  if (e.finding) {
    const { image, cluster, targetKey } = e.finding;
    const target = image ? `${image.repository.name}${image.tags[0] ? `:${image.tags[0]}` : ""}` : (cluster?.name ?? targetKey.replace(/^artifact:/, ""));
    return `${e.finding.ruleId} on ${target}`;
  }
  const what = `${e.ruleId}${e.packageName ? ` in ${e.packageName}` : ""}`;
  const where = e.repository ? `repository ${e.repository.name}`
    : e.namespace ? `namespace ${e.namespace.cluster.name} / ${e.namespace.name}`
    : e.team ? `team ${e.team.name}`
    : e.cluster ? `cluster ${e.cluster.name}`
    : e.workload ? `${e.workload.kind} ${e.workload.name}`
    : "everywhere";
  return `${what} across ${where}`;
}

/** The exceptions asked for a finding, or covering it now. */
export function exceptionsOfFinding(findingId: string): Promise<ExceptionRow[]> {
  return db.riskException.findMany({ where: { OR: [{ findingId }, { covers: { some: { id: findingId } } }] }, select, orderBy: { createdAt: "desc" } });
}
