// What approving a pending exception would do now: the open findings it would cover, by severity,
// and how many of them have a fix. Shown to the security lead who decides, next to the request.
import { db, prismaRun } from "@/lib/db";
import { COVERABLE, COVERS } from "@/lib/exceptions/coverage";
import { SEVERITIES, type Severity } from "@/lib/findings/model";

export interface ExceptionImpact {
  findings: number;
  bySeverity: Record<Severity, number>;
  fixable: number;
}

/**
 * The impact of each exception of `ids`, which must be pending (others count nothing). Two joins
 * instead of COVERS's OR, so each walks an index: the finding's id, or the rule id.
 */
export async function pendingImpact(ids: readonly string[]): Promise<Map<string, ExceptionImpact>> {
  const impact = new Map<string, ExceptionImpact>();
  if (ids.length === 0) return impact;
  const rows = (await prismaRun(db)(
    `WITH e AS (SELECT * FROM "RiskException" WHERE id = ANY($1::text[]) AND status = 'pending'),
     matched AS (
       SELECT e.id, f.severity, f.fixable FROM e JOIN "Finding" f ON f.id = e."findingId"
       WHERE ${COVERABLE}
       UNION ALL
       SELECT e.id, f.severity, f.fixable FROM e JOIN "Finding" f ON f."ruleId" = e."ruleId" AND e."findingId" IS NULL AND ${COVERS}
       WHERE ${COVERABLE})
     SELECT id, severity::text AS severity, count(*)::int AS n, count(*) FILTER (WHERE fixable)::int AS fixable FROM matched GROUP BY 1, 2`,
    [ids],
  )) as { id: string; severity: Severity; n: number; fixable: number }[];
  for (const id of ids) impact.set(id, { findings: 0, bySeverity: Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>, fixable: 0 });
  for (const r of rows) {
    const i = impact.get(r.id)!;
    i.findings += r.n;
    i.bySeverity[r.severity] += r.n;
    i.fixable += r.fixable;
  }
  return impact;
}
