// Falco events in: each alert is kept for drill-down and counted into one runtime-alert finding
// per (cluster, namespace, workload, rule), all in one transaction.
import { applyExceptionsToTarget } from "@/lib/exceptions/coverage";
import { createHash } from "node:crypto";
import { inTransaction, pgJson, runOn, type Sql } from "@/lib/sql";
import { ReportError } from "@/lib/ingest/errors";
import { identityKey, runtimeLocalKey } from "@/lib/findings/identity";
import { severityRank } from "@/lib/findings/severity";
import type { Severity } from "@/lib/findings/model";
import { clusterRow, resolutionForCluster, writeCluster, writeNamespace, type ClusterRow, type Resolution } from "@/lib/ingest/targets";
import { AccessDenied } from "@/lib/authz/errors";
import { AppError } from "@/lib/errors";
import { identifierProblem, LIMITS } from "@/lib/ingest/storable";
import type { TokenBinding } from "@/lib/authz/policy";
import { isFalcoInternal, occurredAt, parseFalcoBody, placeOf, severityOfPriority, type FalcoEvent } from "@/lib/ingest/falco/parse-events";
import { GroupCommit, type Outcome } from "@/lib/ingest/falco/group-commit";

/** Raw events kept per runtime finding; older ones are dropped (the finding keeps the count). */
export const RAW_EVENTS_KEPT_PER_FINDING = 500;
/**
 * A finding over the limit is pruned once every this many alerts, back to the limit: pruning on
 * every alert of a noisy rule ranked its 500 events for each one (a third of the throughput).
 */
export const PRUNE_EVERY = 50;

export interface RuntimeIngestResult {
  accepted: number;
  rejected: number;
  alerts: number;
  duplicates: number;
  ignored: number;
  errors: string[];
}

interface Alert {
  eventKey: string;
  findingKey: string;
  namespace: string;
  namespaceId: string | null;
  teamId: string | null;
  workload: string;
  rule: string;
  priority: string;
  severity: Severity;
  time: string;
  occurredAt: Date;
  source: string | null;
  hostname: string | null;
  output: string | null;
  fields: unknown;
}

interface Submission {
  cluster: string;
  binding: TokenBinding;
  /** each alert with where it happened (worked out once, in the request, not in the shared transaction) */
  alerts: { event: FalcoEvent; raw: string; place: { namespace: string; workload: string } }[];
  now: Date;
}

interface Stored {
  stored: number;
  refused: { count: number; reasons: string[] };
}

// Alerts of one cluster and one token binding go in together (see group-commit.ts). Batches of
// other bindings may run at the same time: the rows they share (namespaces, events, findings) are
// written in key order, so they wait for each other; a deadlock left (two prunes of one finding)
// is run again by inTransaction.
const batches = new GroupCommit<Submission, Stored>((submissions) =>
  inTransaction((sql) => storeSubmissions(sql, submissions), "events"),
);

export async function ingestRuntimeEvents(input: { body: string; cluster: string; binding?: TokenBinding; receivedAt?: Date }): Promise<RuntimeIngestResult> {
  const now = input.receivedAt ?? new Date();
  const { events, errors } = parseFalcoBody(input.body);
  if (events.length === 0 && errors.length > 0) throw new ReportError(`No valid Falco event in the body: ${errors[0]}`);
  // An empty batch (`[]`) is nothing to store and nothing wrong.
  if (events.length === 0) return { accepted: 0, rejected: 0, alerts: 0, duplicates: 0, ignored: 0, errors: [] };
  const internal = events.filter(({ event }) => isFalcoInternal(event)).length;
  const alerts = events.filter(({ event }) => !isFalcoInternal(event)).map((e) => ({ ...e, place: placeOf(e.event) }));
  const binding = input.binding ?? { teamId: null, clusterId: null };
  const { stored, refused } = alerts.length
    ? await batches.submit(`${input.cluster}\n${binding.teamId ?? ""}\n${binding.clusterId ?? ""}`, { cluster: input.cluster, binding, alerts, now })
    : { stored: 0, refused: { count: 0, reasons: [] } };
  return {
    accepted: events.length - refused.count,
    rejected: errors.length + refused.count,
    alerts: stored,
    duplicates: alerts.length - refused.count - stored,
    ignored: internal,
    errors: [...errors, ...refused.reasons].slice(0, 10),
  };
}

