-- Database routines that Prisma migrations cannot hold (function bodies with semicolons).
-- lib/startup/routines.ts applies this file after the migrations whenever its content changes,
-- in one transaction, and then rebuilds the read model from the findings (so a changed
-- definition never leaves counts made by the old one).

-- The posture read model. One statement-level trigger per kind of change adds up what the
-- statement opened and closed and applies only the non-zero differences, in key order
-- (steady re-scans change nothing here, and concurrent writers lock rows in the same order).
CREATE OR REPLACE FUNCTION posture_read_model_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  cols text := '"targetKey", kind, severity, fixable, COALESCE("teamId", '''') AS team, COALESCE("namespaceId", '''') AS ns, "imageId", "clusterId", "vulnerabilityId"';
  open_rows text := ' WHERE status IN (''open'', ''in_progress'')';
  source text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    source := 'SELECT ' || cols || ', 1 AS d FROM new_rows' || open_rows;
  ELSIF TG_OP = 'DELETE' THEN
    source := 'SELECT ' || cols || ', -1 AS d FROM old_rows' || open_rows;
  ELSE
    source := 'SELECT ' || cols || ', 1 AS d FROM new_rows' || open_rows || ' UNION ALL SELECT ' || cols || ', -1 AS d FROM old_rows' || open_rows;
  END IF;
  EXECUTE 'WITH delta AS (' || source || ')
    INSERT INTO "OpenFindingCount" ("targetKey", kind, severity, fixable, "teamId", "namespaceId", "imageId", "clusterId", open)
    SELECT "targetKey", kind, severity, fixable, team, ns, max("imageId"), max("clusterId"), sum(d)
    FROM delta GROUP BY "targetKey", kind, severity, fixable, team, ns HAVING sum(d) <> 0
    ORDER BY "targetKey", kind, severity, fixable, team, ns
    ON CONFLICT ("targetKey", kind, severity, fixable, "teamId", "namespaceId")
    DO UPDATE SET open = "OpenFindingCount".open + EXCLUDED.open';
  EXECUTE 'WITH delta AS (' || source || ')
    INSERT INTO "OpenVulnerabilityCount" ("vulnerabilityId", "teamId", severity, fixable, active, open)
    SELECT delta."vulnerabilityId", counted.team, severity, fixable, img."retiredAt" IS NULL, sum(d)
    FROM delta LEFT JOIN "Image" img ON img.id = delta."imageId", LATERAL (VALUES (delta.team), (''*'')) AS counted(team)
    WHERE delta."vulnerabilityId" IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5 HAVING sum(d) <> 0
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ("vulnerabilityId", "teamId", severity, fixable, active)
    DO UPDATE SET open = "OpenVulnerabilityCount".open + EXCLUDED.open';
  RETURN NULL;
END
$fn$;

DROP TRIGGER IF EXISTS finding_read_model_insert ON "Finding";
CREATE TRIGGER finding_read_model_insert AFTER INSERT ON "Finding" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION posture_read_model_apply();
DROP TRIGGER IF EXISTS finding_read_model_update ON "Finding";
CREATE TRIGGER finding_read_model_update AFTER UPDATE ON "Finding" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION posture_read_model_apply();
DROP TRIGGER IF EXISTS finding_read_model_delete ON "Finding";
CREATE TRIGGER finding_read_model_delete AFTER DELETE ON "Finding" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION posture_read_model_apply();

-- Vulnerability counts are kept per team and once more for the whole organisation (team "*"),
-- so that "unique vulnerabilities" of everyone reads one row per vulnerability.
-- Retiring an image (or bringing it back) moves its vulnerabilities between active and retired.
-- A retired image that is deleted moves them back first, so that the deletion of its findings
-- (by cascade, after the image row is gone) subtracts them where they are.
CREATE OR REPLACE FUNCTION posture_image_retired() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  from_active boolean := OLD."retiredAt" IS NULL;
  to_active boolean := TG_OP = 'DELETE' OR NEW."retiredAt" IS NULL;
BEGIN
  WITH counts AS (
    SELECT "vulnerabilityId" AS vid, counted.team, severity, fixable, count(*)::int AS n
    FROM "Finding", LATERAL (VALUES (COALESCE("teamId", '')), ('*')) AS counted(team)
    WHERE "imageId" = OLD.id AND status IN ('open', 'in_progress') AND "vulnerabilityId" IS NOT NULL
    GROUP BY 1, 2, 3, 4),
  moves AS (
    SELECT vid, team, severity, fixable, from_active AS active, -n AS n FROM counts
    UNION ALL SELECT vid, team, severity, fixable, to_active, n FROM counts)
  INSERT INTO "OpenVulnerabilityCount" ("vulnerabilityId", "teamId", severity, fixable, active, open)
  SELECT vid, team, severity, fixable, active, sum(n) FROM moves GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT ("vulnerabilityId", "teamId", severity, fixable, active)
  DO UPDATE SET open = "OpenVulnerabilityCount".open + EXCLUDED.open;
  RETURN OLD;
END
$fn$;

DROP TRIGGER IF EXISTS image_retired ON "Image";
CREATE TRIGGER image_retired AFTER UPDATE OF "retiredAt" ON "Image" FOR EACH ROW
  WHEN ((OLD."retiredAt" IS NULL) IS DISTINCT FROM (NEW."retiredAt" IS NULL))
  EXECUTE FUNCTION posture_image_retired();
DROP TRIGGER IF EXISTS image_deleted ON "Image";
CREATE TRIGGER image_deleted BEFORE DELETE ON "Image" FOR EACH ROW
  WHEN (OLD."retiredAt" IS NOT NULL)
  EXECUTE FUNCTION posture_image_retired();


-- Rebuilds the read model from the findings: after this file changes, and after bulk loads that
-- ran with triggers off (the scale benchmark).
CREATE OR REPLACE FUNCTION posture_read_model_rebuild() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  TRUNCATE "OpenFindingCount", "OpenVulnerabilityCount";
  INSERT INTO "OpenFindingCount" ("targetKey", kind, severity, fixable, "teamId", "namespaceId", "imageId", "clusterId", open)
  SELECT "targetKey", kind, severity, fixable, COALESCE("teamId", ''), COALESCE("namespaceId", ''), max("imageId"), max("clusterId"), count(*)
  FROM "Finding" WHERE status IN ('open', 'in_progress') GROUP BY 1, 2, 3, 4, 5, 6;
  INSERT INTO "OpenVulnerabilityCount" ("vulnerabilityId", "teamId", severity, fixable, active, open)
  SELECT f."vulnerabilityId", counted.team, f.severity, f.fixable, img."retiredAt" IS NULL, count(*)
  FROM "Finding" f LEFT JOIN "Image" img ON img.id = f."imageId", LATERAL (VALUES (COALESCE(f."teamId", '')), ('*')) AS counted(team)
  WHERE f.status IN ('open', 'in_progress') AND f."vulnerabilityId" IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
END
$fn$;

SELECT posture_read_model_rebuild();
