-- A SARIF or CycloneDX report is a source of its own ("trivy (sarif)", lib/ingest/ingest-report.ts
-- findingSource), so that it never closes, as fixed, the findings of the scanner's own JSON of the
-- same target. Open findings that such a report alone vouched for when it last saw them get the
-- new label, so that the next report of that form still closes them when they are gone.
-- (Joins, not a subquery per finding: one pass over the open findings.)
WITH last_seen AS (
  SELECT f.id, COALESCE(g."lastScanId", f."lastScanId") AS "scanId"
  FROM "Finding" f LEFT JOIN "FindingSighting" g ON g."findingId" = f.id
  WHERE f.status <> 'fixed' AND cardinality(f."reportedBy") = 1)
UPDATE "Finding" f SET "reportedBy" = ARRAY[s.tool || ' (' || s.format || ')']
FROM last_seen JOIN "Scan" s ON s.id = last_seen."scanId"
WHERE f.id = last_seen.id AND s.format IN ('sarif', 'cyclonedx') AND s.tool <> s.format AND f."reportedBy" = ARRAY[s.tool];