/** Stores the alerts of several requests (same cluster, same binding) in one transaction; answers for each. */
async function storeSubmissions(sql: Sql, submissions: Submission[]): Promise<Outcome<Stored>[]> {
  const { cluster: clusterName, binding } = submissions[0];
  const now = submissions.reduce((latest, s) => (s.now > latest ? s.now : latest), submissions[0].now);
  const namespaces = [...new Set(submissions.flatMap((s) => s.alerts.map(({ place }) => place.namespace)))].sort();
  const storable = namespaces.filter((n) => n && !identifierProblem(n, LIMITS.name));
  const r = await resolutionForCluster({ sql, context: { format: "auto", cluster: clusterName }, named: null, binding, now }, clusterName, storable);
  const cluster = await clusterRow(r, clusterName);
  const targetKey = `cluster:${cluster.id}/runtime`;
  const places = await allowedPlaces(r, cluster, namespaces);
  const rowsOf = submissions.map((submission) => {
    const rows: Alert[] = [];
    for (const { event, raw, place } of submission.alerts) {
      const allowed = places.get(place.namespace)!;
      if (allowed instanceof AppError) continue;
      rows.push({
        eventKey: createHash("sha256").update(`${clusterName}\n${raw}`).digest("hex"),
        findingKey: identityKey(targetKey, runtimeLocalKey({ ...place, rule: event.rule })),
        ...place,
        namespaceId: allowed.id,
        teamId: allowed.teamId,
        rule: event.rule,
        priority: event.priority,
        severity: severityOfPriority(event.priority),
        time: event.time,
        occurredAt: occurredAt(event.time, submission.now),
        source: event.source ?? null,
        hostname: event.hostname ?? null,
        output: event.output ?? null,
        fields: event.output_fields ?? null,
      });
    }
    return rows;
  });
  const inserted = await insertNewEvents(sql, cluster.id, rowsOf.flat());
  const fresh = new Set(inserted.map((a) => a.eventKey));
  const freshRows = rowsOf.flat().filter((a) => fresh.delete(a.eventKey));
  const unlinked = new Set(inserted.filter((a) => a.unlinked).map((a) => a.eventKey));
  const { approvedExceptions } = await upsertRuntimeFindings(sql, { clusterId: cluster.id, targetKey, now }, freshRows, unlinked);
  if (approvedExceptions) await applyExceptionsToTarget(runOn(sql), targetKey, now, true);
  const stored = new Set(freshRows);
  return submissions.map((submission, i): Outcome<Stored> => {
    const namespaces = new Set(submission.alerts.map(({ place }) => place.namespace));
    const denied = [...namespaces].map((n) => places.get(n)).filter((p): p is AppError => p instanceof AppError);
    // Nothing this token may write: a refusal, not an empty success.
    const forbidden = denied.find((e) => e instanceof AccessDenied);
    if (rowsOf[i].length === 0 && forbidden) return { ok: false, error: forbidden };
    return {
      ok: true,
      value: {
        stored: rowsOf[i].filter((row) => stored.has(row)).length,
        refused: { count: submission.alerts.length - rowsOf[i].length, reasons: denied.map((e) => e.message) },
      },
    };
  });
}

/**
 * Where this token may write alerts: each namespace the events name (its owner's, or the
 * cluster's), and the cluster itself for alerts outside any namespace (the host). A place it may
 * not write is kept as the refusal, and its alerts are rejected with that reason.
 */
async function allowedPlaces(r: Resolution, cluster: ClusterRow, namespaces: string[]): Promise<Map<string, { id: string | null; teamId: string | null } | AppError>> {
  const places = new Map<string, { id: string | null; teamId: string | null } | AppError>();
  for (const namespace of namespaces) {
    const problem = identifierProblem(namespace, LIMITS.name);
    if (problem) {
      places.set(namespace, new ReportError(`an event's namespace (k8s.ns.name) ${problem}`));
      continue;
    }
    try {
      if (namespace) places.set(namespace, await writeNamespace(r, cluster, namespace));
      else places.set(namespace, { id: null, teamId: (await writeCluster(r, cluster.name)).teamId });
    } catch (error) {
      if (!(error instanceof AccessDenied)) throw error;
      places.set(namespace, error);
    }
  }
  return places;
}

