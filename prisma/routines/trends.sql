-- Trend history (lib/reports). Applied by lib/startup/routines.ts after the migrations whenever
-- this file changes; it back-fills episodes and periods when they are empty, and rebuilds the
-- daily rollups.

-- ---------------------------------------------------------------- finding episodes
-- One row per stretch of a finding being open. Statement-level, like the read model: a closing
-- status ends the open episode (with the status and the due date it had), a reopening starts a new
-- one (marked `reopened` when it comes back after a fix). The merge's refresh of present findings
-- changes no status and says so.
CREATE OR REPLACE FUNCTION finding_episodes_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF current_setting('portcullis.read_model', true) = 'unchanged' THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "FindingEpisode" ("findingId", "openedAt", "closedAt", "closedAs", reopened, "dueAt")
    SELECT n.id, n."firstSeenAt",
      CASE WHEN n.status IN ('open', 'in_progress') THEN NULL ELSE GREATEST(n."firstSeenAt", COALESCE(n."fixedAt", n."statusChangedAt")) END,
      CASE WHEN n.status IN ('open', 'in_progress') THEN NULL ELSE n.status END,
      false, n."dueAt"
    FROM new_rows n ORDER BY n.id;
    RETURN NULL;
  END IF;
  -- Old and new rows are paired by grouping, never by joining the two transition tables (the
  -- planner knows nothing of their size, and a nested loop over a bulk update of 10,000 rows took
  -- a minute); only the findings whose openness or due date changed reach the episodes' index.
  WITH sides AS (
    SELECT id, true AS before_change, status IN ('open', 'in_progress') AS open, status, "dueAt", "statusChangedAt", "fixedAt" FROM old_rows
    UNION ALL
    SELECT id, false, status IN ('open', 'in_progress'), status, "dueAt", "statusChangedAt", "fixedAt" FROM new_rows),
  pairs AS MATERIALIZED (
    SELECT id, bool_or(open) FILTER (WHERE before_change) AS was_open, bool_or(open) FILTER (WHERE NOT before_change) AS is_open,
      (array_agg(status) FILTER (WHERE NOT before_change))[1] AS status, (array_agg(status) FILTER (WHERE before_change))[1] AS old_status,
      (array_agg("dueAt") FILTER (WHERE before_change))[1] AS old_due,
      (array_agg("dueAt") FILTER (WHERE NOT before_change))[1] AS new_due, (array_agg("statusChangedAt") FILTER (WHERE NOT before_change))[1] AS changed_at,
      (array_agg("fixedAt") FILTER (WHERE NOT before_change))[1] AS fixed_at
    FROM sides GROUP BY id
    HAVING bool_or(open) FILTER (WHERE before_change) IS DISTINCT FROM bool_or(open) FILTER (WHERE NOT before_change)
      OR (bool_and(open) AND (array_agg("dueAt") FILTER (WHERE before_change))[1] IS DISTINCT FROM (array_agg("dueAt") FILTER (WHERE NOT before_change))[1])),
  closed AS (
    UPDATE "FindingEpisode" e
    SET "closedAt" = GREATEST(e."openedAt", CASE WHEN p.status = 'fixed' THEN COALESCE(p.fixed_at, p.changed_at) ELSE p.changed_at END),
        "closedAs" = p.status, "dueAt" = p.old_due
    FROM pairs p WHERE e."findingId" = p.id AND e."closedAt" IS NULL AND p.was_open AND NOT p.is_open
    RETURNING 1),
  due AS (
    UPDATE "FindingEpisode" e SET "dueAt" = p.new_due
    FROM pairs p WHERE e."findingId" = p.id AND e."closedAt" IS NULL AND p.was_open AND p.is_open
    RETURNING 1)
  INSERT INTO "FindingEpisode" ("findingId", "openedAt", reopened, "dueAt")
  SELECT p.id, p.changed_at, p.old_status = 'fixed', p.new_due
  FROM pairs p
  WHERE NOT p.was_open AND p.is_open
  ORDER BY p.id;
  RETURN NULL;
END
$fn$;

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

