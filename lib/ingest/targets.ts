// Resolving a report's targets (and its cluster context) to rows: image, repository, artifact,
// cluster, namespace, workload, and the owning team. Runs inside the ingest transaction.
//
// Every write goes through the policy (`ownerAfterWrite`): a team-bound token writes only what
// its team owns. Ownership is resolved again at every scan (a rule wins over what is stored), and
// rows are created with INSERT … ON CONFLICT DO NOTHING, so an ingest holds no lock on a shared
// cluster, namespace or workload row: concurrent reports about one cluster do not queue.
import { ownerAfterWrite, type TokenBinding } from "@/lib/authz/policy";
import type { Sql } from "@/lib/sql";
import { pgArray, pgText } from "@/lib/sql";
import type { ArtifactTargetInfo, ImageTargetInfo, ReportTarget, WorkloadRef } from "@/lib/findings/model";
import { ReportError } from "@/lib/ingest/errors";
import { splitWorkload, type IngestContext } from "@/lib/ingest/context";
import { clusterRuleOwner, namespaceRuleOwner, OWNERSHIP_RULES_QUERY, owningTeamId, rulesMentionCluster, type Rule } from "@/lib/ownership/resolve-team";

/** An image is its repository plus its content: the digest, else the config id, else the tag. */
export function imageIdentityKey(t: ImageTargetInfo): string {
  if (t.digest) return `${t.repository}@${t.digest}`;
  if (t.configId) return `${t.repository}@config:${t.configId}`;
  return `${t.repository}:${t.tags[0] ?? "latest"}`;
}

/** The key ingests of the same target serialise on (an advisory lock), known before any row exists. */
export function targetLockKey(target: ReportTarget): string {
  if (target.kind === "image") return `image:${target.repository}`;
  if (target.kind === "artifact") return `artifact:${target.name}`;
  return `cluster:${target.name}${target.part ? `/${target.part}` : ""}`;
}

export function imageLabel(t: ImageTargetInfo): string {
  const tag = t.tags[0];
  return t.digest && !tag ? `${t.repository}@${t.digest}` : `${t.repository}:${tag ?? "latest"}`;
}

export async function resolveTeamByName(sql: Sql, team: string | undefined): Promise<string | null> {
  if (!team) return null;
  const { rows } = await sql.query<{ id: string }>(`SELECT id FROM "Team" WHERE name = $1`, [team]);
  if (!rows[0]) throw new ReportError(`team=${JSON.stringify(team)} names no team`, "invalid_context");
  return rows[0].id;
}

export interface ResolvedTarget {
  targetKey: string;
  kind: ReportTarget["kind"];
  label: string;
  imageId: string | null;
  clusterId: string | null;
  teamId: string | null;
}

export interface ClusterRow {
  id: string;
  name: string;
  teamId: string | null;
  /** created by this report */
  created: boolean;
}

export interface NamespaceRow {
  id: string;
  /** the namespace's owner, or its cluster's */
  teamId: string | null;
}

export interface Resolution {
  sql: Sql;
  rules: Rule[];
  context: IngestContext;
  /** The team the request names (team=); for a team-bound token, always its own team. */
  named: string | null;
  binding: TokenBinding;
  now: Date;
  clusters: Map<string, ClusterRow>;
  namespaces: Map<string, NamespaceRow>;
  /** Rows read ahead (resolutionForCluster): clusters by name; null: not there. */
  storedClusters: Map<string, OwnedRow | null>;
  /** Namespace rows read ahead, by "clusterId/name"; null: not there. */
  stored: Map<string, OwnedRow | null>;
}

type ReadAhead = "clusters" | "namespaces" | "stored" | "storedClusters";

export function newResolution(r: Omit<Resolution, ReadAhead>): Resolution {
  return { ...r, clusters: new Map(), namespaces: new Map(), stored: new Map(), storedClusters: new Map() };
}

