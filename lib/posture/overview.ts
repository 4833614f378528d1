// Headline numbers for the overview, scoped to what the viewer may see.
import { db } from "@/lib/db";
import { teamFilter, type Scope } from "@/lib/authz/policy";
import { SEVERITIES, type Severity } from "@/lib/findings/model";

export interface Overview {
  openBySeverity: Record<Severity, number>;
  fixableOpen: number;
  images: number;
  scansLast7Days: number;
  recentScans: { id: string; targetName: string; tool: string; receivedAt: Date; newCount: number; fixedCount: number }[];
}

export async function loadOverview(scope: Scope, now = new Date()): Promise<Overview> {
  const team = teamFilter(scope);
  const open = { ...team, status: { in: ["open", "in_progress"] as ("open" | "in_progress")[] } };
  const weekAgo = new Date(now.getTime() - 7 * 24 * 3600 * 1000);
  const [grouped, fixableOpen, images, scansLast7Days, recentScans] = await Promise.all([
    db.finding.groupBy({ by: ["severity"], where: open, _count: { _all: true } }),
    db.finding.count({ where: { ...open, fixable: true } }),
    db.image.count({ where: team }),
    db.scan.count({ where: { ...team, receivedAt: { gte: weekAgo } } }),
    db.scan.findMany({
      where: team,
      orderBy: { receivedAt: "desc" },
      take: 8,
      select: { id: true, targetName: true, tool: true, receivedAt: true, newCount: true, fixedCount: true },
    }),
  ]);
  const openBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const g of grouped) openBySeverity[g.severity] = g._count._all;
  return { openBySeverity, fixableOpen, images, scansLast7Days, recentScans };
}
