// Which team owns a target: an explicit team wins; else the most specific ownership rule —
// the longest matching repository prefix, then a cluster+namespace rule, then a cluster rule.
// Rules of equal specificity cannot exist (a unique index), so the answer never depends on order.
import type { Sql } from "@/lib/sql";

export interface OwnershipSubject {
  repository?: string | null;
  cluster?: string | null;
  namespace?: string | null;
}

export interface Rule {
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

/** Every rule, as Rule rows (also read ahead with other rows: lib/ingest/targets.ts). */
export const OWNERSHIP_RULES_QUERY = `SELECT "teamId", "repositoryPrefix", "clusterName", namespace FROM "OwnershipRule"`;

/** Ownership rules of the current transaction; a report resolves many targets, so read them once. */
export async function loadOwnershipRules(sql: Sql): Promise<Rule[]> {
  const { rows } = await sql.query<Rule>(OWNERSHIP_RULES_QUERY);
  return rows;
}

export function owningTeamId(rules: readonly Rule[], subject: OwnershipSubject): string | null {
  return pickOwningRule(rules, subject)?.teamId ?? null;
}

/** The team a rule gives a cluster (a cluster rule without a namespace). */
export function clusterRuleOwner(rules: readonly Rule[], cluster: string): string | null {
  return rules.find((r) => !r.repositoryPrefix && r.clusterName === cluster && !r.namespace)?.teamId ?? null;
}

/** The team a rule gives a namespace of a cluster (exactly that cluster and namespace). */
export function namespaceRuleOwner(rules: readonly Rule[], cluster: string, namespace: string): string | null {
  return rules.find((r) => !r.repositoryPrefix && r.clusterName === cluster && r.namespace === namespace)?.teamId ?? null;
}

/** Whether any rule speaks about this cluster: then a team-bound token may not claim it as new. */
export function rulesMentionCluster(rules: readonly Rule[], cluster: string): boolean {
  return rules.some((r) => r.clusterName === cluster);
}