/**
 * A resolution for writes in one cluster, with what they read fetched in one query: the ownership
 * rules, the cluster's row and the rows of the namespaces named. (A runtime alert batch is a few
 * alerts, and each round trip is a wait for every request in the batch.)
 */
export async function resolutionForCluster(r: Omit<Resolution, ReadAhead | "rules">, clusterName: string, namespaces: string[]): Promise<Resolution> {
  const { rows } = await r.sql.query<{ rules: Rule[]; cluster: OwnedRow | null; namespaces: (OwnedRow & { name: string })[] }>(
    `SELECT (SELECT COALESCE(json_agg(x), '[]') FROM (${OWNERSHIP_RULES_QUERY}) x) AS rules,
            (SELECT json_build_object('id', id, 'teamId', "teamId") FROM "Cluster" WHERE name = $1) AS cluster,
            (SELECT COALESCE(json_agg(json_build_object('id', n.id, 'teamId', n."teamId", 'name', n.name)), '[]')
             FROM "Namespace" n JOIN "Cluster" c ON c.id = n."clusterId" WHERE c.name = $1 AND n.name = ANY($2::text[])) AS namespaces`,
    [clusterName, namespaces],
  );
  const ahead = rows[0];
  const resolution = newResolution({ ...r, rules: ahead.rules });
  resolution.storedClusters.set(clusterName, ahead.cluster);
  if (ahead.cluster) {
    for (const name of namespaces) resolution.stored.set(`${ahead.cluster.id}/${name}`, null);
    for (const row of ahead.namespaces) resolution.stored.set(`${ahead.cluster.id}/${row.name}`, { id: row.id, teamId: row.teamId });
  }
  return resolution;
}

export async function resolveTarget(r: Resolution, target: ReportTarget, options: { clusterWide: boolean }): Promise<ResolvedTarget> {
  if (target.kind === "image") return resolveImage(r, target);
  if (target.kind === "artifact") return resolveArtifact(r, target);
  const cluster = options.clusterWide ? await writeCluster(r, target.name!) : await clusterRow(r, target.name!);
  return {
    targetKey: `cluster:${cluster.id}${target.part ? `/${target.part}` : ""}`,
    kind: "cluster",
    label: target.name!,
    imageId: null,
    clusterId: cluster.id,
    teamId: cluster.teamId,
  };
}

async function resolveArtifact(r: Resolution, target: ArtifactTargetInfo): Promise<ResolvedTarget> {
  const targetKey = `artifact:${target.name}`;
  const byRule = owningTeamId(r.rules, { repository: target.name, cluster: r.context.cluster, namespace: r.context.namespace });
  const stored = (await r.sql.query<{ teamId: string }>(`SELECT "teamId" FROM "Finding" WHERE "targetKey" = $1 AND "teamId" IS NOT NULL LIMIT 1`, [targetKey])).rows[0]?.teamId;
  const teamId = ownerAfterWrite(r.binding, { label: target.name, owner: byRule ?? stored ?? null, claimable: true }, r.named);
  return { targetKey, kind: "artifact", label: target.name, imageId: null, clusterId: null, teamId };
}

