// One image, cluster, team or finding, as the viewer may see it. Anything outside the viewer's
// teams is NotVisible, exactly like something that does not exist (pages answer 404 for both).
import { NotVisible } from "@/lib/authz/actor";
import { clusterFilter, teamFilter, teamRowFilter, type Scope } from "@/lib/authz/policy";
import { db } from "@/lib/db";
import { checkId } from "@/lib/posture/ids";
import { SEVERITIES, type Severity } from "@/lib/findings/model";

const OPEN = { status: { in: ["open" as const, "in_progress" as const] } };

async function severityCounts(where: object): Promise<Record<Severity, number>> {
  const groups = await db.finding.groupBy({ by: ["severity"], where: { ...where, ...OPEN }, _count: { _all: true } });
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const g of groups) counts[g.severity] = g._count._all;
  return counts;
}

const findingRow = { id: true, title: true, ruleId: true, severity: true, status: true, kind: true, packageName: true, installedVersion: true, fixedVersion: true, lastSeenAt: true } as const;

export async function imageDetail(scope: Scope, id: string) {
  checkId(id, "Image");
  const image = await db.image.findFirst({
    where: { id, ...teamFilter(scope) },
    select: {
      id: true, digest: true, tags: true, osName: true, osFamily: true, firstSeenAt: true, lastScannedAt: true,
      repository: { select: { name: true } },
      team: { select: { id: true, name: true } },
      workloads: { select: { workload: { select: { kind: true, name: true, namespace: { select: { name: true, cluster: { select: { id: true, name: true } } } } } } } },
      scans: { orderBy: { receivedAt: "desc" }, take: 10, select: { id: true, tool: true, toolVersion: true, receivedAt: true, totalCount: true, newCount: true, fixedCount: true } },
    },
  });
  if (!image) throw new NotVisible("Image");
  const [severity, fixable, findings] = await Promise.all([
    severityCounts({ imageId: id }),
    db.finding.count({ where: { imageId: id, fixable: true, ...OPEN } }),
    db.finding.findMany({ where: { imageId: id, ...OPEN }, orderBy: [{ severity: "asc" }, { lastSeenAt: "desc" }], take: 50, select: findingRow }),
  ]);
  return { ...image, severity, fixable, findings };
}

export async function findingDetail(scope: Scope, id: string) {
  checkId(id, "Finding");
  const finding = await db.finding.findFirst({
    where: { id, ...teamFilter(scope) },
    select: {
      ...findingRow, location: true, startLine: true, firstSeenAt: true, fixedAt: true, dueAt: true, reportedBy: true,
      image: { select: { id: true, repository: { select: { name: true } }, tags: true } },
      cluster: { select: { id: true, name: true } },
      namespace: { select: { name: true } },
      workload: { select: { kind: true, name: true } },
      team: { select: { id: true, name: true } },
      vulnerability: { select: { description: true, references: true, cvssScore: true } },
    },
  });
  if (!finding) throw new NotVisible("Finding");
  return finding;
}
