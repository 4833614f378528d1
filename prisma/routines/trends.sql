-- Trend history (lib/reports). Applied by lib/startup/routines.ts after the migrations whenever
-- this file changes; it back-fills episodes and periods when they are empty, and rebuilds the
-- daily rollups.

-- ---------------------------------------------------------------- today's rollups: what a change adds
-- An episode as it counts for the rollups: with its finding's team, cluster, image, severity and
-- kind, whether it is the finding's first, when the next one opened; `sign` -1 takes it away.
-- With a period, it counts for that cluster only (an image placed in or gone from a cluster).
DROP TYPE IF EXISTS rollup_episode CASCADE;
CREATE TYPE rollup_episode AS (
  sign int, team text, own_cluster text, image_id text, severity "Severity", kind "FindingKind", fs timestamp,
  oa timestamp, ca timestamp, cas "FindingStatus", reopened boolean, due timestamp, next_open timestamp, first boolean,
  period_cluster text, period_from timestamp, period_to timestamp);

-- ---------------------------------------------------------------- finding episodes
-- One row per stretch of a finding being open. Statement-level, like the read model: a closing
-- status ends the open episode (with the status and the due date it had), a reopening starts a new
-- one (marked `reopened` when it comes back after a fix). The merge's refresh of present findings
-- changes no status and says so.
CREATE OR REPLACE FUNCTION finding_episodes_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  moved jsonb;
  eps rollup_episode[];