async function resolveImage(r: Resolution, target: ImageTargetInfo): Promise<ResolvedTarget> {
  const { sql, now } = r;
  const identityKey = imageIdentityKey(target);
  const byRule = owningTeamId(r.rules, { repository: target.repository, cluster: r.context.cluster, namespace: r.context.namespace });
  const [existing, repository] = await Promise.all([
    sql.query<{ teamId: string | null }>(`SELECT "teamId" FROM "Image" WHERE "identityKey" = $1`, [identityKey]),
    sql.query<{ id: string; teamId: string | null }>(`SELECT id, "teamId" FROM "ImageRepository" WHERE name = $1`, [target.repository]),
  ]);
  // Another build of a repository belongs to the repository's team until something says otherwise.
  const stored = existing.rows[0]?.teamId ?? repository.rows[0]?.teamId ?? null;
  const teamId = ownerAfterWrite(r.binding, { label: `image ${imageLabel(target)}`, owner: byRule ?? stored, claimable: true }, r.named);
  const repositoryId = await upsertRepository(sql, target.repository, repository.rows[0] ?? null, byRule ?? repository.rows[0]?.teamId ?? teamId);
  const image = await sql.query<{ id: string }>(
    `INSERT INTO "Image" (id, "identityKey", "repositoryId", digest, "configId", tags, "osFamily", "osName", "osEndOfLife", "sizeBytes",
       "teamId", "firstSeenAt", "lastScannedAt", "builtAt")
     VALUES (gen_random_uuid()::text, $1, $2, $3, $4, $5::text[], $6, $7, $8, $9, $10, $11::timestamptz, $11::timestamptz, $12::timestamptz)
     ON CONFLICT ("identityKey") DO UPDATE SET
       digest = COALESCE(EXCLUDED.digest, "Image".digest), "configId" = COALESCE(EXCLUDED."configId", "Image"."configId"),
       tags = ARRAY(SELECT DISTINCT unnest("Image".tags || EXCLUDED.tags)),
       "osFamily" = COALESCE(EXCLUDED."osFamily", "Image"."osFamily"), "osName" = COALESCE(EXCLUDED."osName", "Image"."osName"),
       "osEndOfLife" = EXCLUDED."osEndOfLife", "sizeBytes" = COALESCE(EXCLUDED."sizeBytes", "Image"."sizeBytes"),
       "teamId" = EXCLUDED."teamId", "lastScannedAt" = EXCLUDED."lastScannedAt", "builtAt" = COALESCE(EXCLUDED."builtAt", "Image"."builtAt"),
       "retiredAt" = NULL
     RETURNING id`,
    [
      identityKey, repositoryId, target.digest, target.configId, pgArray(target.tags), freeText(target.osFamily), freeText(target.osName),
      target.osEndOfLife, target.sizeBytes, teamId, now.toISOString(), target.builtAt?.toISOString() ?? null,
    ],
  );
  const imageId = image.rows[0].id;
  return { targetKey: `image:${imageId}`, kind: "image", label: imageLabel(target), imageId, clusterId: null, teamId };
}

/** Descriptive text from a report, as PostgreSQL can hold it and bounded. */
const freeText = (text: string | null) => (text === null ? null : pgText(text).slice(0, 200));

async function upsertRepository(sql: Sql, name: string, existing: { id: string; teamId: string | null } | null, teamId: string | null): Promise<string> {
  if (existing) {
    if (teamId && existing.teamId !== teamId) await sql.query(`UPDATE "ImageRepository" SET "teamId" = $2 WHERE id = $1`, [existing.id, teamId]);
    return existing.id;
  }
  const inserted = await sql.query<{ id: string }>(
    `INSERT INTO "ImageRepository" (id, name, "teamId") VALUES (gen_random_uuid()::text, $1, $2) ON CONFLICT (name) DO NOTHING RETURNING id`,
    [name, teamId],
  );
  return inserted.rows[0]?.id ?? (await sql.query<{ id: string }>(`SELECT id FROM "ImageRepository" WHERE name = $1`, [name])).rows[0].id;
}

/**
 * The cluster row, created when first seen. Its owner is re-resolved (a cluster rule wins over
 * what is stored); a cluster a team-bound token brings into being is that team's, unless a rule
 * speaks about the cluster (then it is shared out by rules).
 */
