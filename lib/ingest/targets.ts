// Resolving a report's targets (and its cluster context) to rows: image, repository, artifact,
// cluster, namespace, workload, and the owning team.
import type { DbTx } from "@/lib/db";
import type { ArtifactTargetInfo, ImageTargetInfo, ReportTarget, WorkloadRef } from "@/lib/findings/model";
import { ReportError } from "@/lib/ingest/errors";
import { splitWorkload, type IngestContext } from "@/lib/ingest/context";
import { resolveOwningTeamId } from "@/lib/ownership/resolve-team";

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

export async function resolveTeamByName(tx: DbTx, team: string | undefined): Promise<string | null> {
  if (!team) return null;
  const found = await tx.team.findUnique({ where: { name: team }, select: { id: true } });
  if (!found) throw new ReportError(`team=${JSON.stringify(team)} names no team`, "invalid_context");
  return found.id;
}

export interface ResolvedTarget {
  targetKey: string;
  kind: ReportTarget["kind"];
  label: string;
  imageId: string | null;
  clusterId: string | null;
  teamId: string | null;
}

export async function resolveTarget(
  tx: DbTx,
  target: ReportTarget,
  context: IngestContext,
  explicitTeamId: string | null,
  now: Date,
): Promise<ResolvedTarget> {
  if (target.kind === "image") return resolveImage(tx, target, context, explicitTeamId, now);
  if (target.kind === "artifact") return resolveArtifact(tx, target, context, explicitTeamId);
  const cluster = await upsertCluster(tx, target.name!);
  return {
    targetKey: `cluster:${cluster.id}${target.part ? `/${target.part}` : ""}`,
    kind: "cluster",
    label: target.name!,
    imageId: null,
    clusterId: cluster.id,
    teamId: explicitTeamId ?? cluster.teamId,
  };
}

async function resolveArtifact(tx: DbTx, target: ArtifactTargetInfo, context: IngestContext, explicitTeamId: string | null): Promise<ResolvedTarget> {
  const teamId = explicitTeamId ?? (await resolveOwningTeamId(tx, { repository: target.name, cluster: context.cluster, namespace: context.namespace }));
  return { targetKey: `artifact:${target.name}`, kind: "artifact", label: target.name, imageId: null, clusterId: null, teamId };
}

async function resolveImage(
  tx: DbTx,
  target: ImageTargetInfo,
  context: IngestContext,
  explicitTeamId: string | null,
  now: Date,
): Promise<ResolvedTarget> {
  const teamId =
    explicitTeamId ?? (await resolveOwningTeamId(tx, { repository: target.repository, cluster: context.cluster, namespace: context.namespace }));
  const repository = await tx.imageRepository.upsert({
    where: { name: target.repository },
    create: { name: target.repository, teamId },
    update: {},
    select: { id: true },
  });
  const identityKey = imageIdentityKey(target);
  const existing = await tx.image.findUnique({ where: { identityKey }, select: { id: true, tags: true } });
  const fields = {
    digest: target.digest,
    configId: target.configId,
    osFamily: target.osFamily,
    osName: target.osName,
    osEndOfLife: target.osEndOfLife,
    sizeBytes: target.sizeBytes === null ? null : BigInt(target.sizeBytes),
    teamId,
    lastScannedAt: now,
  };
  const image = existing
    ? await tx.image.update({
        where: { id: existing.id },
        data: { ...fields, tags: [...new Set([...existing.tags, ...target.tags])] },
        select: { id: true },
      })
    : await tx.image.create({
        data: { ...fields, identityKey, repositoryId: repository.id, tags: target.tags, firstSeenAt: now },
        select: { id: true },
      });
  return { targetKey: `image:${image.id}`, kind: "image", label: imageLabel(target), imageId: image.id, clusterId: null, teamId };
}

export async function upsertCluster(tx: DbTx, name: string): Promise<{ id: string; teamId: string | null }> {
  const existing = await tx.cluster.findUnique({ where: { name }, select: { id: true, teamId: true } });
  if (existing) return existing;
  return tx.cluster.create({ data: { name, teamId: await resolveOwningTeamId(tx, { cluster: name }) }, select: { id: true, teamId: true } });
}

export interface ResolvedWorkload {
  namespaceId: string;
  namespaceTeamId: string | null;
  workloadId: string;
}

/** Namespace and workload rows for a cluster's objects, created on first sight. */
export async function upsertWorkload(tx: DbTx, clusterId: string, clusterName: string, ref: WorkloadRef): Promise<ResolvedWorkload> {
  const namespace = await tx.namespace.upsert({
    where: { clusterId_name: { clusterId, name: ref.namespace } },
    create: { clusterId, name: ref.namespace, teamId: await resolveOwningTeamId(tx, { cluster: clusterName, namespace: ref.namespace }) },
    update: {},
    select: { id: true, teamId: true },
  });
  const workload = await tx.workload.upsert({
    where: { namespaceId_kind_name: { namespaceId: namespace.id, kind: ref.kind, name: ref.name } },
    create: { namespaceId: namespace.id, kind: ref.kind, name: ref.name },
    update: {},
    select: { id: true },
  });
  return { namespaceId: namespace.id, namespaceTeamId: namespace.teamId, workloadId: workload.id };
}

/** Records which workloads run an image: those the report names, and the one named by the context. */
export async function linkImageWorkloads(
  tx: DbTx,
  imageId: string,
  clusterName: string | undefined,
  workloads: WorkloadRef[],
  context: IngestContext,
  now: Date,
): Promise<string | null> {
  const refs = [...workloads];
  if (context.namespace && context.workload) refs.push({ namespace: context.namespace, ...splitWorkload(context.workload) });
  if (!clusterName) return null;
  const cluster = await upsertCluster(tx, clusterName);
  if (context.namespace && !context.workload) await upsertNamespaceOnly(tx, cluster.id, clusterName, context.namespace);
  for (const ref of refs) {
    const { workloadId } = await upsertWorkload(tx, cluster.id, clusterName, ref);
    await tx.workloadImage.upsert({
      where: { workloadId_imageId: { workloadId, imageId } },
      create: { workloadId, imageId, firstSeenAt: now, lastSeenAt: now },
      update: { lastSeenAt: now },
    });
  }
  return cluster.id;
}

async function upsertNamespaceOnly(tx: DbTx, clusterId: string, clusterName: string, name: string): Promise<void> {
  await tx.namespace.upsert({
    where: { clusterId_name: { clusterId, name } },
    create: { clusterId, name, teamId: await resolveOwningTeamId(tx, { cluster: clusterName, namespace: name }) },
    update: {},
  });
}
