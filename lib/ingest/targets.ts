// Resolving a report's targets (and its cluster context) to rows: image, repository, artifact,
// cluster, namespace, workload, and the owning team. Runs inside the ingest transaction.
import { AccessDenied } from "@/lib/authz/actor";
import type { Sql } from "@/lib/sql";
import { pgArray } from "@/lib/sql";
import type { ArtifactTargetInfo, ImageTargetInfo, ReportTarget, WorkloadRef } from "@/lib/findings/model";
import { ReportError } from "@/lib/ingest/errors";
import { splitWorkload, type IngestContext } from "@/lib/ingest/context";
import { owningTeamId, type Rule } from "@/lib/ownership/resolve-team";

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

export interface Resolution {
  sql: Sql;
  rules: Rule[];
  context: IngestContext;
  explicitTeamId: string | null;
  /** Set when the token is bound to a team: it may only touch targets of that team (or unowned ones). */
  boundTeamId: string | null;
  now: Date;
}

/** A team-bound token cannot rescan, and so close or take over, another team's target. */
function assertBoundTeamMayTouch(r: Resolution, currentTeamId: string | null | undefined, label: string): void {
  if (r.boundTeamId && currentTeamId && currentTeamId !== r.boundTeamId) {
    throw new AccessDenied(`This token is bound to a team and cannot post for ${label}, which belongs to another team`);
  }
}

export async function resolveTarget(r: Resolution, target: ReportTarget): Promise<ResolvedTarget> {
  if (target.kind === "image") return resolveImage(r, target);
  if (target.kind === "artifact") return resolveArtifact(r, target);
  const cluster = await upsertCluster(r.sql, r.rules, target.name!);
  assertBoundTeamMayTouch(r, cluster.teamId, `cluster ${target.name}`);
  return {
    targetKey: `cluster:${cluster.id}${target.part ? `/${target.part}` : ""}`,
    kind: "cluster",
    label: target.name!,
    imageId: null,
    clusterId: cluster.id,
    teamId: r.explicitTeamId ?? cluster.teamId,
  };
}

async function resolveArtifact(r: Resolution, target: ArtifactTargetInfo): Promise<ResolvedTarget> {
  const named = r.explicitTeamId ?? owningTeamId(r.rules, { repository: target.name, cluster: r.context.cluster, namespace: r.context.namespace });
  // The current owner matters only to a team-bound token, or when this scan names no team.
  const owner =
    r.boundTeamId || !named
      ? (await r.sql.query<{ teamId: string }>(`SELECT "teamId" FROM "Finding" WHERE "targetKey" = $1 AND "teamId" IS NOT NULL LIMIT 1`, [`artifact:${target.name}`])).rows[0]?.teamId
      : undefined;
  assertBoundTeamMayTouch(r, owner, target.name);
  const teamId = named ?? owner ?? null;
  return { targetKey: `artifact:${target.name}`, kind: "artifact", label: target.name, imageId: null, clusterId: null, teamId };
}

