-- SLA days of a finding: its team's own for the severity, else the organisation's; null when the
-- severity has no SLA. A single-expression SQL function, so the planner inlines it into the
-- ingest's INSERT ... SELECT (two index lookups on tiny tables per row).
CREATE OR REPLACE FUNCTION sla_days(sev "Severity", team text) RETURNS int LANGUAGE sql STABLE AS $$
  SELECT COALESCE(
    (SELECT t.days FROM "TeamSlaPolicy" t WHERE t."teamId" = team AND t.severity = sev),
    (SELECT s.days FROM "SlaPolicy" s WHERE s.severity = sev))
$$;

-- When a finding is due: the clock starts at first seen, or (policy) when a fix first exists.
-- Null: no SLA for the severity, or no fix yet under "clock starts when a fix exists".
CREATE OR REPLACE FUNCTION sla_due_at(sev "Severity", team text, started timestamptz) RETURNS timestamp LANGUAGE sql STABLE AS $$
  SELECT (started + make_interval(days => sla_days(sev, team)))::timestamp
$$;
