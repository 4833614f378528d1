// Repositories and filesystems (`trivy fs`, `trivy repo`, SARIF and Grype runs on a directory):
// targets that are not images. Each with its owning team, score and open findings by kind.
import type { Scope } from "@/lib/authz/policy";
import { db } from "@/lib/db";
import { inScope, NO_POSTURE, posturesByKey, type CountRow, type Posture } from "@/lib/posture/read-model";

export interface RepositorySummary {
  targetKey: string;
  name: string;
  teamId: string | null;
  team: string | null;
  posture: Posture;
  lastScannedAt: Date | null;
  tools: string[];
}

export async function listRepositories(scope: Scope): Promise<RepositorySummary[]> {
  const scans = await db.$queryRaw<{ targetKey: string; name: string; teamId: string | null; team: string | null; lastScannedAt: Date; tools: string[] }[]>`
    SELECT s."targetKey", min(s."targetName") AS name, (array_agg(s."teamId" ORDER BY s."receivedAt" DESC))[1] AS "teamId",
      (array_agg(t.name ORDER BY s."receivedAt" DESC))[1] AS team, max(s."receivedAt") AS "lastScannedAt", array_agg(DISTINCT s.tool) AS tools
    FROM "Scan" s LEFT JOIN "Team" t ON t.id = s."teamId"
    WHERE s."targetKind" = 'artifact' AND ${inScope(scope, "s")}
    GROUP BY s."targetKey" ORDER BY 2 LIMIT 1000`;
  const keys = scans.map((s) => s.targetKey);
  const rows = keys.length
    ? await db.$queryRaw<CountRow[]>`
        SELECT c."targetKey" AS key, c.kind, c.severity, c.fixable, TRUE AS running, sum(c.open)::int AS open FROM "OpenFindingCount" c
        WHERE c."targetKey" = ANY(${keys}::text[]) AND c.open > 0 AND ${inScope(scope)} GROUP BY 1, 2, 3, 4`
    : [];
  const postures = posturesByKey(rows);
  return scans
    .map((s) => ({ ...s, posture: postures.get(s.targetKey) ?? NO_POSTURE }))
    .sort((a, b) => a.posture.score.value - b.posture.score.value || a.name.localeCompare(b.name));
}

