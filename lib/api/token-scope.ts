// What a read-scope API token may see: the same team scoping as the pages (a team-bound token sees
// its team's data), and for a cluster-bound token only its cluster and the images that run in it
// or were scanned for it. Every /api/v1 read route goes through these.
import { db } from "@/lib/db";
import type { Scope } from "@/lib/authz/policy";
import { AccessDenied } from "@/lib/authz/errors";
import type { VerifiedToken } from "@/lib/tokens/api-tokens";

export function scopeOfToken(token: Pick<VerifiedToken, "teamId">): Scope {
  return { teamIds: token.teamId ? [token.teamId] : null };
}

/** A cluster-bound token's filter must be its own cluster; other tokens pass what they asked for. */
export function clusterOfToken(token: Pick<VerifiedToken, "clusterId">, asked: string | undefined): string | undefined {
  if (!token.clusterId) return asked;
  if (asked && asked !== token.clusterId) throw new AccessDenied("This token is bound to a cluster and reads only that cluster's data");
  return token.clusterId;
}

/** Whether a token may see an image (another team's or cluster's image is answered as unknown). */
export async function tokenSeesImage(token: Pick<VerifiedToken, "teamId" | "clusterId">, image: { id: string; teamId: string | null }): Promise<boolean> {
  if (token.teamId && image.teamId !== token.teamId) return false;
  if (!token.clusterId) return true;
  const [placed] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM (
      SELECT 1 FROM "WorkloadImage" wi JOIN "Workload" w ON w.id = wi."workloadId" JOIN "Namespace" n ON n.id = w."namespaceId"
      WHERE wi."imageId" = ${image.id} AND n."clusterId" = ${token.clusterId}
      UNION ALL SELECT 1 FROM "Scan" s WHERE s."imageId" = ${image.id} AND s."clusterId" = ${token.clusterId} LIMIT 1) x`;
  return placed.n > 0;
}
