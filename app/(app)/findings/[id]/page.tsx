import type { Metadata } from "next";
import Link from "next/link";
import { Panel } from "@/components/ui/panel";
import { SeverityBadge } from "@/components/ui/severity";
import { PageHeader } from "@/components/ui/page-header";
import { SlaBadge } from "@/components/findings/sla-badge";
import { AssignForm, CommentForm, ExceptionRequestForm, StatusForm } from "@/components/findings/triage-forms";
import { ExceptionList } from "@/components/exceptions/exception-list";
import { ScannerNotes } from "@/components/findings/scanner-notes";
import { RuntimeAlerts } from "@/components/findings/runtime-alerts";
import { recentRuntimeAlerts } from "@/lib/findings/runtime-alerts";
import { requireViewer, visibleOr404 } from "@/lib/auth/viewer";
import { scopeOfViewer } from "@/lib/authz/policy";
import { findingDetail } from "@/lib/posture/details";
import { findingTimeline, findingTriage, type TimelineEntry } from "@/lib/triage/finding-triage";
import { JUSTIFICATION_LABELS, STATUS_LABELS } from "@/lib/triage/workflow";
import { isoDate, plural, shortDigest } from "@/lib/format";

export const metadata: Metadata = { title: "Finding" };

export default async function FindingPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await requireViewer();
  const finding = await visibleOr404(findingDetail(scopeOfViewer(viewer), (await params).id));
  const [timeline, triage, alerts] = await Promise.all([
    findingTimeline(finding.id),
    findingTriage(viewer, finding),
    finding.kind === "runtime" ? recentRuntimeAlerts(finding.id) : Promise.resolve(null),
  ]);
  const exceptionRows = triage.exceptions;
  const now = new Date();
  const cvss = finding.cvssScore ?? finding.vulnerability?.cvssScore ?? null;
  const facts: [string, React.ReactNode][] = [
    ["Severity", <span key="s" className="flex items-center gap-2"><SeverityBadge severity={finding.severity} />{cvss !== null && <span className="text-slate-600">CVSS {cvss.toFixed(1)}</span>}</span>],
    ["Status", <span key="st" data-testid="finding-status">{STATUS_LABELS[finding.status]}{finding.justification ? ` (${JUSTIFICATION_LABELS[finding.justification]})` : ""}</span>],
    ["Due", <span key="d" className="flex items-center gap-2">{finding.dueAt ? isoDate(finding.dueAt) : "no SLA"} <SlaBadge status={finding.status} dueAt={finding.dueAt} now={now} /></span>],
    ["Assignee", finding.assignee ? finding.assignee.name || finding.assignee.email : "nobody"],
    ["Kind", finding.kind],
    ["Package", finding.packageName ? `${finding.packageName} ${finding.installedVersion ?? ""}` : "—"],
    ["Fixed in", finding.fixedVersion ? `${finding.fixedVersion}${finding.fixAvailableAt ? ` (known since ${isoDate(finding.fixAvailableAt)})` : ""}` : "no fix known"],
    ["Image", finding.image ? <ImageName key="i" image={finding.image} /> : "—"],
    ["Where", <Where key="w" finding={finding} />],
    ...(finding.location ? [["Path", `${finding.location}${finding.startLine ? `:${finding.startLine}` : ""}`] as [string, React.ReactNode]] : []),
    ["Team", finding.team?.name ?? "no team"],
    ["First seen", isoDate(finding.firstSeenAt)],
    ["Last seen", isoDate(finding.lastSeenAt)],
    ["Reported by", finding.reportedBy.join(", ") || "no scanner any more"],
  ];
  const open = finding.status === "open" || finding.status === "in_progress";
  return (
    <div className="flex flex-col gap-5">
      {/* A runtime finding's rule is its title too: say it once. */}
      <PageHeader title={finding.ruleId} description={finding.title === finding.ruleId ? undefined : finding.title} />
      <div className="grid gap-5 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
        <Panel title="Facts">
          <dl className="grid grid-cols-[8rem_1fr] gap-y-1 text-sm">
            {facts.map(([k, v]) => (
              <div key={k} className="contents">
                <dt className="text-slate-500">{k}</dt>
                <dd className="min-w-0 break-words text-slate-800">{v}</dd>
              </div>
            ))}
          </dl>
          {finding.vulnerability?.description && <p className="mt-4 whitespace-pre-line text-sm text-slate-700">{finding.vulnerability.description}</p>}
          <ScannerNotes details={finding.details} references={finding.vulnerability?.references ?? []} />
        </Panel>
        {triage.editable ? (
          <Panel title="Triage">
            <div className="flex flex-col gap-5">
              <StatusForm findingId={finding.id} status={finding.status} />
              <AssignForm findingId={finding.id} assigneeId={finding.assignee?.id ?? null} people={triage.people} viewerId={viewer.userId} />
              <CommentForm findingId={finding.id} />
            </div>
          </Panel>
        ) : (
          <Panel title="Triage"><p className="text-sm text-slate-600">You can read this finding; its team&apos;s engineers and the security leads triage it.</p></Panel>
        )}
      </div>
      {alerts && (
        <Panel title="Recent alerts">
          <RuntimeAlerts alerts={alerts} />
        </Panel>
      )}
      {(exceptionRows.length > 0 || (triage.mayRequest && open)) && (
        <Panel title="Exceptions">
          <div className="flex flex-col gap-4">
            {exceptionRows.length > 0 && <ExceptionList rows={exceptionRows} viewer={viewer} empty="" />}
            {triage.mayRequest && open && (
              <details className="rounded-md border border-slate-200 p-3">
                <summary className="cursor-pointer text-sm font-medium text-brand-700">Request an exception</summary>
                <div className="mt-3">
                  <ExceptionRequestForm findingId={finding.id} kind={finding.kind} hasPackage={finding.packageName !== null} fixable={finding.fixedVersion !== null} scopes={triage.scopes} namespaces={triage.namespaces} maxDays={triage.maxExceptionDays} latest={isoDate(new Date(now.getTime() + triage.maxExceptionDays * 86_400_000))} />
                </div>
              </details>
            )}
          </div>
        </Panel>
      )}
      <Panel title="History">
        <Timeline entries={timeline} />
      </Panel>
    </div>
  );
}