BEGIN
  IF current_setting('portcullis.read_model', true) = 'unchanged' THEN
    RETURN NULL;
  END IF;
  -- Nothing that episodes or rollups hold changed (an upsert whose rows all existed; a runtime
  -- alert counted into its open finding): return before the statements below.
  IF TG_OP = 'INSERT' AND NOT EXISTS (SELECT 1 FROM new_rows) THEN
    RETURN NULL;
  END IF;
  -- (Nested: an expression is planned whole, and an INSERT trigger has no old_rows.)
  IF TG_OP = 'UPDATE' THEN
    IF NOT EXISTS (
      SELECT id, status, "dueAt", "statusChangedAt", "fixedAt", "teamId", "clusterId", "imageId", severity, kind FROM new_rows
      EXCEPT ALL
      SELECT id, status, "dueAt", "statusChangedAt", "fixedAt", "teamId", "clusterId", "imageId", severity, kind FROM old_rows) THEN
      RETURN NULL;
    END IF;
  END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "FindingEpisode" ("findingId", "openedAt", "closedAt", "closedAs", reopened, "dueAt")
    SELECT n.id, n."firstSeenAt",
      CASE WHEN n.status IN ('open', 'in_progress') THEN NULL ELSE GREATEST(n."firstSeenAt", COALESCE(n."fixedAt", n."statusChangedAt")) END,
      CASE WHEN n.status IN ('open', 'in_progress') THEN NULL ELSE n.status END,
      false, n."dueAt"
    FROM new_rows n ORDER BY n.id;
    -- Today's rollups: each new finding's episode is its first (alike ones counted together).
    SELECT array_agg(ROW(g.n, g.team, g."clusterId", g."imageId", g.severity, g.kind, g."firstSeenAt", g."firstSeenAt", g.ca, g.cas, false, g."dueAt",
      NULL, true, NULL, NULL, NULL)::rollup_episode)
    INTO eps
    FROM (
      SELECT count(*)::int AS n, COALESCE(n."teamId", '') AS team, n."clusterId", n."imageId", n.severity, n.kind, n."firstSeenAt", n."dueAt",
        CASE WHEN n.status IN ('open', 'in_progress') THEN NULL ELSE GREATEST(n."firstSeenAt", COALESCE(n."fixedAt", n."statusChangedAt")) END AS ca,
        CASE WHEN n.status IN ('open', 'in_progress') THEN NULL ELSE n.status END AS cas
      FROM new_rows n GROUP BY 2, 3, 4, 5, 6, 7, 8, 9, 10) g;
    PERFORM posture_today_apply(eps);
    RETURN NULL;
  END IF;
  -- A finding that changed team, severity or place (a rescan's new severity, an ownership rule):
  -- today's rollups move all its episodes from the old group to the new one, as a rebuild counts a
  -- finding's whole history where it is now. Done before its episodes change below.
  SELECT jsonb_agg(jsonb_build_object('sign', g.sign, 'id', g.id, 'team', g.team, 'cluster', g.cluster, 'image', g.image, 'severity', g.severity, 'kind', g.kind))
  INTO moved
  FROM (
    SELECT -1 AS sign, id, COALESCE("teamId", '') AS team, "clusterId" AS cluster, "imageId" AS image, severity, kind FROM old_rows
    UNION ALL
    SELECT 1, id, COALESCE("teamId", ''), "clusterId", "imageId", severity, kind FROM new_rows) g
  WHERE g.id IN (
    SELECT u.id FROM (
      SELECT id, COALESCE("teamId", '') AS team, "clusterId", "imageId", severity, kind FROM old_rows
      UNION
      SELECT id, COALESCE("teamId", ''), "clusterId", "imageId", severity, kind FROM new_rows) u
    GROUP BY u.id HAVING count(*) > 1);
  IF moved IS NOT NULL THEN
    PERFORM posture_today_apply(rollup_episodes_of(moved));
  END IF;
  -- Old and new rows are paired by grouping, never by joining the two transition tables (the
  -- planner knows nothing of their size, and a nested loop over a bulk update of 10,000 rows took
  -- a minute); only the findings whose openness or due date changed reach the episodes' index.
  -- Each change of an episode also says what it takes from and adds to today's rollups (the
  -- episode before and after), with the finding's groups as they are now.
  WITH sides AS (
    SELECT id, true AS before_change, status IN ('open', 'in_progress') AS open, status, "dueAt", "statusChangedAt", "fixedAt",
      NULL::text AS team, NULL::text AS cluster, NULL::text AS image, NULL::"Severity" AS severity, NULL::"FindingKind" AS kind, NULL::timestamp AS fs FROM old_rows
    UNION ALL
    SELECT id, false, status IN ('open', 'in_progress'), status, "dueAt", "statusChangedAt", "fixedAt",
      COALESCE("teamId", ''), "clusterId", "imageId", severity, kind, "firstSeenAt" FROM new_rows),
  pairs AS MATERIALIZED (
    SELECT id, bool_or(open) FILTER (WHERE before_change) AS was_open, bool_or(open) FILTER (WHERE NOT before_change) AS is_open,
      (array_agg(status) FILTER (WHERE NOT before_change))[1] AS status, (array_agg(status) FILTER (WHERE before_change))[1] AS old_status,
      (array_agg("dueAt") FILTER (WHERE before_change))[1] AS old_due,
      (array_agg("dueAt") FILTER (WHERE NOT before_change))[1] AS new_due, (array_agg("statusChangedAt") FILTER (WHERE NOT before_change))[1] AS changed_at,
      (array_agg("fixedAt") FILTER (WHERE NOT before_change))[1] AS fixed_at,
      max(team) AS team, max(cluster) AS cluster, max(image) AS image, max(severity) AS severity, max(kind) AS kind, max(fs) AS fs
    FROM sides GROUP BY id
    HAVING bool_or(open) FILTER (WHERE before_change) IS DISTINCT FROM bool_or(open) FILTER (WHERE NOT before_change)
      OR (bool_and(open) AND (array_agg("dueAt") FILTER (WHERE before_change))[1] IS DISTINCT FROM (array_agg("dueAt") FILTER (WHERE NOT before_change))[1])),
  closed AS (
    UPDATE "FindingEpisode" e
    SET "closedAt" = GREATEST(e."openedAt", CASE WHEN p.status = 'fixed' THEN COALESCE(p.fixed_at, p.changed_at) ELSE p.changed_at END),
        "closedAs" = p.status, "dueAt" = p.old_due
    FROM pairs p WHERE e."findingId" = p.id AND e."closedAt" IS NULL AND p.was_open AND NOT p.is_open
    RETURNING e."openedAt", e."closedAt", e."closedAs", e.reopened, e."dueAt", p.team, p.cluster, p.image, p.severity, p.kind, p.fs),
  due AS (
    UPDATE "FindingEpisode" e SET "dueAt" = p.new_due
    FROM pairs p WHERE e."findingId" = p.id AND e."closedAt" IS NULL AND p.was_open AND p.is_open
    RETURNING e."openedAt", e.reopened, p.old_due, p.new_due, p.team, p.cluster, p.image, p.severity, p.kind, p.fs),
  opened AS (
    INSERT INTO "FindingEpisode" ("findingId", "openedAt", reopened, "dueAt")
    SELECT p.id, p.changed_at, p.old_status = 'fixed', p.new_due
    FROM pairs p
    WHERE NOT p.was_open AND p.is_open
    ORDER BY p.id
    RETURNING 1),
  -- The episode a reopening follows: its accepted stretch ends, and its fix is no longer the final one.
  previous AS (
    SELECT q.*, p.changed_at AS next_open, p.team, p.cluster, p.image, p.severity, p.kind, p.fs
    FROM pairs p
    CROSS JOIN LATERAL (
      SELECT x."openedAt", x."closedAt", x."closedAs", x.reopened, x."dueAt" FROM "FindingEpisode" x
      WHERE x."findingId" = p.id ORDER BY x."openedAt" DESC, x.id DESC LIMIT 1) q
    WHERE NOT p.was_open AND p.is_open),
  changes AS (
    SELECT -1 AS sign, "openedAt" AS oa, NULL::timestamp AS ca, NULL::"FindingStatus" AS cas, reopened, "dueAt" AS due, NULL::timestamp AS next_open, team, cluster, image, severity, kind, fs FROM closed
    UNION ALL SELECT 1, "openedAt", "closedAt", "closedAs", reopened, "dueAt", NULL, team, cluster, image, severity, kind, fs FROM closed
    UNION ALL SELECT -1, "openedAt", NULL, NULL, reopened, old_due, NULL, team, cluster, image, severity, kind, fs FROM due
    UNION ALL SELECT 1, "openedAt", NULL, NULL, reopened, new_due, NULL, team, cluster, image, severity, kind, fs FROM due
    UNION ALL SELECT 1, p.changed_at, NULL, NULL, p.old_status = 'fixed', p.new_due, NULL, team, cluster, image, severity, kind, fs FROM pairs p WHERE NOT p.was_open AND p.is_open
    UNION ALL SELECT -1, "openedAt", "closedAt", "closedAs", reopened, "dueAt", NULL, team, cluster, image, severity, kind, fs FROM previous
    UNION ALL SELECT 1, "openedAt", "closedAt", "closedAs", reopened, "dueAt", next_open, team, cluster, image, severity, kind, fs FROM previous)
  SELECT array_agg(ROW(c.sign, c.team, c.cluster, c.image, c.severity, c.kind, c.fs, c.oa, c.ca, c.cas, c.reopened, c.due, c.next_open,
    -- "first" only counts a finding as new on the day it opened: each episode here is taken away
    -- and added back with the same opening (its "new" cancels out), or is a reopening, never new
    false, NULL, NULL, NULL)::rollup_episode)
  INTO eps
  FROM changes c;
  PERFORM posture_today_apply(eps);
  RETURN NULL;
END
$fn$;

-- A finding's episodes go with it (the table has no foreign key to cascade).
CREATE OR REPLACE FUNCTION finding_episodes_delete() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  DELETE FROM "FindingEpisode" WHERE "findingId" IN (SELECT id FROM old_rows);
  RETURN NULL;
END
$fn$;

DROP TRIGGER IF EXISTS finding_episodes_delete ON "Finding";
CREATE TRIGGER finding_episodes_delete AFTER DELETE ON "Finding" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION finding_episodes_delete();
DROP TRIGGER IF EXISTS finding_episodes_insert ON "Finding";
CREATE TRIGGER finding_episodes_insert AFTER INSERT ON "Finding" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION finding_episodes_apply();
DROP TRIGGER IF EXISTS finding_episodes_update ON "Finding";
CREATE TRIGGER finding_episodes_update AFTER UPDATE ON "Finding" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION finding_episodes_apply();

