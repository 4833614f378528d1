// The names behind a token's binding, so the policy (bindRequest) can check a request's team= and cluster=.
import { bindRequest, type TokenBinding } from "@/lib/authz/policy";
import { db } from "@/lib/db";
import type { VerifiedToken } from "@/lib/tokens/api-tokens";

export async function bindToToken<T extends { team?: string; cluster?: string }>(request: T, token: VerifiedToken): Promise<T> {
  const [team, cluster] = await Promise.all([
    token.teamId ? db.team.findUnique({ where: { id: token.teamId }, select: { name: true } }) : null,
    token.clusterId ? db.cluster.findUnique({ where: { id: token.clusterId }, select: { name: true } }) : null,
  ]);
  return bindRequest(request, { team: team?.name ?? null, cluster: cluster?.name ?? null });
}

export function bindingOf(token: VerifiedToken): TokenBinding {
  return { teamId: token.teamId, clusterId: token.clusterId };
}
