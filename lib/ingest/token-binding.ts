// An ingest token bound to a team or a cluster can only post for that team or cluster.
import { ApiError } from "@/lib/api/errors";
import { db } from "@/lib/db";
import type { IngestContext } from "@/lib/ingest/context";
import type { VerifiedToken } from "@/lib/tokens/api-tokens";

export async function applyTokenBinding(context: IngestContext, token: VerifiedToken): Promise<IngestContext> {
  let bound = context;
  if (token.teamId) {
    const team = await db.team.findUniqueOrThrow({ where: { id: token.teamId }, select: { name: true } });
    if (context.team && context.team !== team.name) {
      throw new ApiError("forbidden", `This token is bound to team "${team.name}" and cannot post for team "${context.team}"`);
    }
    bound = { ...bound, team: team.name };
  }
  if (token.clusterId) {
    const cluster = await db.cluster.findUniqueOrThrow({ where: { id: token.clusterId }, select: { name: true } });
    if (context.cluster && context.cluster !== cluster.name) {
      throw new ApiError("forbidden", `This token is bound to cluster "${cluster.name}" and cannot post for cluster "${context.cluster}"`);
    }
    bound = { ...bound, cluster: cluster.name };
  }
  return bound;
}

/** Runtime events land on a cluster: a team-bound token may not post for another team's cluster. */
export async function assertClusterForBoundTeam(token: VerifiedToken, clusterName: string | undefined): Promise<void> {
  if (!token.teamId || !clusterName) return;
  const cluster = await db.cluster.findUnique({ where: { name: clusterName }, select: { teamId: true } });
  if (cluster?.teamId && cluster.teamId !== token.teamId) {
    throw new ApiError("forbidden", `This token is bound to a team and cannot post for cluster "${clusterName}", which belongs to another team`);
  }
}