-- Episodes from a finding's history: its first sighting, then each status its events recorded;
-- a run of open statuses is one episode. The current status has the last word (a change made
-- without an event still counts). Used to back-fill, and by the tests as the independent account.
CREATE OR REPLACE FUNCTION finding_episodes_from_events() RETURNS TABLE ("findingId" text, "openedAt" timestamp, "closedAt" timestamp, "closedAs" "FindingStatus", reopened boolean, "dueAt" timestamp)
LANGUAGE sql STABLE AS $fn$
  WITH steps AS (
    SELECT f.id AS fid, f."firstSeenAt" AS at, 0 AS ord, 'open'::"FindingStatus" AS st, NULL::timestamp AS fixed_at FROM "Finding" f
    UNION ALL
    SELECT e."findingId", e.at, e.id, e."toStatus", NULL FROM "FindingEvent" e WHERE e."toStatus" IS NOT NULL
    UNION ALL
    -- the current status, at the time it was set
    SELECT f.id, f."statusChangedAt", 9223372036854775807, f.status, f."fixedAt" FROM "Finding" f),
  marked AS (
    SELECT fid, at, ord, st, fixed_at, st IN ('open', 'in_progress') AS is_open,
      lag(st IN ('open', 'in_progress')) OVER w AS was_open, lag(st) OVER w AS prev
    FROM steps WINDOW w AS (PARTITION BY fid ORDER BY at, ord)),
  changes AS (
    SELECT fid, at, st, fixed_at, is_open, prev, lead(at) OVER w AS next_at, lead(st) OVER w AS next_st, lead(fixed_at) OVER w AS next_fixed
    FROM marked WHERE was_open IS NULL OR is_open <> was_open
    WINDOW w AS (PARTITION BY fid ORDER BY at))
  SELECT c.fid, c.at, CASE WHEN c.next_at IS NOT NULL THEN GREATEST(c.at, CASE WHEN c.next_st = 'fixed' THEN COALESCE(c.next_fixed, c.next_at) ELSE c.next_at END) END, c.next_st,
    COALESCE(c.prev = 'fixed', false), CASE WHEN c.next_at IS NULL THEN f."dueAt" ELSE NULL END
  FROM changes c JOIN "Finding" f ON f.id = c.fid
  WHERE c.is_open
$fn$;

-- ---------------------------------------------------------------- where images ran, and when
CREATE UNIQUE INDEX IF NOT EXISTS image_cluster_period_open ON "ImageClusterPeriod" ("imageId", "clusterId") WHERE "toAt" IS NULL;

-- A period starts when a report first places the image in the cluster and ends with the report
-- that no longer does (ingest names its time in portcullis.now; a report may be back-dated).
CREATE OR REPLACE FUNCTION image_cluster_periods_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  at timestamp := COALESCE(NULLIF(current_setting('portcullis.now', true), '')::timestamp, now() AT TIME ZONE 'UTC');
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "ImageClusterPeriod" ("imageId", "clusterId", "fromAt")
    SELECT n."imageId", ns."clusterId", min(n."firstSeenAt")
    FROM new_rows n JOIN "Workload" w ON w.id = n."workloadId" JOIN "Namespace" ns ON ns.id = w."namespaceId"
    GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT ("imageId", "clusterId") WHERE "toAt" IS NULL DO NOTHING;
  ELSE
    UPDATE "ImageClusterPeriod" p SET "toAt" = GREATEST(p."fromAt", at)
    WHERE p."toAt" IS NULL AND p."imageId" IN (SELECT "imageId" FROM old_rows)
      AND NOT EXISTS (
        SELECT 1 FROM "WorkloadImage" wi JOIN "Workload" w ON w.id = wi."workloadId" JOIN "Namespace" ns ON ns.id = w."namespaceId"
        WHERE wi."imageId" = p."imageId" AND ns."clusterId" = p."clusterId");
  END IF;
  RETURN NULL;
END
$fn$;

DROP TRIGGER IF EXISTS image_cluster_periods_insert ON "WorkloadImage";
CREATE TRIGGER image_cluster_periods_insert AFTER INSERT ON "WorkloadImage" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION image_cluster_periods_apply();
DROP TRIGGER IF EXISTS image_cluster_periods_delete ON "WorkloadImage";
CREATE TRIGGER image_cluster_periods_delete AFTER DELETE ON "WorkloadImage" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION image_cluster_periods_apply();

