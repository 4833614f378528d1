// Package search: which images contain a package (from their inventory and their findings), in a
// version range when one is given, where they run, and who owns them.
import { db } from "@/lib/db";
import type { Scope } from "@/lib/authz/policy";
import { inScope } from "@/lib/posture/read-model";
import { versionMatches, type PackageQuery } from "@/lib/findings/version-range";

export interface PackageHit {
  imageId: string;
  image: string;
  versions: string[];
  team: string | null;
  teamId: string | null;
  openFindings: number;
  runsIn: { clusterId: string; cluster: string; namespace: string; workload: string }[];
  retired: boolean;
}

const LIMIT = 500;

export async function searchPackage(scope: Scope, query: PackageQuery): Promise<{ hits: PackageHit[]; truncated: boolean }> {
  const found = await db.$queryRaw<{ imageId: string; version: string; open: number }[]>`
    SELECT p."imageId", p.version, 0 AS open FROM "ImagePackage" p JOIN "Image" i ON i.id = p."imageId"
    WHERE p.name = ${query.name} AND ${inScope(scope, "i")}
    UNION ALL
    SELECT f."imageId", f."installedVersion", count(*) FILTER (WHERE f.status IN ('open', 'in_progress'))::int FROM "Finding" f
    WHERE f."packageName" = ${query.name} AND f."imageId" IS NOT NULL AND f."installedVersion" IS NOT NULL AND ${inScope(scope, "f")}
    GROUP BY 1, 2
    LIMIT 20000`;
  const byImage = new Map<string, { versions: Set<string>; open: number }>();
  for (const row of found) {
    if (!versionMatches(row.version, query)) continue;
    const entry = byImage.get(row.imageId) ?? { versions: new Set<string>(), open: 0 };
    entry.versions.add(row.version);
    entry.open += row.open;
    byImage.set(row.imageId, entry);
  }
  const ids = [...byImage.keys()].slice(0, LIMIT);
  if (ids.length === 0) return { hits: [], truncated: false };
  const images = await db.image.findMany({
    where: { id: { in: ids } },
    select: {
      id: true, tags: true, retiredAt: true, teamId: true, team: { select: { name: true } }, repository: { select: { name: true } },
      workloads: { take: 50, select: { workload: { select: { kind: true, name: true, namespace: { select: { name: true, cluster: { select: { id: true, name: true } } } } } } } },
    },
  });
  const hits = images.map((i) => ({
    imageId: i.id,
    image: `${i.repository.name}${i.tags[0] ? `:${i.tags[0]}` : ""}`,
    versions: [...byImage.get(i.id)!.versions].sort(),
    team: i.team?.name ?? null,
    teamId: i.teamId,
    openFindings: byImage.get(i.id)!.open,
    retired: i.retiredAt !== null,
    runsIn: i.workloads.map(({ workload: w }) => ({ clusterId: w.namespace.cluster.id, cluster: w.namespace.cluster.name, namespace: w.namespace.name, workload: `${w.kind}/${w.name}` })),
  }));
  hits.sort((a, b) => b.openFindings - a.openFindings || a.image.localeCompare(b.image));
  return { hits, truncated: byImage.size > LIMIT };
}
