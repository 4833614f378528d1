// Clusters as the viewer may see them: the list (posture, size, runtime alerts, last report of
// each source) and one cluster's namespaces → workloads → images, misconfigurations, CIS results
// and runtime alerts. Counts come from the read model; detail reads are bounded by one cluster.
import { NotVisible } from "@/lib/authz/actor";
import { clusterFilter, type Scope } from "@/lib/authz/policy";
import { db, Prisma } from "@/lib/db";
import type { Severity } from "@/lib/findings/model";
import { prioritiesAtLeast } from "@/lib/ingest/falco/parse-events";
import { lastReports, runtimeAlerts, type ClusterSources } from "@/lib/posture/overview";
import { inScope, NO_POSTURE, posturesOf, type Posture } from "@/lib/posture/read-model";
import { checkId } from "@/lib/posture/ids";

const DAY = 24 * 3600 * 1000;

export interface ClusterSummary extends ClusterSources {
  team: { id: string; name: string } | null;
  posture: Posture;
  namespaces: number;
  workloads: number;
  images: number;
  alerts24h: number;
  alerts7d: number;
}

async function sizes(clusterIds: string[], scope: Scope) {
  if (clusterIds.length === 0) return new Map<string, { namespaces: number; workloads: number; images: number }>();
  const rows = await db.$queryRaw<{ id: string; namespaces: number; workloads: number; images: number }[]>`
    SELECT n."clusterId" AS id, count(DISTINCT n.id)::int AS namespaces, count(DISTINCT w.id)::int AS workloads, count(DISTINCT wi."imageId")::int AS images
    FROM "Namespace" n LEFT JOIN "Workload" w ON w."namespaceId" = n.id LEFT JOIN "WorkloadImage" wi ON wi."workloadId" = w.id
    WHERE n."clusterId" = ANY(${clusterIds}::text[]) AND ${inScope(scope, "n")}
    GROUP BY 1`;
  return new Map(rows.map((r) => [r.id, r]));
}

export async function listClusters(scope: Scope, now = new Date(), only?: string[]): Promise<ClusterSummary[]> {
  const clusters = await db.cluster.findMany({ where: { ...clusterFilter(scope), ...(only ? { id: { in: only } } : {}) }, orderBy: { name: "asc" }, select: { id: true, name: true, team: { select: { id: true, name: true } } }, take: 1000 });
  const ids = clusters.map((c) => c.id);
  const [postures, size, alerts, sources] = await Promise.all([posturesOf(scope, "cluster", ids), sizes(ids, scope), runtimeAlerts(scope, ids, now), lastReports(ids)]);
  const alertsOf = (id: string) => alerts.find((a) => a.clusterId === id) ?? { day: 0, week: 0 };
  return clusters.map((c) => ({
    ...c,
    ...(sources.find((s) => s.id === c.id) ?? { lastTrivy: null, lastKubeBench: null, lastFalco: null }),
    posture: postures.get(c.id) ?? NO_POSTURE,
    namespaces: size.get(c.id)?.namespaces ?? 0,
    workloads: size.get(c.id)?.workloads ?? 0,
    images: size.get(c.id)?.images ?? 0,
    alerts24h: alertsOf(c.id).day,
    alerts7d: alertsOf(c.id).week,
  }));
}

export interface RunningImage {
  imageId: string;
  repository: string;
  tag: string | null;
  teamId: string | null;
  team: string | null;
  posture: Posture;
}

export interface WorkloadView {
  id: string;
  kind: string;
  name: string;
  images: RunningImage[];
}

export interface NamespaceView {
  id: string;
  name: string;
  team: { id: string; name: string } | null;
  workloads: WorkloadView[];
}

export interface RuntimeFilter {
  priority?: string;
  namespace?: string;
}

export async function clusterDetail(scope: Scope, id: string, runtime: RuntimeFilter = {}, now = new Date()) {
  checkId(id, "Cluster");
  // The list's row of this one cluster is also the visibility check (the same filter).
  const [summary] = await listClusters(scope, now, [id]);
  if (!summary) throw new NotVisible("Cluster");
  const [placed, misconfigurations, cis, alerts] = await Promise.all([
    placedImages(scope, id),
    misconfigurationGroups(scope, id),
    cisResults(scope, id),
    runtimeTimeline(scope, id, runtime, new Date(now.getTime() - 7 * DAY)),
  ]);
  const imagePostures = await posturesOf(scope, "image", [...new Set(placed.flatMap((p) => (p.imageId ? [p.imageId] : [])))]);
  return { id: summary.id, name: summary.name, team: summary.team, summary, namespaces: namespaceTree(placed, imagePostures), misconfigurations, cis, alerts };
}

interface PlacedRow {
  namespaceId: string;
  namespace: string;
  namespaceTeamId: string | null;
  namespaceTeam: string | null;
  workloadId: string | null;
  kind: string | null;
  workload: string | null;
  imageId: string | null;
  repository: string | null;
  tag: string | null;
  imageTeamId: string | null;
  imageTeam: string | null;
}

