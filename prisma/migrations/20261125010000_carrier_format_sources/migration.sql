-- A SARIF or CycloneDX report is a source of its own ("trivy (sarif)", lib/ingest/ingest-report.ts
-- findingSource), so that it never closes, as fixed, the findings of the scanner's own JSON of the
-- same target. Open findings that such a report alone vouched for when it last saw them get the
-- new label, so that the next report of that form still closes them when they are gone.
UPDATE "Finding" f SET "reportedBy" = ARRAY[s.tool || ' (' || s.format::text || ')']
FROM "Scan" s
WHERE s.id = COALESCE((SELECT g."lastScanId" FROM "FindingSighting" g WHERE g."findingId" = f.id), f."lastScanId")
  AND s.format::text IN ('sarif', 'cyclonedx') AND s.tool <> s.format::text
  AND f.status <> 'fixed' AND f."reportedBy" = ARRAY[s.tool];
