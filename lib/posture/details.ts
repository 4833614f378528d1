// One image or finding, as the viewer may see it. Anything outside the viewer's
// teams is NotVisible, exactly like something that does not exist (pages answer 404 for both).
import { NotVisible } from "@/lib/authz/actor";
import { teamFilter, type Scope } from "@/lib/authz/policy";
import { db } from "@/lib/db";
import { checkId } from "@/lib/posture/ids";
import type { Severity } from "@/lib/findings/model";
import { compareVersions } from "@/lib/findings/version-range";
import { NO_POSTURE, posturesOf } from "@/lib/posture/read-model";

const OPEN = { status: { in: ["open" as const, "in_progress" as const] } };

const findingRow = { id: true, title: true, ruleId: true, severity: true, status: true, kind: true, packageName: true, installedVersion: true, fixedVersion: true, lastSeenAt: true } as const;

/** Trivy lists several fixed versions ("1.2.3, 1.3.1"); the upgrade that closes every finding is the highest. */
function highestFix(versions: string[]): string | null {
  const all = versions.flatMap((v) => v.split(/,\s*/)).filter(Boolean);
  return all.length ? all.reduce((a, b) => (compareVersions(a, b) >= 0 ? a : b)) : null;
}

export interface PackageFix {
  packageName: string;
  installedVersion: string | null;
  /** the highest fixed version any of its findings names: upgrading to it closes them all */
  fixedVersion: string | null;
  findings: number;
  worst: Severity;
}

/**
 * One image: its posture (from the read model), where it runs, what each scan did, its findings
 * grouped by package with the upgrade that closes them, misconfigurations and secrets apart,
 * and its package inventory (searchable).
 */
export async function imageDetail(scope: Scope, id: string, options: { packageSearch?: string } = {}) {
  checkId(id, "Image");
  const image = await db.image.findFirst({
    where: { id, ...teamFilter(scope) },
    select: {
      id: true, digest: true, tags: true, osName: true, osFamily: true, osEndOfLife: true, builtAt: true, firstSeenAt: true, lastScannedAt: true, retiredAt: true,
      repository: { select: { name: true } },
      team: { select: { id: true, name: true } },
      workloads: { select: { lastSeenAt: true, workload: { select: { kind: true, name: true, namespace: { select: { name: true, cluster: { select: { id: true, name: true } } } } } } } },
      _count: { select: { packages: true } },
    },
  });
  if (!image) throw new NotVisible("Image");
  const search = options.packageSearch?.trim().slice(0, 100);
  const [postures, unique, byPackage, others, history, packages] = await Promise.all([
    posturesOf(scope, "image", [id]),
    db.$queryRaw<{ n: number }[]>`SELECT count(DISTINCT "vulnerabilityId")::int AS n FROM "Finding" WHERE "imageId" = ${id} AND status IN ('open', 'in_progress') AND "vulnerabilityId" IS NOT NULL`,
    db.$queryRaw<(Omit<PackageFix, "fixedVersion"> & { fixedVersions: string[] })[]>`
      SELECT "packageName", min("installedVersion") AS "installedVersion", array_remove(array_agg(DISTINCT "fixedVersion"), NULL) AS "fixedVersions",
        count(*)::int AS findings, min(severity) AS worst
      FROM "Finding" WHERE "imageId" = ${id} AND kind = 'vulnerability' AND status IN ('open', 'in_progress') AND "packageName" IS NOT NULL
      GROUP BY "packageName" ORDER BY min(severity), count(*) DESC LIMIT 200`,
    db.finding.findMany({ where: { imageId: id, kind: { in: ["misconfiguration", "secret"] }, ...OPEN }, orderBy: [{ severity: "asc" }, { ruleId: "asc" }], take: 200, select: { ...findingRow, location: true, startLine: true } }),
    db.scanTarget.findMany({
      where: { imageId: id },
      orderBy: { scan: { receivedAt: "desc" } },
      take: 20,
      select: { total: true, new: true, reopened: true, fixed: true, scan: { select: { id: true, tool: true, toolVersion: true, receivedAt: true, targetKind: true, cluster: { select: { name: true } } } } },
    }),
    db.imagePackage.findMany({
      where: { imageId: id, ...(search ? { name: { contains: search, mode: "insensitive" as const } } : {}) },
      orderBy: [{ name: "asc" }, { version: "asc" }],
      take: 200,
      select: { name: true, version: true, type: true, path: true },
    }),
  ]);
  return {
    ...image,
    posture: postures.get(id) ?? NO_POSTURE,
    uniqueVulnerabilities: unique[0]?.n ?? 0,
    byPackage: byPackage.map(({ fixedVersions, ...p }) => ({ ...p, fixedVersion: highestFix(fixedVersions) })),
    misconfigurations: others.filter((f) => f.kind === "misconfiguration"),
    secrets: others.filter((f) => f.kind === "secret"),
    history,
    packages,
    packageCount: image._count.packages,
  };
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
