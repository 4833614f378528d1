// The teams and clusters a viewer may filter by (the options of filter menus).
import { clusterFilter, teamRowFilter, type Scope } from "@/lib/authz/policy";
import { db } from "@/lib/db";

export interface Choice {
  id: string;
  name: string;
}

export async function filterChoices(scope: Scope): Promise<{ teams: Choice[]; clusters: Choice[] }> {
  const [teams, clusters] = await Promise.all([
    db.team.findMany({ where: teamRowFilter(scope), orderBy: { name: "asc" }, select: { id: true, name: true }, take: 500 }),
    db.cluster.findMany({ where: clusterFilter(scope), orderBy: { name: "asc" }, select: { id: true, name: true }, take: 500 }),
  ]);
  return { teams, clusters };
}

/** Which of these clusters the viewer may open (a link to any other would answer 404). */
export async function visibleClusterIds(scope: Scope, ids: readonly string[]): Promise<Set<string>> {
  if (scope.teamIds === null || ids.length === 0) return new Set(ids);
  const visible = await db.cluster.findMany({ where: { AND: [{ id: { in: [...ids] } }, clusterFilter(scope)] }, select: { id: true } });
  return new Set(visible.map((c) => c.id));
}