/**
 * Stores the events not seen before (a retried delivery is not counted twice); returns them, each
 * linked to its finding when that exists already (unlinked: the finding is new in this batch).
 */
async function insertNewEvents(sql: Sql, clusterId: string, rows: Alert[]): Promise<{ eventKey: string; unlinked: boolean }[]> {
  const unique = [...new Map(rows.map((r) => [r.eventKey, r])).values()].sort((a, b) => (a.eventKey < b.eventKey ? -1 : 1));
  if (unique.length === 0) return [];
  // One statement (a batch is a few dozen alerts: a staging table cost three more round trips).
  const inserted = await sql.query<{ eventKey: string; unlinked: boolean }>(
    `INSERT INTO "RuntimeEvent" ("eventKey", "clusterId", namespace, workload, rule, priority, severity, time, "occurredAt", source, hostname, output, fields, "receivedAt", "findingId")
     SELECT e."eventKey", $1, e.namespace, e.workload, e.rule, e.priority, e.severity::"Severity", e.time, e."occurredAt",
            e.source, e.hostname, e.output, e.fields, now(), (SELECT f.id FROM "Finding" f WHERE f."identityKey" = e."findingKey")
     FROM jsonb_to_recordset($2::jsonb) AS e("eventKey" text, "findingKey" text, namespace text, workload text, rule text, priority text, severity text,
       time text, "occurredAt" timestamptz, source text, hostname text, output text, fields jsonb)
     ON CONFLICT ("eventKey") DO NOTHING
     RETURNING "eventKey", "findingId" IS NULL AS unlinked`,
    [clusterId, pgJson(unique)],
  );
  return inserted.rows;
}

interface RuntimeTarget {
  clusterId: string;
  targetKey: string;
  now: Date;
}