export async function clusterRow(r: Resolution, name: string): Promise<ClusterRow> {
  const cached = r.clusters.get(name);
  if (cached) return cached;
  const byRule = clusterRuleOwner(r.rules, name);
  const stored = r.storedClusters.get(name);
  const found = stored === undefined ? await selectCluster(r.sql, name) : (stored ?? undefined);
  let row: ClusterRow;
  if (found) {
    row = { id: found.id, name, teamId: byRule ?? found.teamId, created: false };
    if (row.teamId !== found.teamId) await setOwner(r.sql, "Cluster", row.id, row.teamId);
  } else {
    const owner = byRule ?? (r.binding.teamId && !rulesMentionCluster(r.rules, name) ? r.binding.teamId : null);
    const inserted = await r.sql.query<{ id: string }>(
      `INSERT INTO "Cluster" (id, name, "teamId") VALUES (gen_random_uuid()::text, $1, $2) ON CONFLICT (name) DO NOTHING RETURNING id`,
      [name, owner],
    );
    if (inserted.rows[0]) row = { id: inserted.rows[0].id, name, teamId: owner, created: true };
    else {
      // Another report created it a moment ago: take it as it is now.
      const raced = (await selectCluster(r.sql, name))!;
      row = { id: raced.id, name, teamId: byRule ?? raced.teamId, created: false };
    }
  }
  r.clusters.set(name, row);
  return row;
}

/** A write of cluster-wide results (CIS checks, cluster-scoped objects, host alerts): the cluster's owner must allow it. */
export async function writeCluster(r: Resolution, name: string): Promise<ClusterRow> {
  const row = await clusterRow(r, name);
  const teamId = ownerAfterWrite(r.binding, { label: `cluster ${name}`, owner: row.teamId, claimable: row.created && !rulesMentionCluster(r.rules, name) }, r.named);
  if (teamId !== row.teamId) {
    await setOwner(r.sql, "Cluster", row.id, teamId);
    row.teamId = teamId;
  }
  return row;
}

/**
 * A namespace written by this report. Its owner is its rule's team, else what is stored, else
 * its cluster's; a namespace nobody owns in a cluster nobody owns is shared (no team-bound token
 * may take it over).
 */
export async function writeNamespace(r: Resolution, cluster: ClusterRow, name: string): Promise<NamespaceRow> {
  const cacheKey = `${cluster.id}/${name}`;
  const cached = r.namespaces.get(cacheKey);
  if (cached) return cached;
  const byRule = namespaceRuleOwner(r.rules, cluster.name, name);
  const stored = r.stored.get(cacheKey);
  let found = stored === undefined ? await selectNamespace(r.sql, cluster.id, name) : (stored ?? undefined);
  const owner = byRule ?? found?.teamId ?? cluster.teamId;
  const teamId = ownerAfterWrite(r.binding, { label: `namespace ${name} in cluster ${cluster.name}`, owner, claimable: false }, null);
  if (!found) {
    const inserted = await r.sql.query<{ id: string }>(
      `INSERT INTO "Namespace" (id, "clusterId", name, "teamId") VALUES (gen_random_uuid()::text, $1, $2, $3) ON CONFLICT ("clusterId", name) DO NOTHING RETURNING id`,
      [cluster.id, name, byRule],
    );
    found = inserted.rows[0] ? { id: inserted.rows[0].id, teamId: byRule } : (await selectNamespace(r.sql, cluster.id, name))!;
  }
  if (byRule && found.teamId !== byRule) await setOwner(r.sql, "Namespace", found.id, byRule);
  const row = { id: found.id, teamId };
  r.namespaces.set(cacheKey, row);
  return row;
}

type OwnedRow = { id: string; teamId: string | null };

async function selectCluster(sql: Sql, name: string): Promise<OwnedRow | undefined> {
  return (await sql.query<OwnedRow>(`SELECT id, "teamId" FROM "Cluster" WHERE name = $1`, [name])).rows[0];
}

async function selectNamespace(sql: Sql, clusterId: string, name: string): Promise<OwnedRow | undefined> {
  return (await sql.query<OwnedRow>(`SELECT id, "teamId" FROM "Namespace" WHERE "clusterId" = $1 AND name = $2`, [clusterId, name])).rows[0];
}

