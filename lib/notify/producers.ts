// The events, built where they happen and queued in the same transaction: a gate failure, the new
// critical findings of a scan (one event per scan and team), exception requests and decisions.
// Scheduled ones (SLA breaches, exceptions about to end) are in lib/notify/scheduled.ts.
import type { Run } from "@/lib/sql";
import { anyWebhookFor, notify } from "@/lib/notify/outbox";

const LISTED = 20;

export async function notifyGateFailure(run: Run, d: { decisionId: string; imageId: string | null; imageRef: string; teamId: string | null; policy: string; reasons: string[] }, now: Date): Promise<void> {
  if (!(await anyWebhookFor(run, "gate.failed"))) return;
  await notify(
    run,
    {
      event: "gate.failed",
      key: `gate.failed:${d.decisionId}`,
      teamId: d.teamId,
      text: `Gate failed for ${d.imageRef} (policy ${d.policy}): ${d.reasons.join("; ")}`,
      path: d.imageId ? `/images/${d.imageId}` : "/images",
      data: { image: d.imageRef, imageId: d.imageId, policy: d.policy, reasons: d.reasons },
    },
    now,
  );
}

/** The critical findings a scan opened for the first time, per owning team. */
export async function notifyNewCriticals(run: Run, scan: { id: string; targetKeys: string[]; label: string }, now: Date): Promise<void> {
  if (!(await anyWebhookFor(run, "finding.new_critical"))) return;
  const rows = (await run(
    `SELECT f."teamId", count(*)::int AS n, (array_agg(json_build_object('id', f.id, 'vulnerability', COALESCE(f."vulnerabilityId", f."ruleId"), 'title', f.title,
        'package', f."packageName", 'installed', f."installedVersion", 'fixedVersion', f."fixedVersion") ORDER BY f.id))[1:${LISTED}] AS findings
     FROM "Finding" f WHERE f."targetKey" = ANY($1::text[]) AND f."firstScanId" = $2 AND f.severity = 'critical' AND f.status IN ('open', 'in_progress')
     GROUP BY f."teamId"`,
    [scan.targetKeys, scan.id],
  )) as { teamId: string | null; n: number; findings: { vulnerability: string }[] }[];
  for (const row of rows) {
    const ids = [...new Set(row.findings.map((f) => f.vulnerability))].slice(0, 5).join(", ");
    await notify(
      run,
      {
        event: "finding.new_critical",
        key: `finding.new_critical:${scan.id}:${row.teamId ?? "-"}`,
        teamId: row.teamId,
        text: `${row.n} new critical finding${row.n === 1 ? "" : "s"} in ${scan.label}: ${ids}${row.n > 5 ? ", …" : ""}`,
        path: `/findings?severity=critical&status=open`,
        data: { scanId: scan.id, target: scan.label, count: row.n, findings: row.findings },
      },
      now,
    );
  }
}

interface ExceptionFacts {
  id: string;
  status: string;
  ruleId: string | null;
  teamId: string | null;
  reason: string;
  expiresAt: Date | null;
  requestedBy: string;
  decidedBy: string | null;
  note: string | null;
}

/** An exception's rule, team (its own, else its finding's) and people, for the body. */
async function exceptionFacts(run: Run, id: string): Promise<ExceptionFacts | null> {
  const [row] = (await run(
    `SELECT e.id, e.status::text AS status, COALESCE(e."ruleId", f."ruleId") AS "ruleId", COALESCE(e."teamId", f."teamId") AS "teamId", e.reason,
       e."expiresAt", COALESCE(r.name, r.email) AS "requestedBy", COALESCE(d.name, d.email) AS "decidedBy", e."decisionNote" AS note
     FROM "RiskException" e LEFT JOIN "Finding" f ON f.id = e."findingId" JOIN "User" r ON r.id = e."requestedById" LEFT JOIN "User" d ON d.id = e."decidedById"
     WHERE e.id = $1`,
    [id],
  )) as unknown as ExceptionFacts[];
  return row ?? null;
}

export async function notifyException(run: Run, event: "exception.requested" | "exception.decided" | "exception.expiring", exceptionId: string, now: Date): Promise<void> {
  if (!(await anyWebhookFor(run, event))) return;
  const e = await exceptionFacts(run, exceptionId);
  if (!e) return;
  const until = e.expiresAt ? new Date(e.expiresAt).toISOString().slice(0, 10) : "a fix is available";
  const text = {
    "exception.requested": `${e.requestedBy} asks to accept ${e.ruleId ?? "a finding"} until ${until}: ${e.reason}`,
    "exception.decided": `${e.decidedBy ?? "A lead"} ${e.status === "approved" ? "approved" : "rejected"} the exception for ${e.ruleId ?? "a finding"} asked by ${e.requestedBy}${e.note ? `: ${e.note}` : ""}`,
    "exception.expiring": `The exception for ${e.ruleId ?? "a finding"} ends on ${until}; its findings reopen then`,
  }[event];
  await notify(
    run,
    {
      event,
      key: `${event}:${e.id}`,
      teamId: e.teamId,
      text,
      path: "/exceptions",
      data: { exceptionId: e.id, status: e.status, rule: e.ruleId, reason: e.reason, expiresAt: e.expiresAt ? new Date(e.expiresAt).toISOString() : null, requestedBy: e.requestedBy, decidedBy: e.decidedBy, note: e.note },
    },
    now,
  );
}

/** Requests made together (a bulk action): one event each when few, else one per team with the count. */
export async function notifyExceptionRequests(run: Run, created: { id: string; teamId: string | null }[], now: Date): Promise<void> {
  if (created.length === 0 || !(await anyWebhookFor(run, "exception.requested"))) return;
  if (created.length <= 3) {
    for (const e of created) await notifyException(run, "exception.requested", e.id, now);
    return;
  }
  const first = await exceptionFacts(run, created[0].id);
  for (const teamId of [...new Set(created.map((e) => e.teamId))]) {
    const ids = created.filter((e) => e.teamId === teamId).map((e) => e.id);
    await notify(
      run,
      {
        event: "exception.requested",
        key: `exception.requested:${ids[0]}`,
        teamId,
        text: `${first?.requestedBy ?? "Someone"} asks to accept ${ids.length} findings: ${first?.reason ?? ""}`,
        path: "/exceptions",
        data: { exceptionIds: ids.slice(0, 100), count: ids.length, reason: first?.reason ?? null, requestedBy: first?.requestedBy ?? null },
      },
      now,
    );
  }
}