/** Namespaces → workloads → images of one cluster in one query (the viewer's namespaces only). */
async function placedImages(scope: Scope, clusterId: string): Promise<PlacedRow[]> {
  return db.$queryRaw<PlacedRow[]>`
    SELECT n.id AS "namespaceId", n.name AS namespace, n."teamId" AS "namespaceTeamId", nt.name AS "namespaceTeam",
      w.id AS "workloadId", w.kind, w.name AS workload, i.id AS "imageId", r.name AS repository, i.tags[1] AS tag,
      i."teamId" AS "imageTeamId", it.name AS "imageTeam"
    FROM "Namespace" n
    LEFT JOIN "Team" nt ON nt.id = n."teamId"
    LEFT JOIN "Workload" w ON w."namespaceId" = n.id
    LEFT JOIN "WorkloadImage" wi ON wi."workloadId" = w.id
    LEFT JOIN "Image" i ON i.id = wi."imageId"
    LEFT JOIN "ImageRepository" r ON r.id = i."repositoryId"
    LEFT JOIN "Team" it ON it.id = i."teamId"
    WHERE n."clusterId" = ${clusterId} AND ${inScope(scope, "n")}
    ORDER BY n.name, w.kind, w.name, r.name
    LIMIT 5000`;
}

function namespaceTree(rows: PlacedRow[], postures: Map<string, Posture>): NamespaceView[] {
  const namespaces = new Map<string, NamespaceView>();
  for (const row of rows) {
    let ns = namespaces.get(row.namespaceId);
    if (!ns) {
      ns = { id: row.namespaceId, name: row.namespace, team: row.namespaceTeamId ? { id: row.namespaceTeamId, name: row.namespaceTeam ?? "" } : null, workloads: [] };
      namespaces.set(row.namespaceId, ns);
    }
    if (!row.workloadId) continue;
    let workload = ns.workloads.find((w) => w.id === row.workloadId);
    if (!workload) {
      workload = { id: row.workloadId, kind: row.kind ?? "", name: row.workload ?? "", images: [] };
      ns.workloads.push(workload);
    }
    if (row.imageId) {
      workload.images.push({
        imageId: row.imageId,
        repository: row.repository ?? "",
        tag: row.tag,
        teamId: row.imageTeamId,
        team: row.imageTeam,
        posture: postures.get(row.imageId) ?? NO_POSTURE,
      });
    }
  }
  return [...namespaces.values()];
}

const OPEN = Prisma.sql`f.status IN ('open', 'in_progress')`;

/** Open misconfigurations by check, with the namespaces they are in. */
async function misconfigurationGroups(scope: Scope, clusterId: string) {
  return db.$queryRaw<{ ruleId: string; title: string; severity: Severity; findings: number; namespaces: string[] }[]>`
    SELECT f."ruleId", min(f.title) AS title, min(f.severity) AS severity, count(*)::int AS findings,
      array_remove(array_agg(DISTINCT n.name), NULL) AS namespaces
    FROM "Finding" f LEFT JOIN "Namespace" n ON n.id = f."namespaceId"
    WHERE f."clusterId" = ${clusterId} AND f.kind = 'misconfiguration' AND ${OPEN} AND ${inScope(scope, "f")}
    GROUP BY f."ruleId" ORDER BY min(f.severity), count(*) DESC LIMIT 200`;
}

/** Open CIS results (kube-bench FAIL and WARN) by node type and section. */
async function cisResults(scope: Scope, clusterId: string) {
  return db.$queryRaw<{ section: string; fail: number; warn: number }[]>`
    SELECT COALESCE(f.location, '') AS section,
      count(*) FILTER (WHERE f."scannerStatus" = 'FAIL')::int AS fail, count(*) FILTER (WHERE f."scannerStatus" = 'WARN')::int AS warn
    FROM "Finding" f
    WHERE f."clusterId" = ${clusterId} AND f.kind = 'compliance' AND ${OPEN} AND ${inScope(scope, "f")}
    GROUP BY 1 ORDER BY 1 LIMIT 500`;
}

export interface RuntimeAlertGroup {
  rule: string;
  priority: string;
  namespace: string | null;
  pod: string | null;
  container: string | null;
  image: string | null;
  count: number;
  firstSeen: Date;
  lastSeen: Date;
}

/** Runtime alerts of the last week, grouped by what fired where (Falco's own fields). */
async function runtimeTimeline(scope: Scope, clusterId: string, filter: RuntimeFilter, since: Date) {
  const where: Prisma.Sql[] = [Prisma.sql`e."clusterId" = ${clusterId}`, Prisma.sql`e."occurredAt" >= ${since}`, inScope(scope, "f")];
  if (filter.priority) {
    // A Falco priority means "this or above"; any other is taken as the sender spelled it.
    const atLeast = prioritiesAtLeast(filter.priority);
    where.push(atLeast ? Prisma.sql`lower(e.priority) = ANY(${atLeast})` : Prisma.sql`lower(e.priority) = ${filter.priority.toLowerCase()}`);
  }
  if (filter.namespace) where.push(Prisma.sql`e.namespace = ${filter.namespace}`);
  return db.$queryRaw<RuntimeAlertGroup[]>`
    SELECT e.rule, e.priority, e.namespace, e.fields->>'k8s.pod.name' AS pod, e.fields->>'container.name' AS container,
      COALESCE(e.fields->>'container.image.repository', e.fields->>'container.image') AS image,
      count(*)::int AS count, min(e."occurredAt") AS "firstSeen", max(e."occurredAt") AS "lastSeen"
    FROM "RuntimeEvent" e LEFT JOIN "Finding" f ON f.id = e."findingId"
    WHERE ${Prisma.join(where, " AND ")}
    GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY max(e."occurredAt") DESC LIMIT 200`;
}