-- ---------------------------------------------------------------- what an episode counts
-- One definition of what a piece (an episode within a cluster's period [pf, pt)) counts, used by
-- the rebuild and by each transaction's additions. Stocks are intervals [a, b): the piece counts
-- at the end of each day from a's to the one before b's. Flows count on the day of `at`; 'ttr'
-- is a final fix, with its whole days from first seen.
CREATE OR REPLACE FUNCTION rollup_intervals(oa timestamp, ca timestamp, cas "FindingStatus", due timestamp, next_open timestamp, fs timestamp, pf timestamp, pt timestamp)
RETURNS TABLE (series text, a timestamp, b timestamp) LANGUAGE sql IMMUTABLE AS $fn$
  SELECT s.series, s.a, s.b
  FROM (VALUES
    ('open', GREATEST(oa, pf), LEAST(COALESCE(ca, 'infinity'::timestamp), pt)),
    ('breached', GREATEST(oa, pf, due), CASE WHEN due IS NULL THEN '-infinity'::timestamp ELSE LEAST(COALESCE(ca, 'infinity'::timestamp), pt) END),
    ('atRisk', GREATEST(oa, pf, due - interval '7 days'), CASE WHEN due IS NULL THEN '-infinity'::timestamp ELSE LEAST(COALESCE(ca, 'infinity'::timestamp), pt, due) END),
    ('age30', GREATEST(oa, pf, fs + interval '30 days'), LEAST(COALESCE(ca, 'infinity'::timestamp), pt)),
    ('age60', GREATEST(oa, pf, fs + interval '60 days'), LEAST(COALESCE(ca, 'infinity'::timestamp), pt)),
    ('age90', GREATEST(oa, pf, fs + interval '90 days'), LEAST(COALESCE(ca, 'infinity'::timestamp), pt)),
    ('accepted', GREATEST(ca, pf), CASE WHEN cas = 'risk_accepted' THEN LEAST(COALESCE(next_open, 'infinity'::timestamp), pt) ELSE '-infinity'::timestamp END)
  ) AS s(series, a, b)
  WHERE s.a < s.b
$fn$;

CREATE OR REPLACE FUNCTION rollup_flows(oa timestamp, ca timestamp, cas "FindingStatus", reopened boolean, due timestamp,
  next_open timestamp, first boolean, fs timestamp, pf timestamp, pt timestamp)
RETURNS TABLE (series text, at timestamp, days int) LANGUAGE sql IMMUTABLE AS $fn$
  SELECT f.series, f.at, f.days
  FROM (VALUES
    ('new', first AND oa >= pf AND oa < pt, oa, NULL::int),
    ('reopened', reopened AND oa >= pf AND oa < pt, oa, NULL),
    ('fixed', cas = 'fixed' AND ca >= pf AND ca < pt, ca, NULL),
    ('fixedWithDue', cas = 'fixed' AND due IS NOT NULL AND ca >= pf AND ca < pt, ca, NULL),
    ('fixedOnTime', cas = 'fixed' AND ca <= due AND ca >= pf AND ca < pt, ca, NULL),
    ('closedOther', cas IN ('false_positive', 'not_affected') AND ca >= pf AND ca < pt, ca, NULL),
    ('acceptedNew', cas = 'risk_accepted' AND ca >= pf AND ca < pt, ca, NULL),
    ('ttr', cas = 'fixed' AND next_open IS NULL AND ca >= pf AND ca < pt, ca, LEAST(floor(extract(epoch FROM ca - fs) / 86400)::int, 3650))
  ) AS f(series, hit, at, days)
  WHERE f.hit
$fn$;

-- ---------------------------------------------------------------- daily rollups
-- The last day the rollups have rows for (tomorrow, after a rebuild today); null before the first.
CREATE OR REPLACE FUNCTION rollups_built_through() RETURNS date LANGUAGE sql STABLE AS $fn$
  SELECT (value #>> '{}')::date FROM "Setting" WHERE key = 'rollups.builtThrough'
$fn$;

-- Rebuilds "PostureDaily" and "FixDurationDaily" from `from_day` (NULL: all history) to
-- tomorrow, whose stock is what today's turns into at midnight; an incremental run starts from the
-- stored day before `from_day`, and the nightly run rebuilds everything, so a due date moved after
-- the fact cannot leave a drift. Each episode becomes intervals (open; past due; due within 7 days;
-- older than 30, 60, 90 days; and the risk-accepted stretch after it), clipped to the periods its
-- image ran in a cluster for the cluster rows. An interval adds 1 on the day it starts and takes 1
-- away on the day it ends, so what is open at the end of a day is the running sum.
-- Flows (new, reopened, fixed, …) count on the day they happened. Time to remediate counts final
-- fixes only (a fix followed by a reopening is not one): an old fix whose finding reopens leaves
-- the histogram at the next full (nightly) run.
CREATE OR REPLACE FUNCTION posture_daily_rebuild(from_day date) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  today date := (now() AT TIME ZONE 'UTC')::date;
  built date := rollups_built_through();
BEGIN
  -- One rebuild at a time.
  PERFORM pg_advisory_xact_lock(hashtext('posture_daily_rebuild_run'));
  IF from_day IS NULL OR built IS NULL THEN
    -- All history before today, while transactions go on adding to today's rows (they touch no other).
    PERFORM posture_daily_build(NULL, today - 1, false);
    from_day := today;
  ELSE
    -- After a stop of more than a day, from the last day the rows were kept for.
    from_day := LEAST(from_day, built);
  END IF;
  IF built >= today THEN
    -- Transactions are adding what they change to today's and tomorrow's rows as this runs: the
    -- rows are rebuilt from one snapshot and the rebuild adds only where it differs from what that
    -- snapshot stored, so changes committed meanwhile keep their counts and nobody waits for it
    -- (holding ingests for the whole rebuild stalled them for 90 s at a soak's minute 5).
    PERFORM posture_daily_build(from_day, today + 1, true);
  ELSE
    -- Transactions count nothing until the rows are built through today (a first build, or a
    -- stop of more than a day). They take this lock shared to check, so the rows are replaced
    -- while none is in flight, and those that follow find them built.
    PERFORM pg_advisory_xact_lock(hashtext('posture_daily_rebuild'));
    PERFORM posture_daily_build(from_day, today + 1, false);
  END IF;
  INSERT INTO "Setting" (key, value, "updatedAt") VALUES ('rollups.builtThrough', to_jsonb((today + 1)::text), now())
  ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, "updatedAt" = now() WHERE "Setting".value IS DISTINCT FROM EXCLUDED.value;
END
$fn$;

-- Rebuilds the days from from_day (NULL: from the first episode, everything before it removed) to
-- last_day, starting from the stored stock of the day before. `additive`: add the difference
-- between the rebuilt rows and the stored ones, as read in the same snapshot, instead of
-- replacing the rows (see posture_daily_rebuild).
DROP FUNCTION IF EXISTS posture_daily_build(date, date);
CREATE OR REPLACE FUNCTION posture_daily_build(from_day date, last_day date, additive boolean) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  whole boolean := from_day IS NULL;
  first_day date := COALESCE(from_day, (SELECT min("openedAt")::date FROM "FindingEpisode"));
BEGIN
  IF first_day IS NULL OR first_day > last_day THEN
    IF NOT additive THEN
      DELETE FROM "PostureDaily" WHERE day <= last_day AND (whole OR day >= from_day);
      DELETE FROM "FixDurationDaily" WHERE day <= last_day AND (whole OR day >= from_day);
    END IF;
    RETURN;
  END IF;

  -- DROP first: a rebuild of all history runs this twice in one transaction.
  DROP TABLE IF EXISTS rollup_piece, rollup_stored, rollup_stored_fixes, rollup_delta, rollup_rows, rollup_fixes;
  CREATE TEMP TABLE rollup_piece (oa timestamp, ca timestamp, cas "FindingStatus", reopened boolean, due timestamp, next_open timestamp, first boolean,
    team text, own_cluster text, "imageId" text, severity "Severity", kind "FindingKind", fs timestamp, cl text, pf timestamp, pt timestamp) ON COMMIT DROP;
  CREATE TEMP TABLE rollup_stored (LIKE "PostureDaily") ON COMMIT DROP;
  CREATE TEMP TABLE rollup_stored_fixes (LIKE "FixDurationDaily") ON COMMIT DROP;

  -- One statement, so one snapshot: the episodes and the rows stored from them (the day before
  -- first_day: the stock to start from) are read as of the same moment.
  WITH stored AS (
    INSERT INTO rollup_stored SELECT * FROM "PostureDaily" WHERE NOT whole AND day BETWEEN first_day - 1 AND last_day
    RETURNING 1),
  stored_fixes AS (
    INSERT INTO rollup_stored_fixes SELECT * FROM "FixDurationDaily" WHERE additive AND day BETWEEN first_day AND last_day
    RETURNING 1),
  -- An incremental run needs only the findings whose counts can change on a day it rebuilds: an
  -- episode with a boundary (opened, closed, due or due within 7 days, 30/60/90 days old) in its
  -- days or after (closings), or an image that started or stopped running somewhere since.
  candidates AS (
    SELECT e."findingId" AS id FROM "FindingEpisode" e JOIN "Finding" f ON f.id = e."findingId"
    WHERE NOT whole AND (e."openedAt" >= first_day OR e."closedAt" >= first_day
      OR (e."closedAt" IS NULL AND (
        (e."dueAt" >= first_day AND e."dueAt" < last_day + 8)
        OR (f."firstSeenAt" + interval '30 days' >= first_day AND f."firstSeenAt" + interval '30 days' < last_day + 1)
        OR (f."firstSeenAt" + interval '60 days' >= first_day AND f."firstSeenAt" + interval '60 days' < last_day + 1)
        OR (f."firstSeenAt" + interval '90 days' >= first_day AND f."firstSeenAt" + interval '90 days' < last_day + 1))))
    UNION
    SELECT f.id FROM "Finding" f
    WHERE NOT whole AND f."imageId" IN (SELECT "imageId" FROM "ImageClusterPeriod" WHERE "fromAt" >= first_day OR "toAt" >= first_day)),
  ep AS (
    SELECT e."openedAt" AS oa, e."closedAt" AS ca, e."closedAs" AS cas, e.reopened, e."dueAt" AS due,
      lead(e."openedAt") OVER (PARTITION BY e."findingId" ORDER BY e."openedAt", e.id) AS next_open,
      row_number() OVER (PARTITION BY e."findingId" ORDER BY e."openedAt", e.id) = 1 AS first,
      COALESCE(f."teamId", '') AS team, f."clusterId" AS own_cluster, f."imageId", f.severity, f.kind, f."firstSeenAt" AS fs
    FROM "FindingEpisode" e JOIN "Finding" f ON f.id = e."findingId"
    WHERE whole OR e."findingId" IN (SELECT id FROM candidates))
  INSERT INTO rollup_piece
  SELECT ep.*, '', '-infinity'::timestamp, 'infinity'::timestamp FROM ep
  UNION ALL
  SELECT ep.*, ep.own_cluster, '-infinity'::timestamp, 'infinity'::timestamp FROM ep WHERE ep.own_cluster IS NOT NULL
  UNION ALL
  SELECT ep.*, p."clusterId", p."fromAt", COALESCE(p."toAt", 'infinity'::timestamp)
  FROM ep JOIN "ImageClusterPeriod" p ON p."imageId" = ep."imageId";

  CREATE TEMP TABLE rollup_delta ON COMMIT DROP AS
  WITH intervals AS (
    SELECT team, cl, severity, kind, i.series, i.a, i.b
    FROM rollup_piece, LATERAL rollup_intervals(oa, ca, cas, due, next_open, fs, pf, pt) i),
  steps AS (
    SELECT team, cl, severity, kind, series, a::date AS day, 1 AS d FROM intervals
    UNION ALL
    SELECT team, cl, severity, kind, series, b::date, -1 FROM intervals WHERE b <> 'infinity'::timestamp),
  flows AS (
    SELECT team, cl, severity, kind, f.at::date AS day, f.series, 1 AS d
    FROM rollup_piece, LATERAL rollup_flows(oa, ca, cas, reopened, due, next_open, first, fs, pf, pt) f
    WHERE f.series <> 'ttr')
  SELECT team, cl, severity, kind, day, series, sum(d)::int AS d FROM (SELECT team, cl, severity, kind, day, series, d FROM steps UNION ALL SELECT team, cl, severity, kind, day, series, d FROM flows) x
  WHERE day BETWEEN first_day AND last_day
  GROUP BY 1, 2, 3, 4, 5, 6;

  -- Each group's stock on the day before first_day (the stored rows; zero for a full rebuild), then day by day.
  CREATE TEMP TABLE rollup_rows (LIKE "PostureDaily") ON COMMIT DROP;
  WITH base AS (
    SELECT "teamId" AS team, "clusterId" AS cl, severity, kind, open, accepted, breached, "atRisk" AS at_risk, age30, age60, age90
    FROM rollup_stored WHERE day = first_day - 1 AND "teamId" <> '*'),
  groups AS (
    SELECT team, cl, severity, kind FROM base UNION SELECT team, cl, severity, kind FROM rollup_delta WHERE day >= first_day),
  days AS (SELECT g.*, d::date AS day FROM groups g, generate_series(first_day::timestamp, last_day::timestamp, interval '1 day') AS d),
  daily AS (
    SELECT days.team, days.cl, days.severity, days.kind, days.day,
      COALESCE(sum(x.d) FILTER (WHERE x.series = 'open'), 0) AS open, COALESCE(sum(x.d) FILTER (WHERE x.series = 'accepted'), 0) AS accepted,
      COALESCE(sum(x.d) FILTER (WHERE x.series = 'breached'), 0) AS breached, COALESCE(sum(x.d) FILTER (WHERE x.series = 'atRisk'), 0) AS at_risk, COALESCE(sum(x.d) FILTER (WHERE x.series = 'age30'), 0) AS age30,
      COALESCE(sum(x.d) FILTER (WHERE x.series = 'age60'), 0) AS age60, COALESCE(sum(x.d) FILTER (WHERE x.series = 'age90'), 0) AS age90,
      COALESCE(sum(x.d) FILTER (WHERE x.series = 'new'), 0) AS new, COALESCE(sum(x.d) FILTER (WHERE x.series = 'reopened'), 0) AS reopened,
      COALESCE(sum(x.d) FILTER (WHERE x.series = 'fixed'), 0) AS fixed, COALESCE(sum(x.d) FILTER (WHERE x.series = 'fixedWithDue'), 0) AS fixed_with_due,
      COALESCE(sum(x.d) FILTER (WHERE x.series = 'fixedOnTime'), 0) AS fixed_on_time, COALESCE(sum(x.d) FILTER (WHERE x.series = 'closedOther'), 0) AS closed_other,
      COALESCE(sum(x.d) FILTER (WHERE x.series = 'acceptedNew'), 0) AS accepted_new
    FROM days LEFT JOIN rollup_delta x ON x.team = days.team AND x.cl = days.cl AND x.severity = days.severity AND x.kind = days.kind AND x.day = days.day
    GROUP BY 1, 2, 3, 4, 5),
  running AS (
    SELECT daily.team, daily.cl, daily.severity, daily.kind, daily.day,
      COALESCE(b.open, 0) + sum(daily.open) OVER w AS open,
      COALESCE(b.accepted, 0) + sum(daily.accepted) OVER w AS accepted,
      COALESCE(b.breached, 0) + sum(daily.breached) OVER w AS breached,
      COALESCE(b.at_risk, 0) + sum(daily.at_risk) OVER w AS at_risk,
      COALESCE(b.age30, 0) + sum(daily.age30) OVER w AS age30,
      COALESCE(b.age60, 0) + sum(daily.age60) OVER w AS age60,
      COALESCE(b.age90, 0) + sum(daily.age90) OVER w AS age90,
      daily.new, daily.reopened, daily.fixed, daily.fixed_with_due, daily.fixed_on_time, daily.closed_other, daily.accepted_new
    FROM daily
    LEFT JOIN base b ON b.team = daily.team AND b.cl = daily.cl AND b.severity = daily.severity AND b.kind = daily.kind
    WINDOW w AS (PARTITION BY daily.team, daily.cl, daily.severity, daily.kind ORDER BY daily.day))
  INSERT INTO rollup_rows (day, "teamId", "clusterId", severity, kind, open, accepted, breached, "atRisk", age30, age60, age90, new, reopened, fixed, "fixedWithDue", "fixedOnTime", "closedOther", "acceptedNew")
  SELECT day, team, cl, severity, kind, open, accepted, breached, at_risk, age30, age60, age90, new, reopened, fixed, fixed_with_due, fixed_on_time, closed_other, accepted_new
  FROM running
  WHERE open <> 0 OR accepted <> 0 OR breached <> 0 OR new <> 0 OR reopened <> 0 OR fixed <> 0 OR closed_other <> 0 OR accepted_new <> 0;

  -- The organisation: every team's rows together.
  INSERT INTO rollup_rows (day, "teamId", "clusterId", severity, kind, open, accepted, breached, "atRisk", age30, age60, age90, new, reopened, fixed, "fixedWithDue", "fixedOnTime", "closedOther", "acceptedNew")
  SELECT day, '*', "clusterId", severity, kind, sum(open), sum(accepted), sum(breached), sum("atRisk"), sum(age30), sum(age60), sum(age90), sum(new), sum(reopened), sum(fixed),
    sum("fixedWithDue"), sum("fixedOnTime"), sum("closedOther"), sum("acceptedNew")
  FROM rollup_rows GROUP BY day, "clusterId", severity, kind;

  CREATE TEMP TABLE rollup_fixes ON COMMIT DROP AS
  SELECT f.at::date AS day, t.team AS "teamId", cl AS "clusterId", severity, f.days, count(*)::int AS fixes
  FROM rollup_piece, LATERAL rollup_flows(oa, ca, cas, reopened, due, next_open, first, fs, pf, pt) f, LATERAL (VALUES (team), ('*')) AS t(team)
  WHERE f.series = 'ttr' AND f.at::date BETWEEN first_day AND last_day
  GROUP BY 1, 2, 3, 4, 5;

  IF additive THEN
    PERFORM posture_daily_add_difference(first_day, last_day);
  ELSE
    DELETE FROM "PostureDaily" WHERE day <= last_day AND (whole OR day >= first_day);
    DELETE FROM "FixDurationDaily" WHERE day <= last_day AND (whole OR day >= first_day);
    INSERT INTO "PostureDaily" SELECT * FROM rollup_rows;
    INSERT INTO "FixDurationDaily" (day, "teamId", "clusterId", severity, days, fixes) SELECT day, "teamId", "clusterId", severity, days, fixes FROM rollup_fixes;
  END IF;
END
$fn$;

-- A rollup row that counts nothing (a transaction's +1 and -1 can leave one).
CREATE OR REPLACE FUNCTION posture_daily_zero(r "PostureDaily") RETURNS boolean LANGUAGE sql IMMUTABLE AS $fn$
  SELECT (r.open, r.accepted, r.breached, r."atRisk", r.age30, r.age60, r.age90, r.new, r.reopened, r.fixed, r."fixedWithDue", r."fixedOnTime", r."closedOther", r."acceptedNew")
    = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
$fn$;

-- Adds rows' counts to the stored ones (a row not there yet is inserted as given): what each
-- transaction changed, and what a rebuild corrects. In key order, so that none deadlocks another.
CREATE OR REPLACE FUNCTION posture_daily_add(rows "PostureDaily"[]) RETURNS int LANGUAGE sql AS $fn$
  WITH added AS (
    INSERT INTO "PostureDaily" SELECT * FROM unnest(rows) ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (day, "teamId", "clusterId", severity, kind) DO UPDATE SET
      open = "PostureDaily".open + EXCLUDED.open, accepted = "PostureDaily".accepted + EXCLUDED.accepted,
      breached = "PostureDaily".breached + EXCLUDED.breached, "atRisk" = "PostureDaily"."atRisk" + EXCLUDED."atRisk",
      age30 = "PostureDaily".age30 + EXCLUDED.age30, age60 = "PostureDaily".age60 + EXCLUDED.age60, age90 = "PostureDaily".age90 + EXCLUDED.age90,
      new = "PostureDaily".new + EXCLUDED.new, reopened = "PostureDaily".reopened + EXCLUDED.reopened, fixed = "PostureDaily".fixed + EXCLUDED.fixed,
      "fixedWithDue" = "PostureDaily"."fixedWithDue" + EXCLUDED."fixedWithDue", "fixedOnTime" = "PostureDaily"."fixedOnTime" + EXCLUDED."fixedOnTime",
      "closedOther" = "PostureDaily"."closedOther" + EXCLUDED."closedOther", "acceptedNew" = "PostureDaily"."acceptedNew" + EXCLUDED."acceptedNew"
    RETURNING 1)
  SELECT count(*)::int FROM added
$fn$;

-- An additive rebuild's write: the rebuilt rows minus the stored ones, as one snapshot read them,
-- added to the live rows (which may have gained counts since), only where they differ; then the
-- rows left counting nothing go.
CREATE OR REPLACE FUNCTION posture_daily_add_difference(first_day date, last_day date) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  changed "PostureDaily"[];
BEGIN
  WITH both_sides AS (
    SELECT * FROM rollup_rows
    UNION ALL
    SELECT day, "teamId", "clusterId", severity, kind, -open, -accepted, -breached, -"atRisk", -age30, -age60, -age90, -new, -reopened, -fixed,
      -"fixedWithDue", -"fixedOnTime", -"closedOther", -"acceptedNew"
    FROM rollup_stored WHERE day >= first_day),
  difference AS (
    SELECT ROW(day, "teamId", "clusterId", severity, kind, sum(open), sum(accepted), sum(breached), sum("atRisk"), sum(age30), sum(age60), sum(age90),
      sum(new), sum(reopened), sum(fixed), sum("fixedWithDue"), sum("fixedOnTime"), sum("closedOther"), sum("acceptedNew"))::"PostureDaily" AS d
    FROM both_sides GROUP BY day, "teamId", "clusterId", severity, kind)
  SELECT array_agg(d) INTO changed FROM difference WHERE NOT posture_daily_zero(d);
  PERFORM posture_daily_add(changed);
  DELETE FROM "PostureDaily" p WHERE p.day BETWEEN first_day AND last_day AND posture_daily_zero(p);

  INSERT INTO "FixDurationDaily" (day, "teamId", "clusterId", severity, days, fixes)
  SELECT day, "teamId", "clusterId", severity, days, sum(fixes)::int
  FROM (SELECT day, "teamId", "clusterId", severity, days, fixes FROM rollup_fixes
    UNION ALL SELECT day, "teamId", "clusterId", severity, days, -fixes FROM rollup_stored_fixes) x
  GROUP BY 1, 2, 3, 4, 5 HAVING sum(fixes) <> 0 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (day, "teamId", "clusterId", severity, days) DO UPDATE SET fixes = "FixDurationDaily".fixes + EXCLUDED.fixes;
  DELETE FROM "FixDurationDaily" WHERE day BETWEEN first_day AND last_day AND fixes = 0;
END
$fn$;

-- ---------------------------------------------------------------- today, kept by the transactions
-- Each transaction that opens, closes or moves a finding adds what it changed to today's (and
-- tomorrow's) rows, so the report is current the moment a scan or a triage commits; the job's
-- rebuilds only repair (a reopened fix's duration, a changed past) and start each new day.
-- What one piece counts on `d0` and the day after: its stocks on both, its flows on d0.
CREATE OR REPLACE FUNCTION rollup_piece_counts(oa timestamp, ca timestamp, cas "FindingStatus", reopened boolean, due timestamp,
  next_open timestamp, first boolean, fs timestamp, pf timestamp, pt timestamp, d0 date)
RETURNS TABLE (day date, series text, days int) LANGUAGE sql IMMUTABLE AS $fn$
  SELECT dd.day, i.series, NULL::int
  FROM (VALUES (d0), (d0 + 1)) AS dd(day), rollup_intervals(oa, ca, cas, due, next_open, fs, pf, pt) i
  WHERE i.a::date <= dd.day AND i.b::date > dd.day
  UNION ALL
  SELECT d0, f.series, f.days FROM rollup_flows(oa, ca, cas, reopened, due, next_open, first, fs, pf, pt) f WHERE f.at::date = d0
$fn$;

CREATE OR REPLACE FUNCTION posture_today_apply(eps rollup_episode[]) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  d0 date := (now() AT TIME ZONE 'UTC')::date;
  added int;
BEGIN
  -- The back-fill, followed by a full rebuild, does without.
  IF COALESCE(cardinality(eps), 0) = 0 OR current_setting('portcullis.rollups_today', true) = 'off' THEN
    RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock_shared(hashtext('posture_daily_rebuild'));
  -- Not built through today (a stop of more than a day): the job's next run counts this change.
  IF COALESCE(rollups_built_through() >= d0, false) IS FALSE THEN
    RETURN;
  END IF;
  -- Episodes alike count alike: a scan's new findings share their times, its fixes their close.
  WITH e AS MATERIALIZED (
    SELECT team, own_cluster, image_id, severity, kind, fs, oa, ca, cas, reopened, due, next_open, first, period_cluster, period_from, period_to, sum(sign)::int AS n
    FROM unnest(eps) GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 HAVING sum(sign) <> 0),
  pieces AS (
    SELECT e.*, '' AS cl, '-infinity'::timestamp AS pf, 'infinity'::timestamp AS pt FROM e WHERE e.period_cluster IS NULL
    UNION ALL
    SELECT e.*, e.own_cluster, '-infinity'::timestamp, 'infinity'::timestamp FROM e WHERE e.period_cluster IS NULL AND e.own_cluster IS NOT NULL
    UNION ALL
    SELECT e.*, p."clusterId", p."fromAt", COALESCE(p."toAt", 'infinity'::timestamp)
    FROM e JOIN "ImageClusterPeriod" p ON p."imageId" = e.image_id WHERE e.period_cluster IS NULL
    UNION ALL
    SELECT e.*, e.period_cluster, e.period_from, e.period_to FROM e WHERE e.period_cluster IS NOT NULL),
  counted AS MATERIALIZED (
    SELECT c.day, t.team, pc.cl, pc.severity, pc.kind, c.series, c.days, sum(pc.n)::int AS n
    FROM pieces pc,
      LATERAL rollup_piece_counts(pc.oa, pc.ca, pc.cas, pc.reopened, pc.due, pc.next_open, pc.first, pc.fs, pc.pf, pc.pt, d0) c,
      LATERAL (VALUES (pc.team), ('*')) AS t(team)
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(pc.n) <> 0),
  durations AS (
    INSERT INTO "FixDurationDaily" (day, "teamId", "clusterId", severity, days, fixes)
    SELECT day, team, cl, severity, days, sum(n) FROM counted WHERE series = 'ttr'
    GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (day, "teamId", "clusterId", severity, days) DO UPDATE SET fixes = "FixDurationDaily".fixes + EXCLUDED.fixes
    RETURNING 1)
  SELECT posture_daily_add(array_agg(r)) INTO added
  FROM (
    SELECT ROW(day, team, cl, severity, kind,
      COALESCE(sum(n) FILTER (WHERE series = 'open'), 0), COALESCE(sum(n) FILTER (WHERE series = 'accepted'), 0),
      COALESCE(sum(n) FILTER (WHERE series = 'breached'), 0), COALESCE(sum(n) FILTER (WHERE series = 'atRisk'), 0),
      COALESCE(sum(n) FILTER (WHERE series = 'age30'), 0), COALESCE(sum(n) FILTER (WHERE series = 'age60'), 0), COALESCE(sum(n) FILTER (WHERE series = 'age90'), 0),
      COALESCE(sum(n) FILTER (WHERE series = 'new'), 0), COALESCE(sum(n) FILTER (WHERE series = 'reopened'), 0), COALESCE(sum(n) FILTER (WHERE series = 'fixed'), 0),
      COALESCE(sum(n) FILTER (WHERE series = 'fixedWithDue'), 0), COALESCE(sum(n) FILTER (WHERE series = 'fixedOnTime'), 0),
      COALESCE(sum(n) FILTER (WHERE series = 'closedOther'), 0), COALESCE(sum(n) FILTER (WHERE series = 'acceptedNew'), 0))::"PostureDaily" AS r
    FROM counted WHERE series <> 'ttr'
    GROUP BY day, team, cl, severity, kind) g;
END
$fn$;

DROP TRIGGER IF EXISTS posture_today_episodes_insert ON "FindingEpisode";
DROP TRIGGER IF EXISTS posture_today_episodes_update ON "FindingEpisode";
DROP FUNCTION IF EXISTS posture_today_episodes();

-- All episodes of some findings, with their groups as `moved` gives them (sign, finding id, team,
-- cluster, image, severity, kind) and, optionally, within one cluster's period.
CREATE OR REPLACE FUNCTION rollup_episodes_of(moved jsonb) RETURNS rollup_episode[] LANGUAGE sql STABLE AS $fn$
  WITH m AS (
    SELECT * FROM jsonb_to_recordset(moved) AS m(sign int, id text, team text, cluster text, image text, severity "Severity", kind "FindingKind",
      period_cluster text, period_from timestamp, period_to timestamp)),
  e AS (
    SELECT e.*, lead(e."openedAt") OVER w AS next_open, row_number() OVER w = 1 AS first
    FROM "FindingEpisode" e WHERE e."findingId" IN (SELECT id FROM m)
    WINDOW w AS (PARTITION BY e."findingId" ORDER BY e."openedAt", e.id))
  SELECT array_agg(ROW(m.sign, m.team, m.cluster, m.image, m.severity, m.kind, f."firstSeenAt", e."openedAt", e."closedAt", e."closedAs",
    e.reopened, e."dueAt", e.next_open, e.first, m.period_cluster, m.period_from, m.period_to)::rollup_episode)
  FROM m JOIN "Finding" f ON f.id = m.id JOIN e ON e."findingId" = m.id
$fn$;

-- An image placed in a cluster, or gone from it: its findings' episodes count there from then, or no longer.
CREATE OR REPLACE FUNCTION posture_today_periods() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  periods jsonb;
  moved jsonb;
BEGIN
  -- An insert has no old rows to read (the name is not even defined then).
  IF TG_OP = 'INSERT' THEN
    SELECT jsonb_agg(jsonb_build_object('sign', 1, 'image', "imageId", 'cluster', "clusterId", 'from', "fromAt", 'to', "toAt")) INTO periods FROM new_rows;
  ELSE
    SELECT jsonb_agg(jsonb_build_object('sign', p.sign, 'image', p."imageId", 'cluster', p."clusterId", 'from', p."fromAt", 'to', p."toAt")) INTO periods
    FROM (SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1, * FROM old_rows) p;
  END IF;
  SELECT jsonb_agg(jsonb_build_object('sign', p.sign, 'id', f.id, 'team', COALESCE(f."teamId", ''), 'cluster', f."clusterId", 'image', f."imageId",
    'severity', f.severity, 'kind', f.kind, 'period_cluster', p.cluster, 'period_from', p."from", 'period_to', COALESCE(p."to", 'infinity'::timestamp)))
  INTO moved
  FROM jsonb_to_recordset(periods) AS p(sign int, image text, cluster text, "from" timestamp, "to" timestamp) JOIN "Finding" f ON f."imageId" = p.image;
  IF moved IS NOT NULL THEN
    PERFORM posture_today_apply(rollup_episodes_of(moved));
  END IF;
  RETURN NULL;
END
$fn$;

DROP TRIGGER IF EXISTS posture_today_periods_insert ON "ImageClusterPeriod";
CREATE TRIGGER posture_today_periods_insert AFTER INSERT ON "ImageClusterPeriod" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION posture_today_periods();
DROP TRIGGER IF EXISTS posture_today_periods_update ON "ImageClusterPeriod";
CREATE TRIGGER posture_today_periods_update AFTER UPDATE ON "ImageClusterPeriod" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION posture_today_periods();

-- ---------------------------------------------------------------- back-fill
-- Episodes from the findings' events, and periods from where images run now (first seen there
-- until now: the history before this migration kept only "last seen"), then every day's rollup.
DO $do$
BEGIN
  PERFORM set_config('portcullis.rollups_today', 'off', true);
  -- Episodes of findings deleted while the table had no trigger to take them along.
  DELETE FROM "FindingEpisode" e WHERE NOT EXISTS (SELECT 1 FROM "Finding" f WHERE f.id = e."findingId");
  IF NOT EXISTS (SELECT 1 FROM "FindingEpisode") THEN
    INSERT INTO "FindingEpisode" ("findingId", "openedAt", "closedAt", "closedAs", reopened, "dueAt")
    SELECT * FROM finding_episodes_from_events() ORDER BY 1, 2;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM "ImageClusterPeriod") THEN
    INSERT INTO "ImageClusterPeriod" ("imageId", "clusterId", "fromAt")
    SELECT wi."imageId", ns."clusterId", min(wi."firstSeenAt")
    FROM "WorkloadImage" wi JOIN "Workload" w ON w.id = wi."workloadId" JOIN "Namespace" ns ON ns.id = w."namespaceId"
    GROUP BY 1, 2 ORDER BY 1, 2;
  END IF;
  -- Open episodes take their finding's due date (an SLA change once skipped them).
  UPDATE "FindingEpisode" e SET "dueAt" = f."dueAt" FROM "Finding" f
  WHERE e."findingId" = f.id AND e."closedAt" IS NULL AND e."dueAt" IS DISTINCT FROM f."dueAt";
  PERFORM set_config('portcullis.rollups_today', '', true);
END
$do$;

SELECT posture_daily_rebuild(NULL);