async function upsertRuntimeFindings(sql: Sql, target: RuntimeTarget, alerts: Alert[], unlinked: Set<string>): Promise<{ approvedExceptions: boolean }> {
  if (alerts.length === 0) return { approvedExceptions: false };
  const groups = new Map<string, { first: Alert; last: Alert; count: number; severity: Severity }>();
  for (const a of alerts) {
    const g = groups.get(a.findingKey);
    if (!g) groups.set(a.findingKey, { first: a, last: a, count: 1, severity: a.severity });
    else {
      g.count += 1;
      if (a.occurredAt < g.first.occurredAt) g.first = a;
      if (a.occurredAt >= g.last.occurredAt) g.last = a;
      if (severityRank[a.severity] > severityRank[g.severity]) g.severity = a.severity;
    }
  }
  const rows = [...groups.entries()].map(([key, g]) => ({
    k: key,
    rule: g.last.rule,
    title: g.last.rule,
    sev: g.severity,
    first: g.first.occurredAt,
    last: g.last.occurredAt,
    n: g.count,
    loc: [g.last.namespace, g.last.workload].filter(Boolean).join("/"),
    ns: g.last.namespaceId,
    team: g.last.teamId,
    out: g.last.output?.slice(0, 2000) ?? null,
  }));
  const json = pgJson(rows);
  const now = target.now.toISOString();
  // Answers the findings this batch took past the next multiple of PRUNE_EVERY over the limit (only
  // those are pruned, so each keeps between the limit and the limit + PRUNE_EVERY raw events), and
  // whether exceptions need a look (saving the round trip of their own check).
  const answer = await sql.query<{ overfull: string[]; approvedExceptions: boolean }>(
    `
    WITH incoming AS (
      SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(k text, rule text, title text, sev text, first timestamptz,
        last timestamptz, n int, loc text, ns text, team text, out text)),
    upserted AS (
      INSERT INTO "Finding" (id, "identityKey", kind, "targetKey", "reportedBy", "clusterId", "namespaceId", "teamId", "ruleId", title,
        severity, location, details, status, "statusChangedAt", "firstSeenAt", "lastSeenAt", "dueAt")
      SELECT uuid_v7(), i.k, 'runtime'::"FindingKind", $2, ARRAY['falco']::text[], $3,
        i.ns, i.team, i.rule, i.title, i.sev::"Severity", i.loc, jsonb_build_object('eventCount', i.n, 'lastOutput', i.out),
        'open'::"FindingStatus", $4::timestamptz, i.first, i.last,
        sla_due_at(i.sev::"Severity", i.team, $4::timestamptz)
      FROM incoming i ORDER BY i.k
      ON CONFLICT ("identityKey") DO UPDATE SET
        "teamId" = EXCLUDED."teamId", "namespaceId" = EXCLUDED."namespaceId",
        "firstSeenAt" = LEAST("Finding"."firstSeenAt", EXCLUDED."firstSeenAt"),
        "lastSeenAt" = GREATEST("Finding"."lastSeenAt", EXCLUDED."lastSeenAt"),
        severity = CASE WHEN array_position(ARRAY['unknown','low','medium','high','critical'], EXCLUDED.severity::text)
                          > array_position(ARRAY['unknown','low','medium','high','critical'], "Finding".severity::text)
                        THEN EXCLUDED.severity ELSE "Finding".severity END,
        details = jsonb_build_object('eventCount', COALESCE(("Finding".details->>'eventCount')::int, 0) + (EXCLUDED.details->>'eventCount')::int,
                                     'lastOutput', EXCLUDED.details->'lastOutput'),
        status = CASE WHEN "Finding".status = 'fixed' THEN 'open'::"FindingStatus" ELSE "Finding".status END,
        "statusChangedAt" = CASE WHEN "Finding".status = 'fixed' THEN $4::timestamptz ELSE "Finding"."statusChangedAt" END,
        "fixedAt" = CASE WHEN "Finding".status = 'fixed' THEN NULL ELSE "Finding"."fixedAt" END
      RETURNING id, "identityKey", (xmax = 0) AS created, (details->>'eventCount')::int AS events),
    history AS (
      INSERT INTO "FindingEvent" ("findingId", type, "toStatus", at)
      SELECT id, 'created'::"FindingEventType", 'open'::"FindingStatus", $4::timestamptz FROM upserted WHERE created)
    SELECT ARRAY(SELECT u."identityKey" FROM upserted u JOIN incoming i ON i.k = u."identityKey"
                 WHERE u.events > $5 AND ceil((u.events - $5)::numeric / $6) > ceil(GREATEST(u.events - i.n - $5, 0)::numeric / $6)) AS overfull,
           EXISTS (SELECT 1 FROM "RiskException" WHERE status = 'approved') AS "approvedExceptions"`,
    [json, target.targetKey, target.clusterId, now, RAW_EVENTS_KEPT_PER_FINDING, PRUNE_EVERY],
  );
  const { overfull, approvedExceptions } = answer.rows[0];
  // Events of findings this batch created get their link now.
  if (unlinked.size > 0) {
    const links = pgJson(alerts.filter((a) => unlinked.has(a.eventKey)).map((a) => ({ e: a.eventKey, k: a.findingKey })));
    await sql.query(
      `UPDATE "RuntimeEvent" e SET "findingId" = f.id
       FROM jsonb_to_recordset($1::jsonb) AS l(e text, k text)
       JOIN "Finding" f ON f."identityKey" = l.k
       WHERE e."eventKey" = l.e`,
      [links],
    );
  }
  // A fixed alert that fires again was reopened above; raw events beyond the limit go, oldest first.
  if (overfull.length > 0) await pruneRawEvents(sql, target.targetKey, overfull);
  return { approvedExceptions };
}

async function pruneRawEvents(sql: Sql, targetKey: string, identityKeys: string[]): Promise<void> {
  await sql.query(
    `DELETE FROM "RuntimeEvent" WHERE id IN (
       SELECT id FROM (
         SELECT e.id, row_number() OVER (PARTITION BY e."findingId" ORDER BY e."occurredAt" DESC, e.id DESC) AS rank
         FROM "RuntimeEvent" e JOIN "Finding" f ON f.id = e."findingId"
         WHERE f."targetKey" = $1 AND f."identityKey" = ANY($2::text[])) ranked
       WHERE rank > $3)`,
    [targetKey, identityKeys, RAW_EVENTS_KEPT_PER_FINDING],
  );
}
