// Resolving a report's target (and its cluster context) to rows: image, repository, cluster,
// namespace, workload, and the owning team.
import type { DbTx } from "@/lib/db";
import type { ImageTargetInfo } from "@/lib/findings/model";
import { ReportError } from "@/lib/ingest/errors";
import { parseImageRef } from "@/lib/ingest/image-ref";
import { splitWorkload, type IngestContext } from "@/lib/ingest/context";
import { resolveOwningTeamId } from "@/lib/ownership/resolve-team";

/** The image as named by the report, with `image=` completing or overriding it. */
export function applyImageOverride(target: ImageTargetInfo, image: string | undefined): ImageTargetInfo {
  if (!image) return target;
  const ref = parseImageRef(image);
  if (!ref) throw new ReportError(`image=${JSON.stringify(image)} is not an image reference (registry/repository:tag or …@sha256:<64 hex>)`, "invalid_context");
  return {
    ...target,
    repository: ref.repository,
    tags: ref.tag ? [ref.tag] : ref.repository === target.repository ? target.tags : [],
    digest: ref.digest ?? target.digest,
  };
}

/** An image is its repository plus its content: the digest, else the config id, else the tag. */
export function imageIdentityKey(t: ImageTargetInfo): string {
  if (t.digest) return `${t.repository}@${t.digest}`;
  if (t.configId) return `${t.repository}@config:${t.configId}`;
  return `${t.repository}:${t.tags[0] ?? "latest"}`;
}

export async function resolveTeamByName(tx: DbTx, team: string | undefined): Promise<string | null> {
  if (!team) return null;
  const found = await tx.team.findUnique({ where: { name: team }, select: { id: true } });
  if (!found) throw new ReportError(`team=${JSON.stringify(team)} names no team`, "invalid_context");
  return found.id;
}

export interface ResolvedImage {
  imageId: string;
  teamId: string | null;
  clusterId: string | null;
  label: string;
}

export async function resolveImageTarget(
  tx: DbTx,
  target: ImageTargetInfo,
  context: IngestContext,
  now: Date,
): Promise<ResolvedImage> {
  const explicitTeamId = await resolveTeamByName(tx, context.team);
  const teamId =
    explicitTeamId ??
    (await resolveOwningTeamId(tx, { repository: target.repository, cluster: context.cluster, namespace: context.namespace }));
  const repository = await tx.imageRepository.upsert({
    where: { name: target.repository },
    create: { name: target.repository, teamId },
    update: {},
    select: { id: true },
  });
  const identityKey = imageIdentityKey(target);
  const existing = await tx.image.findUnique({ where: { identityKey }, select: { id: true, tags: true, firstSeenAt: true } });
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
  const clusterId = await linkWorkload(tx, image.id, context, now);
  const tag = target.tags[0];
  const label = target.digest && !tag ? `${target.repository}@${target.digest}` : `${target.repository}:${tag ?? "latest"}`;
  return { imageId: image.id, teamId, clusterId, label };
}

/** Records that the workload named by the context runs this image; returns the cluster id. */
async function linkWorkload(tx: DbTx, imageId: string, context: IngestContext, now: Date): Promise<string | null> {
  if (!context.cluster) return null;
  const cluster = await tx.cluster.upsert({
    where: { name: context.cluster },
    create: { name: context.cluster, teamId: await resolveOwningTeamId(tx, { cluster: context.cluster }) },
    update: {},
    select: { id: true },
  });
  if (!context.namespace) return cluster.id;
  const namespace = await tx.namespace.upsert({
    where: { clusterId_name: { clusterId: cluster.id, name: context.namespace } },
    create: {
      clusterId: cluster.id,
      name: context.namespace,
      teamId: await resolveOwningTeamId(tx, { cluster: context.cluster, namespace: context.namespace }),
    },
    update: {},
    select: { id: true },
  });
  if (!context.workload) return cluster.id;
  const { kind, name } = splitWorkload(context.workload);
  const workload = await tx.workload.upsert({
    where: { namespaceId_kind_name: { namespaceId: namespace.id, kind, name } },
    create: { namespaceId: namespace.id, kind, name },
    update: {},
    select: { id: true },
  });
  await tx.workloadImage.upsert({
    where: { workloadId_imageId: { workloadId: workload.id, imageId } },
    create: { workloadId: workload.id, imageId, firstSeenAt: now, lastSeenAt: now },
    update: { lastSeenAt: now },
  });
  return cluster.id;
}
