// The overview: the scope's score and counts, the worst images, teams and clusters, runtime
// alerts, stale targets and the practices panel. Counts come from the posture read model; the
// rest are index-bounded reads (recent events, newest scan per cluster and tool).
import { db } from "@/lib/db";
import { clusterFilter, teamRowFilter, type Scope } from "@/lib/authz/policy";
import { env } from "@/lib/env";
import { listImages, type ImageRow } from "@/lib/images/list-images";
import { countRows, foldPosture, inScope, NO_POSTURE, posturesByKey, posturesOf, uniqueVulnerabilities, type Posture, type SeverityCounts } from "@/lib/posture/read-model";

/** Trivy's checks that say a workload runs as root or privileged (or can become so). */
export const ROOT_OR_PRIVILEGED_CHECKS = ["KSV-0001", "KSV-0012", "KSV-0017", "KSV-0105"];

const DAY = 24 * 3600 * 1000;

export interface Ranked {
  id: string;
  name: string;
  posture: Posture;
}

export interface ClusterSources {
  id: string;
  name: string;
  lastTrivy: Date | null;
  lastKubeBench: Date | null;
  lastFalco: Date | null;
}

export interface Overview {
  posture: Posture;
  uniqueVulnerabilities: SeverityCounts;
  worstImages: ImageRow[];
  worstTeams: Ranked[];
  worstClusters: Ranked[];
  runtimeAlerts24h: { clusterId: string; name: string; alerts: number }[];
  staleImages: number;
  staleClusters: ClusterSources[];
  practices: {
    endOfLifeImages: number;
    rootOrPrivilegedWorkloads: number;
    imagesWithSecrets: number;
    failingCisByCluster: { clusterId: string; name: string; failing: number }[];
    runtimeAlerts24h: number;
    imagesNotScanned7Days: number;
  };
}

function worst(postures: Map<string, Posture>, names: { id: string; name: string }[], limit = 5): Ranked[] {
  return names
    .map((n) => ({ ...n, posture: postures.get(n.id) ?? NO_POSTURE }))
    .sort((a, b) => a.posture.score.value - b.posture.score.value || b.posture.findings.critical - a.posture.findings.critical || a.name.localeCompare(b.name))
    .slice(0, limit);
}

export async function loadOverview(scope: Scope, now = new Date()): Promise<Overview> {
  const staleBefore = new Date(now.getTime() - env().posture.staleAfterDays * DAY);
  const [teamRows, unique, worstImages, clusterPostures, teams, clusters] = await Promise.all([
    // By team, once: the organisation's (or the viewer's teams') posture is all of these rows.
    countRows(scope, "team"),
    uniqueVulnerabilities(scope),
    listImages(scope, { page: 1, sort: "score", state: "active" }, now).then((r) => r.rows.slice(0, 10)),
    posturesOf(scope, "cluster"),
    db.team.findMany({ where: teamRowFilter(scope), select: { id: true, name: true } }),
    db.cluster.findMany({ where: clusterFilter(scope), select: { id: true, name: true } }),
  ]);
  const posture = foldPosture(teamRows);
  const teamPostures = posturesByKey(teamRows);
  const clusterIds = clusters.map((c) => c.id);
  const names = new Map(clusters.map((c) => [c.id, c.name]));
  const [alerts, sources, practices] = await Promise.all([
    runtimeAlerts(scope, clusterIds, now),
    lastReports(clusterIds),
    practiceCounts(scope, clusterIds, staleBefore),
  ]);
  const runtimeAlerts24h = alerts
    .filter((a) => a.day > 0)
    .map((a) => ({ clusterId: a.clusterId, alerts: a.day, name: names.get(a.clusterId) ?? a.clusterId }))
    .sort((a, b) => b.alerts - a.alerts);
  const staleClusters = sources
    .map((s) => ({ ...s, name: names.get(s.id) ?? s.id }))
    .filter((s) => !s.lastTrivy || s.lastTrivy < staleBefore || !s.lastKubeBench || s.lastKubeBench < staleBefore);
  return {
    posture,
    uniqueVulnerabilities: unique,
    worstImages: worstImages.filter((i) => i.score < 100),
    worstTeams: worst(teamPostures, teams),
    worstClusters: worst(clusterPostures, clusters),
    runtimeAlerts24h,
    staleImages: practices.staleRunningImages,
    staleClusters,
    practices: {
      endOfLifeImages: practices.endOfLifeImages,
      rootOrPrivilegedWorkloads: practices.rootOrPrivilegedWorkloads,
      imagesWithSecrets: practices.imagesWithSecrets,
      failingCisByCluster: clusters
        .map((c) => ({ clusterId: c.id, name: c.name, failing: clusterPostures.get(c.id)?.byKind.compliance ?? 0 }))
        .filter((c) => c.failing > 0)
        .sort((a, b) => b.failing - a.failing),
      runtimeAlerts24h: runtimeAlerts24h.reduce((sum, a) => sum + a.alerts, 0),
      imagesNotScanned7Days: practices.imagesNotScanned,
    },
  };
}