function Timeline({ entries }: { entries: TimelineEntry[] }) {
  return (
    <ol className="flex flex-col gap-2 text-sm text-slate-700" aria-label="Timeline">
      {entries.map((e, i) => (
        <li key={i} className="flex gap-3">
          <time className="w-32 shrink-0 text-xs tabular-nums text-slate-500" dateTime={e.at.toISOString()}>{e.at.toISOString().slice(0, 16).replace("T", " ")}</time>
          <div className="min-w-0">
            <span className="font-medium">{describe(e)}</span>
            {e.actor && <span className="text-slate-500"> · {e.actor}</span>}
            {e.text && <p className="whitespace-pre-line break-words text-slate-600">{e.text}</p>}
          </div>
        </li>
      ))}
    </ol>
  );
}

function describe(e: TimelineEntry): string {
  const to = e.toStatus ? STATUS_LABELS[e.toStatus as keyof typeof STATUS_LABELS] : null;
  switch (e.type) {
    case "created": return e.scanId ? "First seen by a scan" : "Created";
    case "comment": return "Comment";
    case "reopened": return "Reopened by a scan";
    case "fixed": return e.scanId ? "Fixed: a scan no longer reports it" : "Fixed";
    case "status_changed": return `Status → ${to}`;
    case "assigned": return "Assignment";
    case "fix_available": return "A fix became available";
    case "exception_requested": return "Exception requested";
    case "exception_approved": return "Exception approved → risk accepted";
    case "exception_rejected": return "Exception rejected";
    case "exception_expired": return "Exception ended → reopened";
    case "exception_revoked": return "Exception revoked → reopened";
    default: return e.type.replace(/_/g, " ");
  }
}

type Detail = Awaited<ReturnType<typeof findingDetail>>;

/** The image with the tag and digest that say which build this is. */
function ImageName({ image }: { image: NonNullable<Detail["image"]> }) {
  return (
    <>
      <Link className="text-brand-700 hover:underline" href={`/images/${image.id}`}>{image.repository.name}{image.tags[0] ? `:${image.tags[0]}` : ""}</Link>
      {shortDigest(image.digest) && <span className="ml-1 font-mono text-xs text-slate-500" title={image.digest ?? ""}>@{shortDigest(image.digest)}</span>}
    </>
  );
}

/** Where the finding is: its cluster, namespace and workload; for an image's finding, where the image runs. */
function Where({ finding }: { finding: Detail }) {
  const own = [finding.cluster?.name, finding.namespace?.name, finding.workload && `${finding.workload.kind} ${finding.workload.name}`].filter(Boolean).join(" / ");
  if (own || !finding.image) return <>{own || "—"}</>;
  const runs = finding.image.workloads.map(({ workload: w }) => `${w.namespace.cluster.name} / ${w.namespace.name} / ${w.kind} ${w.name}`);
  if (runs.length === 0) return <span className="text-slate-500">the image is not seen running</span>;
  const more = finding.image._count.workloads - runs.length;
  return (
    <ul aria-label="Where the image runs">
      {runs.map((r) => <li key={r}>runs in {r}</li>)}
      {more > 0 && <li className="text-slate-500">and {plural(more, "more workload")}</li>}
    </ul>
  );
}
