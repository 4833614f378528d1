// The vulnerability catalogue: what reports say about a vulnerability id (severity, CVSS, title,
// description, references). Entries are kept per writer scope: an org-wide token writes the ""
// scope, a team-bound token its team's, a cluster-bound token its cluster's; a finding points at
// the entry of the scan that last saw it. So no team's report can change what another team reads.
import { copyRows, pgArray, type Sql } from "@/lib/sql";
import type { TokenBinding } from "@/lib/authz/policy";
import type { NormalisedFinding, VulnerabilityRecord } from "@/lib/findings/model";
import { storedReferences } from "@/lib/findings/text";

export function catalogueScope(binding: TokenBinding): string {
  if (binding.teamId) return `team:${binding.teamId}`;
  if (binding.clusterId) return `cluster:${binding.clusterId}`;
  return "";
}

/** The entry's primary key: the id itself for the org-wide scope (so existing rows keep theirs). */
export function catalogueKey(id: string, scope: string): string {
  return scope ? `${id}@${scope}` : id;
}

const COLUMNS = ["key", "id", "scope", "aliases", "severity", "cvssScore", "cvssVector", "cvssVersion", "title", "description", "cwes", "references", "publishedAt", "modifiedAt"] as const;

/**
 * New entries are added; known ones are rewritten only when the scanner says something new.
 * Rows are written in key order, so two reports sharing new ids cannot deadlock on them.
 */
export async function upsertVulnerabilityCatalogue(sql: Sql, findings: readonly NormalisedFinding[], scope: string): Promise<void> {
  const byKey = new Map<string, VulnerabilityRecord>();
  for (const f of findings) {
    if (!f.vulnerability) continue;
    const key = catalogueKey(f.vulnerability.id, scope);
    if (!byKey.has(key)) byKey.set(key, f.vulnerability);
  }
  if (byKey.size === 0) return;
  const changed = await withoutKnown(sql, byKey);
  if (changed.length === 0) return;
  await sql.query(`DROP TABLE IF EXISTS incoming_vulnerability`);
  await sql.query(
    `CREATE TEMP TABLE incoming_vulnerability (key text, id text, scope text, aliases text[], severity text, "cvssScore" float8, "cvssVector" text,
       "cvssVersion" text, title text, description text, cwes text[], "references" text[], "publishedAt" timestamptz, "modifiedAt" timestamptz) ON COMMIT DROP`,
  );
  await copyRows(
    sql,
    "incoming_vulnerability",
    COLUMNS,
    changed.map(([key, v]) => [key, v.id, scope, pgArray(v.aliases), v.severity, v.cvssScore, v.cvssVector, v.cvssVersion, v.title, v.description, pgArray(v.cwes), pgArray(storedReferences(v.references)), v.publishedAt, v.modifiedAt]),
  );
  await sql.query(`
    INSERT INTO "Vulnerability" (key, id, scope, aliases, severity, "cvssScore", "cvssVector", "cvssVersion", title, description, cwes, "references", "publishedAt", "modifiedAt", "updatedAt")
    SELECT key, id, scope, aliases, severity::"Severity", "cvssScore", "cvssVector", "cvssVersion", title, description, cwes, "references", "publishedAt", "modifiedAt", now()
    FROM incoming_vulnerability
    ORDER BY key
    ON CONFLICT (key) DO UPDATE SET
      aliases = ARRAY(SELECT DISTINCT unnest("Vulnerability".aliases || EXCLUDED.aliases)),
      severity = EXCLUDED.severity,
      "cvssScore" = COALESCE(EXCLUDED."cvssScore", "Vulnerability"."cvssScore"),
      "cvssVector" = COALESCE(EXCLUDED."cvssVector", "Vulnerability"."cvssVector"),
      "cvssVersion" = COALESCE(EXCLUDED."cvssVersion", "Vulnerability"."cvssVersion"),
      title = COALESCE(EXCLUDED.title, "Vulnerability".title),
      description = COALESCE(EXCLUDED.description, "Vulnerability".description),
      cwes = CASE WHEN cardinality(EXCLUDED.cwes) > 0 THEN EXCLUDED.cwes ELSE "Vulnerability".cwes END,
      "references" = CASE WHEN cardinality(EXCLUDED."references") > 0 THEN EXCLUDED."references" ELSE "Vulnerability"."references" END,
      "publishedAt" = COALESCE(EXCLUDED."publishedAt", "Vulnerability"."publishedAt"),
      "modifiedAt" = COALESCE(EXCLUDED."modifiedAt", "Vulnerability"."modifiedAt"),
      "updatedAt" = now()
    WHERE NOT ("Vulnerability".aliases @> EXCLUDED.aliases)
       OR "Vulnerability".severity IS DISTINCT FROM EXCLUDED.severity
       OR "Vulnerability"."cvssScore" IS DISTINCT FROM COALESCE(EXCLUDED."cvssScore", "Vulnerability"."cvssScore")
       OR "Vulnerability".title IS DISTINCT FROM COALESCE(EXCLUDED.title, "Vulnerability".title)
       OR "Vulnerability".description IS DISTINCT FROM COALESCE(EXCLUDED.description, "Vulnerability".description)
       OR "Vulnerability"."modifiedAt" IS DISTINCT FROM COALESCE(EXCLUDED."modifiedAt", "Vulnerability"."modifiedAt")`);
}

/** Most ids of a report are already catalogued with the same data: skip those before COPYing. */
async function withoutKnown(sql: Sql, byKey: Map<string, VulnerabilityRecord>): Promise<[string, VulnerabilityRecord][]> {
  const { rows } = await sql.query<{ key: string; severity: string; cvssScore: number | null; modifiedAt: Date | null; aliases: string[]; gaps: boolean }>(
    `SELECT key, severity, "cvssScore", "modifiedAt", aliases, (title IS NULL OR description IS NULL) AS gaps
     FROM "Vulnerability" WHERE key = ANY($1::text[])`,
    [[...byKey.keys()]],
  );
  const known = new Map(rows.map((r) => [r.key, r]));
  return [...byKey.entries()].filter(([key, v]) => {
    const k = known.get(key);
    if (!k) return true;
    return (
      k.severity !== v.severity ||
      (v.cvssScore !== null && k.cvssScore !== v.cvssScore) ||
      (v.modifiedAt !== null && k.modifiedAt?.getTime() !== v.modifiedAt.getTime()) ||
      v.aliases.some((a) => !k.aliases.includes(a)) ||
      (k.gaps && (v.title !== null || v.description !== null))
    );
  });
}
