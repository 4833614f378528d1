// Which team owns a target: an explicit team wins; else the most specific ownership rule —
// the longest matching repository prefix, then a cluster+namespace rule, then a cluster rule.
import type { DbTx } from "@/lib/db";

export interface OwnershipSubject {
  repository?: string | null;
  cluster?: string | null;
  namespace?: string | null;
}

interface Rule {
  teamId: string;
  repositoryPrefix: string | null;
  clusterName: string | null;
  namespace: string | null;
}

export function pickOwningRule(rules: readonly Rule[], subject: OwnershipSubject): Rule | null {
  const byRepo = subject.repository
    ? rules
        .filter((r) => r.repositoryPrefix && subject.repository!.startsWith(r.repositoryPrefix))
        .sort((a, b) => b.repositoryPrefix!.length - a.repositoryPrefix!.length)[0]
    : undefined;
  if (byRepo) return byRepo;
  if (!subject.cluster) return null;
  const inCluster = rules.filter((r) => !r.repositoryPrefix && r.clusterName === subject.cluster);
  return (
    inCluster.find((r) => subject.namespace && r.namespace === subject.namespace) ??
    inCluster.find((r) => !r.namespace) ??
    null
  );
}

export async function resolveOwningTeamId(tx: DbTx, subject: OwnershipSubject): Promise<string | null> {
  const rules = await tx.ownershipRule.findMany({
    select: { teamId: true, repositoryPrefix: true, clusterName: true, namespace: true },
  });
  return pickOwningRule(rules, subject)?.teamId ?? null;
}
