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
  -- The merge's refresh of findings that are still present changes no counted column and says so,
  -- as does a new SLA's due dates ("due": the trend episodes keep those).
  IF current_setting('portcullis.read_model', true) IN ('unchanged', 'due') THEN
    RETURN NULL;
  END IF;
  -- Nothing counted changed (an upsert whose rows all existed, a runtime alert counted into its
  -- open finding): return before the dynamic statements, which are planned on every call and
  -- fire the image counts' triggers even when they write no row (5 ms of a 10-alert batch).
  -- (Nested: an expression is planned whole, and an INSERT trigger has no old_rows.)
  IF TG_OP = 'INSERT' THEN
    IF NOT EXISTS (SELECT 1 FROM new_rows WHERE status IN ('open', 'in_progress')) THEN
      RETURN NULL;
    END IF;
  ELSIF TG_OP = 'UPDATE' THEN
    IF NOT EXISTS (
      SELECT "targetKey", kind, severity, fixable, "teamId", "namespaceId", "imageId", "clusterId", "vulnerabilityId"
      FROM new_rows WHERE status IN ('open', 'in_progress')
      EXCEPT ALL
      SELECT "targetKey", kind, severity, fixable, "teamId", "namespaceId", "imageId", "clusterId", "vulnerabilityId"
      FROM old_rows WHERE status IN ('open', 'in_progress'))
    AND NOT EXISTS (
      SELECT "targetKey", kind, severity, fixable, "teamId", "namespaceId", "imageId", "clusterId", "vulnerabilityId"
      FROM old_rows WHERE status IN ('open', 'in_progress')
      EXCEPT ALL
      SELECT "targetKey", kind, severity, fixable, "teamId", "namespaceId", "imageId", "clusterId", "vulnerabilityId"
      FROM new_rows WHERE status IN ('open', 'in_progress')) THEN
      RETURN NULL;
    END IF;
  END IF;
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


-- The score of lib/posture/score.ts (SCORE_RULES) over one image's open counts: points per
-- finding by severity (critical 25, high 6, medium 1, low 0.25, unknown 0), half without a fix,
-- half again when the image runs nowhere, each severity capped (60, 24, 10, 6). The integration
-- test "scores images in SQL exactly as computeScore does" holds the two equal.
CREATE OR REPLACE FUNCTION posture_score(critical int, critical_fix int, high int, high_fix int, medium int, medium_fix int,
    low int, low_fix int, running boolean) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT GREATEST(0, LEAST(100, round(100 - (
      LEAST(25 * (critical_fix + 0.5 * (critical - critical_fix)) * f, 60)
    + LEAST(6 * (high_fix + 0.5 * (high - high_fix)) * f, 24)
    + LEAST(1 * (medium_fix + 0.5 * (medium - medium_fix)) * f, 10)
    + LEAST(0.25 * (low_fix + 0.5 * (low - low_fix)) * f, 6)))))::int
  FROM (SELECT CASE WHEN running THEN 1.0 ELSE 0.5 END AS f) AS factor
$fn$;