async function resolveImage(r: Resolution, target: ImageTargetInfo): Promise<ResolvedTarget> {
  const { sql, now } = r;
  const teamId = r.explicitTeamId ?? owningTeamId(r.rules, { repository: target.repository, cluster: r.context.cluster, namespace: r.context.namespace });
  if (r.boundTeamId) {
    const existing = await sql.query<{ teamId: string | null }>(`SELECT "teamId" FROM "Image" WHERE "identityKey" = $1`, [imageIdentityKey(target)]);
    assertBoundTeamMayTouch(r, existing.rows[0]?.teamId, `image ${imageLabel(target)}`);
  }
  const repository = await sql.query<{ id: string }>(
    `INSERT INTO "ImageRepository" (id, name, "teamId") VALUES (gen_random_uuid()::text, $1, $2)
     ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
    [target.repository, teamId],
  );
  const image = await sql.query<{ id: string; teamId: string | null }>(
    `INSERT INTO "Image" (id, "identityKey", "repositoryId", digest, "configId", tags, "osFamily", "osName", "osEndOfLife", "sizeBytes",
       "teamId", "firstSeenAt", "lastScannedAt")
     VALUES (gen_random_uuid()::text, $1, $2, $3, $4, $5::text[], $6, $7, $8, $9, $10, $11::timestamptz, $11::timestamptz)
     ON CONFLICT ("identityKey") DO UPDATE SET
       digest = COALESCE(EXCLUDED.digest, "Image".digest), "configId" = COALESCE(EXCLUDED."configId", "Image"."configId"),
       tags = ARRAY(SELECT DISTINCT unnest("Image".tags || EXCLUDED.tags)),
       "osFamily" = COALESCE(EXCLUDED."osFamily", "Image"."osFamily"), "osName" = COALESCE(EXCLUDED."osName", "Image"."osName"),
       "osEndOfLife" = EXCLUDED."osEndOfLife", "sizeBytes" = COALESCE(EXCLUDED."sizeBytes", "Image"."sizeBytes"),
       "teamId" = COALESCE(EXCLUDED."teamId", "Image"."teamId"), "lastScannedAt" = EXCLUDED."lastScannedAt"
     RETURNING id, "teamId"`,
    [
      imageIdentityKey(target),
      repository.rows[0].id,
      target.digest,
      target.configId,
      pgArray(target.tags),
      target.osFamily,
      target.osName,
      target.osEndOfLife,
      target.sizeBytes,
      teamId,
      now.toISOString(),
    ],
  );
  // A scan that names no team (and matches no ownership rule) keeps the image's team.
  const { id: imageId, teamId: owner } = image.rows[0];
  return { targetKey: `image:${imageId}`, kind: "image", label: imageLabel(target), imageId, clusterId: null, teamId: owner };
}

export async function upsertCluster(sql: Sql, rules: Rule[], name: string): Promise<{ id: string; teamId: string | null }> {
  const { rows } = await sql.query<{ id: string; teamId: string | null }>(
    `INSERT INTO "Cluster" (id, name, "teamId") VALUES (gen_random_uuid()::text, $1, $2)
     ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id, "teamId"`,
    [name, owningTeamId(rules, { cluster: name })],
  );
  return rows[0];
}

export async function upsertNamespace(sql: Sql, rules: Rule[], cluster: { id: string; name: string }, name: string): Promise<{ id: string; teamId: string | null }> {
  const { rows } = await sql.query<{ id: string; teamId: string | null }>(
    `INSERT INTO "Namespace" (id, "clusterId", name, "teamId") VALUES (gen_random_uuid()::text, $1, $2, $3)
     ON CONFLICT ("clusterId", name) DO UPDATE SET name = EXCLUDED.name RETURNING id, "teamId"`,
    [cluster.id, name, owningTeamId(rules, { cluster: cluster.name, namespace: name })],
  );
  return rows[0];
}

export interface ResolvedWorkload {
  namespaceId: string;
  namespaceTeamId: string | null;
  workloadId: string;
}

/** Namespace and workload rows for a cluster's objects, created on first sight. */
export async function upsertWorkload(sql: Sql, rules: Rule[], cluster: { id: string; name: string }, ref: WorkloadRef): Promise<ResolvedWorkload> {
  const namespace = await upsertNamespace(sql, rules, cluster, ref.namespace);
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO "Workload" (id, "namespaceId", kind, name) VALUES (gen_random_uuid()::text, $1, $2, $3)
     ON CONFLICT ("namespaceId", kind, name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
    [namespace.id, ref.kind, ref.name],
  );
  return { namespaceId: namespace.id, namespaceTeamId: namespace.teamId, workloadId: rows[0].id };
}

/** Records which workloads run an image: those the report names, and the one named by the context. */
export async function linkImageWorkloads(r: Resolution, imageId: string, clusterName: string | undefined, workloads: WorkloadRef[]): Promise<string | null> {
  if (!clusterName) return null;
  const { sql, rules, context, now } = r;
  const refs = [...workloads];
  if (context.namespace && context.workload) refs.push({ namespace: context.namespace, ...splitWorkload(context.workload) });
  const cluster = { ...(await upsertCluster(sql, rules, clusterName)), name: clusterName };
  if (context.namespace && !context.workload) await upsertNamespace(sql, rules, cluster, context.namespace);
  for (const ref of refs) {
    const { workloadId } = await upsertWorkload(sql, rules, cluster, ref);
    await sql.query(
      `INSERT INTO "WorkloadImage" ("workloadId", "imageId", "firstSeenAt", "lastSeenAt") VALUES ($1, $2, $3::timestamptz, $3::timestamptz)
       ON CONFLICT ("workloadId", "imageId") DO UPDATE SET "lastSeenAt" = EXCLUDED."lastSeenAt"`,
      [workloadId, imageId, now.toISOString()],
    );
  }
  return cluster.id;
}
