// The explorer's filter as CSV rows: every page of it, read by keyset one batch at a time.
import type { Scope } from "@/lib/authz/policy";
import { slaState } from "@/lib/sla/state";
import { findFindings, type FindingQuery, type FindingRow } from "@/lib/findings/explore";

const BATCH = 2000;

export async function* findingPages(scope: Scope, query: FindingQuery): AsyncGenerator<FindingRow[]> {
  let after = query.after;
  for (;;) {
    const { rows, next } = await findFindings(scope, { ...query, after }, BATCH);
    if (rows.length) yield rows;
    if (!next) return;
    after = next;
  }
}

export const FINDING_CSV = {
  header: ["as_of", "id", "severity", "status", "kind", "rule_id", "vulnerability_id", "title", "package", "installed_version", "fixed_version", "target", "team", "cluster", "namespace", "reported_by", "first_seen", "last_seen", "due", "sla", "assignee"],
  cells: (asOf: Date) => (f: FindingRow) => [
    // the SLA state as of the export, so a spreadsheet needs no date arithmetic
    asOf, f.id, f.severity, f.status, f.kind, f.ruleId, f.vulnerabilityId, f.title, f.packageName, f.installedVersion, f.fixedVersion,
    f.target, f.team, f.cluster, f.namespace, f.reportedBy, f.firstSeenAt, f.lastSeenAt, f.dueAt,
    slaState(f, asOf), f.assignee,
  ],
};