-- ---------------------------------------------------------------- daily rollups
-- Rebuilds "PostureDaily" and "FixDurationDaily" for the days from `from_day` (NULL: all history)
-- to today (an incremental run starts from the stored day before `from_day`; the nightly run
-- rebuilds everything, so a due date moved after the fact cannot leave a drift). Each episode becomes intervals (open; past due; older than 30, 60, 90 days; and the
-- risk-accepted stretch after it), clipped to the periods its image ran in a cluster for the
-- cluster rows. An interval adds 1 on the day it starts and takes 1 away on the day it ends, so
-- what is open at the end of a day is the running sum.
-- Flows (new, reopened, fixed, …) count on the day they happened. Time to remediate counts final
-- fixes only (a fix followed by a reopening is not one): an old fix whose finding reopens leaves
-- the histogram at the next full (nightly) run.
CREATE OR REPLACE FUNCTION posture_daily_rebuild(from_day date) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  first_day date := COALESCE(from_day, (SELECT min("openedAt")::date FROM "FindingEpisode"));
  last_day date := (now() AT TIME ZONE 'UTC')::date;
BEGIN
  IF first_day IS NULL THEN
    DELETE FROM "PostureDaily";
    DELETE FROM "FixDurationDaily";
    RETURN;
  END IF;
  DELETE FROM "PostureDaily" WHERE day >= first_day;
  DELETE FROM "FixDurationDaily" WHERE day >= first_day;

  CREATE TEMP TABLE rollup_piece ON COMMIT DROP AS
  WITH all_ep AS (
    SELECT e."openedAt" AS oa, e."closedAt" AS ca, e."closedAs" AS cas, e.reopened, e."dueAt" AS due,
      lead(e."openedAt") OVER (PARTITION BY e."findingId" ORDER BY e."openedAt", e.id) AS next_open,
      row_number() OVER (PARTITION BY e."findingId" ORDER BY e."openedAt", e.id) = 1 AS first,
      COALESCE(f."teamId", '') AS team, f."clusterId" AS own_cluster, f."imageId", f.severity, f.kind, f."firstSeenAt" AS fs
    FROM "FindingEpisode" e JOIN "Finding" f ON f.id = e."findingId"),
  -- An incremental run needs only what can change a day from first_day on: an episode with a
  -- boundary (opened, closed, due, 30/60/90 days old, accepted until) on or after it, or of an
  -- image that started or stopped running somewhere since.
  ep AS (
    SELECT * FROM all_ep
    WHERE from_day IS NULL OR oa >= first_day OR ca >= first_day OR next_open >= first_day
      OR (ca IS NULL AND (due >= first_day OR fs + interval '90 days' >= first_day))
      OR "imageId" IN (SELECT "imageId" FROM "ImageClusterPeriod" WHERE "fromAt" >= first_day OR "toAt" >= first_day))
  SELECT ep.*, '' AS cl, '-infinity'::timestamp AS pf, 'infinity'::timestamp AS pt FROM ep
  UNION ALL
  SELECT ep.*, ep.own_cluster, '-infinity'::timestamp, 'infinity'::timestamp FROM ep WHERE ep.own_cluster IS NOT NULL
  UNION ALL
  SELECT ep.*, p."clusterId", p."fromAt", COALESCE(p."toAt", 'infinity'::timestamp)
  FROM ep JOIN "ImageClusterPeriod" p ON p."imageId" = ep."imageId";

  CREATE TEMP TABLE rollup_delta ON COMMIT DROP AS
  WITH intervals AS (
    SELECT team, cl, severity, kind, s.series, s.a, s.b
    FROM rollup_piece,
    LATERAL (VALUES
      ('open', GREATEST(oa, pf), LEAST(COALESCE(ca, 'infinity'::timestamp), pt)),
      ('breached', GREATEST(oa, pf, due), CASE WHEN due IS NULL THEN '-infinity'::timestamp ELSE LEAST(COALESCE(ca, 'infinity'::timestamp), pt) END),
      ('atRisk', GREATEST(oa, pf, due - interval '7 days'), CASE WHEN due IS NULL THEN '-infinity'::timestamp ELSE LEAST(COALESCE(ca, 'infinity'::timestamp), pt, due) END),
      ('age30', GREATEST(oa, pf, fs + interval '30 days'), LEAST(COALESCE(ca, 'infinity'::timestamp), pt)),
      ('age60', GREATEST(oa, pf, fs + interval '60 days'), LEAST(COALESCE(ca, 'infinity'::timestamp), pt)),
      ('age90', GREATEST(oa, pf, fs + interval '90 days'), LEAST(COALESCE(ca, 'infinity'::timestamp), pt)),
      ('accepted', GREATEST(ca, pf), CASE WHEN cas = 'risk_accepted' THEN LEAST(COALESCE(next_open, 'infinity'::timestamp), pt) ELSE '-infinity'::timestamp END)
    ) AS s(series, a, b)),
  -- [a, b) counts at the end of each day from a's to the one before b's (an interval within one day never does)
  steps AS (
    SELECT team, cl, severity, kind, series, a::date AS day, 1 AS d FROM intervals WHERE a < b
    UNION ALL
    SELECT team, cl, severity, kind, series, b::date, -1 FROM intervals WHERE a < b AND b <> 'infinity'::timestamp),
  flows AS (
    SELECT team, cl, severity, kind, oa::date AS day, 'new' AS series, 1 AS d FROM rollup_piece WHERE first AND oa >= pf AND oa < pt
    UNION ALL SELECT team, cl, severity, kind, oa::date, 'reopened', 1 FROM rollup_piece WHERE reopened AND oa >= pf AND oa < pt
    UNION ALL SELECT team, cl, severity, kind, ca::date, 'fixed', 1 FROM rollup_piece WHERE cas = 'fixed' AND ca >= pf AND ca < pt
    UNION ALL SELECT team, cl, severity, kind, ca::date, 'fixedWithDue', 1 FROM rollup_piece WHERE cas = 'fixed' AND due IS NOT NULL AND ca >= pf AND ca < pt
    UNION ALL SELECT team, cl, severity, kind, ca::date, 'fixedOnTime', 1 FROM rollup_piece WHERE cas = 'fixed' AND ca <= due AND ca >= pf AND ca < pt
    UNION ALL SELECT team, cl, severity, kind, ca::date, 'closedOther', 1 FROM rollup_piece WHERE cas IN ('false_positive', 'not_affected') AND ca >= pf AND ca < pt
    UNION ALL SELECT team, cl, severity, kind, ca::date, 'acceptedNew', 1 FROM rollup_piece WHERE cas = 'risk_accepted' AND ca >= pf AND ca < pt)
  SELECT team, cl, severity, kind, day, series, sum(d)::int AS d FROM (SELECT team, cl, severity, kind, day, series, d FROM steps UNION ALL SELECT team, cl, severity, kind, day, series, d FROM flows) x
  WHERE day <= last_day
  GROUP BY 1, 2, 3, 4, 5, 6;

  -- Each group's stock on the day before first_day (the stored rows; zero for a full rebuild), then day by day.
  WITH base AS (
    SELECT "teamId" AS team, "clusterId" AS cl, severity, kind, open, accepted, breached, "atRisk" AS at_risk, age30, age60, age90
    FROM "PostureDaily" WHERE day = first_day - 1 AND "teamId" <> '*'),
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
  INSERT INTO "PostureDaily" (day, "teamId", "clusterId", severity, kind, open, accepted, breached, "atRisk", age30, age60, age90, new, reopened, fixed, "fixedWithDue", "fixedOnTime", "closedOther", "acceptedNew")
  SELECT day, team, cl, severity, kind, open, accepted, breached, at_risk, age30, age60, age90, new, reopened, fixed, fixed_with_due, fixed_on_time, closed_other, accepted_new
  FROM running
  WHERE open <> 0 OR accepted <> 0 OR breached <> 0 OR new <> 0 OR reopened <> 0 OR fixed <> 0 OR closed_other <> 0 OR accepted_new <> 0;

  -- The organisation: every team's rows together.
  INSERT INTO "PostureDaily" (day, "teamId", "clusterId", severity, kind, open, accepted, breached, "atRisk", age30, age60, age90, new, reopened, fixed, "fixedWithDue", "fixedOnTime", "closedOther", "acceptedNew")
  SELECT day, '*', "clusterId", severity, kind, sum(open), sum(accepted), sum(breached), sum("atRisk"), sum(age30), sum(age60), sum(age90), sum(new), sum(reopened), sum(fixed),
    sum("fixedWithDue"), sum("fixedOnTime"), sum("closedOther"), sum("acceptedNew")
  FROM "PostureDaily" WHERE day >= first_day AND "teamId" <> '*' GROUP BY day, "clusterId", severity, kind;

  INSERT INTO "FixDurationDaily" (day, "teamId", "clusterId", severity, days, fixes)
  SELECT ca::date, t.team, cl, severity, LEAST(floor(extract(epoch FROM ca - fs) / 86400)::int, 3650), count(*)::int
  FROM rollup_piece, LATERAL (VALUES (team), ('*')) AS t(team)
  WHERE cas = 'fixed' AND next_open IS NULL AND ca >= pf AND ca < pt AND ca::date <= last_day
  GROUP BY 1, 2, 3, 4, 5;
END
$fn$;

-- ---------------------------------------------------------------- back-fill
-- Episodes from the findings' events, and periods from where images run now (first seen there
-- until now: the history before this migration kept only "last seen"), then every day's rollup.
DO $do$
BEGIN
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
END
$do$;

SELECT posture_daily_rebuild(NULL);