-- Recomputes the "ImagePosture" rows of some images from their count rows (a few each).
CREATE OR REPLACE FUNCTION posture_image_refresh(ids text[]) RETURNS void LANGUAGE sql AS $fn$
  INSERT INTO "ImagePosture" ("imageId", "teamId", critical, high, medium, low, unknown,
    "criticalFixable", "highFixable", "mediumFixable", "lowFixable", "unknownFixable", running, retired, score)
  SELECT x.id, x.team, x.c, x.h, x.m, x.l, x.u, x.cf, x.hf, x.mf, x.lf, x.uf, x.running, x.retired,
    posture_score(x.c, x.cf, x.h, x.hf, x.m, x.mf, x.l, x.lf, x.running)
  FROM (
    SELECT i.id, COALESCE(i."teamId", '') AS team, i."retiredAt" IS NOT NULL AS retired,
      EXISTS (SELECT 1 FROM "WorkloadImage" wi WHERE wi."imageId" = i.id) AS running,
      COALESCE(sum(c.open) FILTER (WHERE c.severity = 'critical'), 0)::int AS c,
      COALESCE(sum(c.open) FILTER (WHERE c.severity = 'high'), 0)::int AS h,
      COALESCE(sum(c.open) FILTER (WHERE c.severity = 'medium'), 0)::int AS m,
      COALESCE(sum(c.open) FILTER (WHERE c.severity = 'low'), 0)::int AS l,
      COALESCE(sum(c.open) FILTER (WHERE c.severity = 'unknown'), 0)::int AS u,
      COALESCE(sum(c.open) FILTER (WHERE c.severity = 'critical' AND c.fixable), 0)::int AS cf,
      COALESCE(sum(c.open) FILTER (WHERE c.severity = 'high' AND c.fixable), 0)::int AS hf,
      COALESCE(sum(c.open) FILTER (WHERE c.severity = 'medium' AND c.fixable), 0)::int AS mf,
      COALESCE(sum(c.open) FILTER (WHERE c.severity = 'low' AND c.fixable), 0)::int AS lf,
      COALESCE(sum(c.open) FILTER (WHERE c.severity = 'unknown' AND c.fixable), 0)::int AS uf
    FROM "Image" i LEFT JOIN "OpenFindingCount" c ON c."imageId" = i.id AND c.open > 0
    WHERE i.id = ANY(ids)
    GROUP BY i.id
    ORDER BY i.id) x
  ON CONFLICT ("imageId") DO UPDATE SET "teamId" = EXCLUDED."teamId", critical = EXCLUDED.critical, high = EXCLUDED.high,
    medium = EXCLUDED.medium, low = EXCLUDED.low, unknown = EXCLUDED.unknown, "criticalFixable" = EXCLUDED."criticalFixable",
    "highFixable" = EXCLUDED."highFixable", "mediumFixable" = EXCLUDED."mediumFixable", "lowFixable" = EXCLUDED."lowFixable",
    "unknownFixable" = EXCLUDED."unknownFixable", running = EXCLUDED.running, retired = EXCLUDED.retired, score = EXCLUDED.score
$fn$;

-- What changes an image's row: its count rows, what runs it, its retirement and its team.
CREATE OR REPLACE FUNCTION posture_image_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_TABLE_NAME = 'Image' THEN
    PERFORM posture_image_refresh(ARRAY[NEW.id]);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM posture_image_refresh(ARRAY(SELECT DISTINCT "imageId" FROM old_rows WHERE "imageId" IS NOT NULL));
  ELSE
    PERFORM posture_image_refresh(ARRAY(SELECT DISTINCT "imageId" FROM new_rows WHERE "imageId" IS NOT NULL));
  END IF;
  RETURN NULL;
END
$fn$;

DROP TRIGGER IF EXISTS image_posture_counts_insert ON "OpenFindingCount";
CREATE TRIGGER image_posture_counts_insert AFTER INSERT ON "OpenFindingCount" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION posture_image_changed();
DROP TRIGGER IF EXISTS image_posture_counts_update ON "OpenFindingCount";
CREATE TRIGGER image_posture_counts_update AFTER UPDATE ON "OpenFindingCount" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION posture_image_changed();
DROP TRIGGER IF EXISTS image_posture_running_insert ON "WorkloadImage";
CREATE TRIGGER image_posture_running_insert AFTER INSERT ON "WorkloadImage" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION posture_image_changed();
DROP TRIGGER IF EXISTS image_posture_running_delete ON "WorkloadImage";
CREATE TRIGGER image_posture_running_delete AFTER DELETE ON "WorkloadImage" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION posture_image_changed();
DROP TRIGGER IF EXISTS image_posture_image ON "Image";
CREATE TRIGGER image_posture_image AFTER INSERT OR UPDATE OF "retiredAt", "teamId" ON "Image" FOR EACH ROW
  EXECUTE FUNCTION posture_image_changed();

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
  PERFORM posture_image_refresh(ARRAY(SELECT id FROM "Image"));
END
$fn$;

SELECT posture_read_model_rebuild();