/** Runtime alerts (Falco events) per cluster in the last 24 h and 7 days; a scoped viewer counts those of their teams' findings. */
export async function runtimeAlerts(scope: Scope, clusterIds: string[], now: Date): Promise<{ clusterId: string; day: number; week: number }[]> {
  if (clusterIds.length === 0) return [];
  return db.$queryRaw<{ clusterId: string; day: number; week: number }[]>`
    SELECT e."clusterId", count(*) FILTER (WHERE e."occurredAt" >= ${new Date(now.getTime() - DAY)})::int AS day, count(*)::int AS week
    FROM "RuntimeEvent" e LEFT JOIN "Finding" f ON f.id = e."findingId"
    WHERE e."clusterId" = ANY(${clusterIds}::text[]) AND e."occurredAt" >= ${new Date(now.getTime() - 7 * DAY)} AND ${inScope(scope, "f")}
    GROUP BY 1`;
}

/** The newest report of each source per cluster: one index probe per cluster and source. */
export async function lastReports(clusterIds: string[]): Promise<Omit<ClusterSources, "name">[]> {
  if (clusterIds.length === 0) return [];
  return db.$queryRaw<Omit<ClusterSources, "name">[]>`
    SELECT c.id,
      (SELECT max(s."receivedAt") FROM "Scan" s WHERE s."clusterId" = c.id AND s.tool = 'trivy') AS "lastTrivy",
      (SELECT max(s."receivedAt") FROM "Scan" s WHERE s."clusterId" = c.id AND s.tool = 'kube-bench') AS "lastKubeBench",
      (SELECT max(e."occurredAt") FROM "RuntimeEvent" e WHERE e."clusterId" = c.id) AS "lastFalco"
    FROM unnest(${clusterIds}::text[]) AS c(id)`;
}

async function practiceCounts(scope: Scope, clusterIds: string[], staleBefore: Date) {
  const [row] = await db.$queryRaw<
    { endOfLifeImages: number; imagesNotScanned: number; staleRunningImages: number; imagesWithSecrets: number; rootOrPrivilegedWorkloads: number }[]
  >`
    SELECT
      (SELECT count(*) FROM "Image" i WHERE i."retiredAt" IS NULL AND i."osEndOfLife" AND ${inScope(scope, "i")})::int AS "endOfLifeImages",
      (SELECT count(*) FROM "Image" i WHERE i."retiredAt" IS NULL AND COALESCE(i."lastScannedAt", i."firstSeenAt") < ${staleBefore} AND ${inScope(scope, "i")})::int AS "imagesNotScanned",
      (SELECT count(*) FROM "Image" i WHERE i."retiredAt" IS NULL AND COALESCE(i."lastScannedAt", i."firstSeenAt") < ${staleBefore} AND ${inScope(scope, "i")}
         AND EXISTS (SELECT 1 FROM "WorkloadImage" wi WHERE wi."imageId" = i.id))::int AS "staleRunningImages",
      (SELECT count(DISTINCT c."imageId") FROM "OpenFindingCount" c JOIN "Image" i ON i.id = c."imageId"
         WHERE c.kind = 'secret' AND c.open > 0 AND i."retiredAt" IS NULL AND ${inScope(scope, "c")})::int AS "imagesWithSecrets",
      (SELECT count(DISTINCT f."workloadId") FROM "Finding" f
         WHERE f."ruleId" = ANY(${ROOT_OR_PRIVILEGED_CHECKS}::text[]) AND f.status IN ('open', 'in_progress') AND f."workloadId" IS NOT NULL
           AND f."clusterId" = ANY(${clusterIds}::text[]) AND ${inScope(scope, "f")})::int AS "rootOrPrivilegedWorkloads"`;
  return row;
}