async function setOwner(sql: Sql, table: "Cluster" | "Namespace", id: string, teamId: string | null): Promise<void> {
  await sql.query(`UPDATE "${table}" SET "teamId" = $2 WHERE id = $1 AND "teamId" IS DISTINCT FROM $2`, [id, teamId]);
}

export interface ResolvedWorkload {
  namespaceId: string;
  namespaceTeamId: string | null;
  workloadId: string;
}

/** Namespace and workload rows for a cluster's objects, created on first sight. */
export async function upsertWorkload(r: Resolution, cluster: ClusterRow, ref: WorkloadRef): Promise<ResolvedWorkload> {
  const namespace = await writeNamespace(r, cluster, ref.namespace);
  const inserted = await r.sql.query<{ id: string }>(
    `INSERT INTO "Workload" (id, "namespaceId", kind, name) VALUES (gen_random_uuid()::text, $1, $2, $3) ON CONFLICT ("namespaceId", kind, name) DO NOTHING RETURNING id`,
    [namespace.id, ref.kind, ref.name],
  );
  const workloadId =
    inserted.rows[0]?.id ??
    (await r.sql.query<{ id: string }>(`SELECT id FROM "Workload" WHERE "namespaceId" = $1 AND kind = $2 AND name = $3`, [namespace.id, ref.kind, ref.name])).rows[0].id;
  return { namespaceId: namespace.id, namespaceTeamId: namespace.teamId, workloadId };
}

/**
 * Records which workloads run an image: those the report names, and the one named by the context.
 * A newer build of the same repository replaces the older one on that workload (a deployment
 * rolls forward; the old build no longer runs there). A running image is never retired.
 */
export async function linkImageWorkloads(r: Resolution, imageId: string, clusterName: string | undefined, workloads: WorkloadRef[]): Promise<string | null> {
  if (!clusterName) return null;
  const { sql, context, now } = r;
  const refs = [...workloads];
  if (context.namespace && context.workload) refs.push({ namespace: context.namespace, ...splitWorkload(context.workload) });
  const cluster = await clusterRow(r, clusterName);
  if (context.namespace && !context.workload) await writeNamespace(r, cluster, context.namespace);
  for (const ref of refs) {
    const { workloadId } = await upsertWorkload(r, cluster, ref);
    await sql.query(
      `INSERT INTO "WorkloadImage" ("workloadId", "imageId", "firstSeenAt", "lastSeenAt") VALUES ($1, $2, $3::timestamptz, $3::timestamptz)
       ON CONFLICT ("workloadId", "imageId") DO UPDATE SET "lastSeenAt" = EXCLUDED."lastSeenAt"`,
      [workloadId, imageId, now.toISOString()],
    );
    await sql.query(
      `DELETE FROM "WorkloadImage" wi USING "Image" old, "Image" new
       WHERE wi."workloadId" = $1 AND wi."imageId" <> $2 AND old.id = wi."imageId" AND new.id = $2 AND old."repositoryId" = new."repositoryId"`,
      [workloadId, imageId],
    );
  }
  if (refs.length > 0) await sql.query(`UPDATE "Image" SET "retiredAt" = NULL WHERE id = $1 AND "retiredAt" IS NOT NULL`, [imageId]);
  return cluster.id;
}

/**
 * A cluster report that lists the images running in some namespaces replaces what runs there:
 * links it did not renew (seen before `now`) in those namespaces end.
 */
export async function replaceRunningImages(r: Resolution, clusterId: string, namespaces: string[]): Promise<number> {
  if (namespaces.length === 0) return 0;
  const ended = await r.sql.query(
    `DELETE FROM "WorkloadImage" wi USING "Workload" w, "Namespace" n
     WHERE wi."workloadId" = w.id AND w."namespaceId" = n.id AND n."clusterId" = $1 AND n.name = ANY($2::text[]) AND wi."lastSeenAt" < $3::timestamptz`,
    [clusterId, namespaces, r.now.toISOString()],
  );
  return ended.rowCount ?? 0;
}
