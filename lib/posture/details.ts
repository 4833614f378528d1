// One image or finding, as the viewer may see it. Anything outside the viewer's
// teams is NotVisible, exactly like something that does not exist (pages answer 404 for both).
import { NotVisible } from "@/lib/authz/actor";
import { teamFilter, type Scope } from "@/lib/authz/policy";
import { db } from "@/lib/db";
import { checkId } from "@/lib/posture/ids";
import type { Severity } from "@/lib/findings/model";
import { compareVersions } from "@/lib/findings/version-range";
import { inScope, NO_POSTURE, posturesOf } from "@/lib/posture/read-model";

const OPEN = { status: { in: ["open" as const, "in_progress" as const] } };

const findingRow = { id: true, title: true, ruleId: true, severity: true, status: true, kind: true, packageName: true, installedVersion: true, fixedVersion: true } as const;

/** Trivy lists several fixed versions ("1.2.3, 1.3.1"); the upgrade that closes every finding is the highest. */
function highestFix(versions: string[]): string | null {
  const all = versions.flatMap((v) => v.split(/,\s*/)).filter(Boolean);
  return all.length ? all.reduce((a, b) => (compareVersions(a, b) >= 0 ? a : b)) : null;
}

interface ImageRow {
  id: string;
  digest: string | null;
  tags: string[];
  osName: string | null;
  osFamily: string | null;
  osEndOfLife: boolean;
  builtAt: Date | null;
  firstSeenAt: Date;
  lastScannedAt: Date | null;
  retiredAt: Date | null;
  repository: string;
  teamId: string | null;
  team: string | null;
  packageCount: number;
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
  // One query for the image, its repository, team and inventory size (the visibility check too).
  const [row] = await db.$queryRaw<ImageRow[]>`
    SELECT i.id, i.digest, i.tags, i."osName", i."osFamily", i."osEndOfLife", i."builtAt", i."firstSeenAt", i."lastScannedAt", i."retiredAt",
      r.name AS repository, t.id AS "teamId", t.name AS team,
      (SELECT count(*)::int FROM "ImagePackage" p WHERE p."imageId" = i.id) AS "packageCount"
    FROM "Image" i JOIN "ImageRepository" r ON r.id = i."repositoryId" LEFT JOIN "Team" t ON t.id = i."teamId"
    WHERE i.id = ${id} AND ${inScope(scope, "i")}`;
  if (!row) throw new NotVisible("Image");
  const { repository, teamId, team, ...image } = row;
  const search = options.packageSearch?.trim().slice(0, 100);
  const [workloads, postures, unique, byPackage, others, history, packages] = await Promise.all([
    db.$queryRaw<{ lastSeenAt: Date; kind: string; name: string; namespace: string; clusterId: string; cluster: string }[]>`
      SELECT wi."lastSeenAt", w.kind, w.name, n.name AS namespace, c.id AS "clusterId", c.name AS cluster
      FROM "WorkloadImage" wi JOIN "Workload" w ON w.id = wi."workloadId" JOIN "Namespace" n ON n.id = w."namespaceId" JOIN "Cluster" c ON c.id = n."clusterId"
      WHERE wi."imageId" = ${id} ORDER BY c.name, n.name, w.kind, w.name LIMIT 500`,
    posturesOf(scope, "image", [id]),
    db.$queryRaw<{ n: number }[]>`SELECT count(DISTINCT "vulnerabilityId")::int AS n FROM "Finding" WHERE "imageId" = ${id} AND status IN ('open', 'in_progress') AND "vulnerabilityId" IS NOT NULL`,
    db.$queryRaw<(Omit<PackageFix, "fixedVersion"> & { fixedVersions: string[]; packages: number })[]>`
      SELECT "packageName", min("installedVersion") AS "installedVersion", array_remove(array_agg(DISTINCT "fixedVersion"), NULL) AS "fixedVersions",
        count(*)::int AS findings, min(severity) AS worst, (count(*) OVER ())::int AS packages
      FROM "Finding" WHERE "imageId" = ${id} AND kind = 'vulnerability' AND status IN ('open', 'in_progress') AND "packageName" IS NOT NULL
      GROUP BY "packageName" ORDER BY min(severity), count(*) DESC LIMIT 200`,
    db.finding.findMany({ where: { imageId: id, kind: { in: ["misconfiguration", "secret"] }, ...OPEN }, orderBy: [{ severity: "asc" }, { ruleId: "asc" }], take: 200, select: { ...findingRow, location: true, startLine: true } }),
    db.scanTarget.findMany({
      where: { imageId: id },
      orderBy: { scan: { receivedAt: "desc" } },
      take: 20,
      select: { total: true, new: true, reopened: true, fixed: true, scan: { select: { id: true, tool: true, toolVersion: true, receivedAt: true, targetKind: true, skipped: true, cluster: { select: { name: true } } } } },
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
    repository: { name: repository },
    team: teamId ? { id: teamId, name: team ?? "" } : null,
    workloads: workloads.map((w) => ({ lastSeenAt: w.lastSeenAt, workload: { kind: w.kind, name: w.name, namespace: { name: w.namespace, cluster: { id: w.clusterId, name: w.cluster } } } })),
    posture: postures.get(id) ?? NO_POSTURE,
    uniqueVulnerabilities: unique[0]?.n ?? 0,
    byPackage: byPackage.map((p): PackageFix => ({ packageName: p.packageName, installedVersion: p.installedVersion, findings: p.findings, worst: p.worst, fixedVersion: highestFix(p.fixedVersions) })),
    /** Packages with open vulnerabilities, of which byPackage holds the worst 200. */
    vulnerablePackages: byPackage[0]?.packages ?? 0,
    misconfigurations: others.filter((f) => f.kind === "misconfiguration"),
    secrets: others.filter((f) => f.kind === "secret"),
    history,
    packages,
  };
}

/** How many of the workloads that run a finding's image its page names. */
export const RUNS_SHOWN = 5;

export async function findingDetail(scope: Scope, id: string) {
  checkId(id, "Finding");
  const finding = await db.finding.findFirst({
    where: { id, ...teamFilter(scope) },
    select: {
      ...findingRow, location: true, startLine: true, firstSeenAt: true, lastSeenAt: true, sighting: { select: { lastSeenAt: true } }, fixedAt: true, dueAt: true, reportedBy: true, vulnerabilityId: true, fixable: true, cvssScore: true, details: true,
      teamId: true, imageId: true, justification: true, fixAvailableAt: true, statusChangedAt: true,
      assignee: { select: { id: true, name: true, email: true } },
      image: {
        select: {
          id: true, repository: { select: { name: true } }, tags: true, digest: true,
          // Where the image runs, for an image's finding: the latest few, and how many in all.
          workloads: { select: { workload: { select: { kind: true, name: true, namespace: { select: { name: true, cluster: { select: { name: true } } } } } } }, orderBy: { lastSeenAt: "desc" }, take: RUNS_SHOWN },
          _count: { select: { workloads: true } },
        },
      },
      cluster: { select: { id: true, name: true } },
      namespace: { select: { name: true } },
      workload: { select: { kind: true, name: true } },
      team: { select: { id: true, name: true } },
      vulnerability: { select: { description: true, references: true, cvssScore: true } },
    },
  });
  if (!finding) throw new NotVisible("Finding");
  const { sighting, ...rest } = finding;
  // A rescan records its sighting apart from the finding (lib/findings/merge.ts).
  return { ...rest, lastSeenAt: sighting && sighting.lastSeenAt > finding.lastSeenAt ? sighting.lastSeenAt : finding.lastSeenAt };
}
