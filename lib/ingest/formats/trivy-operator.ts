// Trivy Operator reports (aquasecurity.github.io/v1alpha1) → the normalised report: one resource,
// a `kubectl get … -o json` list of them, or the operator's webhook body ({verb, operatorObject}).
// The operator's labels say which workload and container a report is about; cluster= names the
// cluster (the resources do not).
import { z } from "zod";
import { ReportError } from "@/lib/ingest/errors";
import { parseImageRef } from "@/lib/ingest/image-ref";
import { ownerOfReplicaSet, resourceLabel } from "@/lib/ingest/k8s-names";
import { compact, cvssScore, isObject, parseDate, uniqueStrings, validateEntries } from "@/lib/ingest/formats/common";
import { normaliseCheckId } from "@/lib/ingest/formats/trivy";
import { makeFinding, targetGroup, type ImageTargetInfo, type NormalisedFinding, type NormalisedReport, type SkippedEntry, type TargetFindings, type WorkloadRef } from "@/lib/findings/model";
import { severityFromWord } from "@/lib/findings/severity";
import { complianceLocalKey, misconfigurationLocalKey, secretLocalKey, vulnerabilityLocalKey } from "@/lib/findings/identity";

const API_GROUP = "aquasecurity.github.io/";
const IMAGE_KINDS = new Set(["VulnerabilityReport", "ExposedSecretReport"]);
const CHECK_KINDS = new Set(["ConfigAuditReport", "ClusterConfigAuditReport", "RbacAssessmentReport", "ClusterRbacAssessmentReport", "InfraAssessmentReport", "ClusterInfraAssessmentReport"]);
const KINDS = new Set([...IMAGE_KINDS, ...CHECK_KINDS, "ClusterComplianceReport"]);

const text = z.string().nullish();
const check = z.looseObject({ checkID: z.string().min(1), title: text, severity: text, description: text, remediation: text, success: z.boolean().nullish(), messages: z.array(z.string()).nullish() });
const operatorObject = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: z
    .looseObject({
      name: text,
      namespace: text,
      labels: z.record(z.string(), z.string()).nullish(),
      ownerReferences: z.array(z.looseObject({ kind: text, name: text })).nullish(),
    })
    .nullish(),
  report: z
    .looseObject({
      updateTimestamp: text,
      scanner: z.looseObject({ name: text, version: text }).nullish(),
      registry: z.looseObject({ server: text }).nullish(),
      artifact: z.looseObject({ repository: text, tag: text, digest: text }).nullish(),
      os: z.looseObject({ family: text, name: text, eosl: z.boolean().nullish() }).nullish(),
      vulnerabilities: z
        .array(
          z.looseObject({
            vulnerabilityID: z.string().min(1),
            resource: z.string(),
            installedVersion: text,
            fixedVersion: text,
            severity: text,
            title: text,
            description: text,
            primaryLink: text,
            links: z.array(z.string()).nullish(),
            score: cvssScore.nullish(),
            target: text,
            pkgPath: text,
            pkgPURL: text,
            publishedDate: text,
            lastModifiedDate: text,
          }),
        )
        .nullish(),
      secrets: z.array(z.looseObject({ ruleID: z.string().min(1), target: text, title: text, category: text, severity: text, match: text })).nullish(),
      checks: z.array(check).nullish(),
    })
    .nullish(),
  spec: z.looseObject({ compliance: z.looseObject({ id: text, title: text }).nullish() }).nullish(),
  status: z
    .looseObject({
      summaryReport: z.looseObject({ controlCheck: z.array(z.looseObject({ id: z.string().min(1), name: text, severity: text, totalFail: z.number().nullish() })).nullish() }).nullish(),
    })
    .nullish(),
});
type OperatorObject = z.infer<typeof operatorObject>;
type Vulnerability = NonNullable<NonNullable<OperatorObject["report"]>["vulnerabilities"]>[number];

const webhookBody = z.looseObject({ verb: z.string(), operatorObject });
const list = z.looseObject({ kind: z.string(), items: z.array(operatorObject) });

function isOperatorObject(doc: unknown): boolean {
  return isObject(doc) && typeof doc.apiVersion === "string" && doc.apiVersion.startsWith(API_GROUP) && typeof doc.kind === "string" && KINDS.has(doc.kind);
}

export function looksLikeTrivyOperator(doc: unknown): boolean {
  if (!isObject(doc)) return false;
  if (isOperatorObject(doc)) return true;
  if ("operatorObject" in doc) return isOperatorObject(doc.operatorObject);
  return Array.isArray(doc.items) && doc.items.length > 0 && doc.items.every(isOperatorObject);
}

export function parseTrivyOperator(doc: unknown): NormalisedReport {
  const { objects, skipped, verb, isList } = readDocument(doc);
  if (verb === "delete") {
    throw new ReportError("A deleted report (verb: delete) carries no findings: findings close when a newer report no longer lists them. Set the operator's webhookSendDeletedReports to false.", "invalid_context");
  }
  const images = new Map<string, TargetFindings>();
  const clusterGroups: TargetFindings[] = [];
  for (const [index, object] of objects.entries()) {
    if (!IMAGE_KINDS.has(object.kind)) {
      clusterGroups.push(object.kind === "ClusterComplianceReport" ? complianceGroup(object) : checksGroup(object));
    } else if (imageOf(object).repository) addImageReport(images, object);
    else skipped.push({ path: isList ? `$.items[${index}]` : "$", reason: `${object.kind} names no image (report.artifact.repository is empty): its findings have no image to belong to` });
  }
  const version = objects.find((o) => o.report?.scanner?.version)?.report?.scanner?.version ?? null;
  const created = objects.map((o) => parseDate(o.report?.updateTimestamp)).find((d) => d !== null) ?? null;
  return { format: "trivy-operator", tool: "trivy", toolVersion: version, reportCreatedAt: created, groups: [...clusterGroups, ...images.values()], skipped };
}

const ENTRIES = new Set(["items", "vulnerabilities", "secrets", "checks", "controlCheck"]);

/** The shape is told apart first, so that a bad entry is found (and skipped) within the shape it is in. */
function readDocument(doc: unknown): { objects: OperatorObject[]; skipped: SkippedEntry[]; verb: string | null; isList: boolean } {
  if (isObject(doc) && "operatorObject" in doc) {
    const { data, skipped } = validateEntries(webhookBody, doc, "Trivy Operator webhook", ENTRIES);
    return { objects: [data.operatorObject], skipped, verb: data.verb, isList: false };
  }
  if (isObject(doc) && "items" in doc) {
    const { data, skipped } = validateEntries(list, doc, "Trivy Operator list", ENTRIES);
    return { objects: data.items, skipped, verb: null, isList: true };
  }
  const { data, skipped } = validateEntries(operatorObject, doc, "Trivy Operator", ENTRIES);
  return { objects: [data], skipped, verb: null, isList: false };
}

/**
 * The workload a report is about: the operator's labels (some versions prefix them with
 * `annotation.`), else the report's owner. A ReplicaSet is its Deployment's (pod-template hash).
 */
function workloadOf(object: OperatorObject): WorkloadRef | null {
  const labels = object.metadata?.labels ?? {};
  const label = (key: string) => labels[`trivy-operator.${key}`] ?? labels[`annotation.trivy-operator.${key}`];
  const owner = object.metadata?.ownerReferences?.[0];
  const kind = label("resource.kind") ?? owner?.kind;
  const name = label("resource.name") ?? owner?.name;
  if (!kind || !name) return null;
  const namespace = label("resource.namespace") ?? object.metadata?.namespace ?? "";
  const deployment = kind === "ReplicaSet" ? ownerOfReplicaSet(name) : null;
  return deployment ? { namespace, kind: "Deployment", name: deployment } : { namespace, kind, name };
}

function imageOf(object: OperatorObject): ImageTargetInfo {
  const r = object.report;
  const server = r?.registry?.server && r.registry.server !== "index.docker.io" ? r.registry.server : "docker.io";
  const repository = r?.artifact?.repository ?? "";
  const ref = repository ? parseImageRef(`${server}/${repository}`) : null;
  const digest = r?.artifact?.digest && /^sha256:[a-f0-9]{64}$/.test(r.artifact.digest) ? r.artifact.digest : null;
  return {
    kind: "image",
    repository: ref?.repository ?? "",
    tags: uniqueStrings([r?.artifact?.tag]),
    digest,
    configId: null,
    osFamily: r?.os?.family ?? null,
    osName: r?.os?.name ?? null,
    osEndOfLife: r?.os?.eosl ?? false,
    sizeBytes: null,
  };
}

/** A VulnerabilityReport or ExposedSecretReport: findings of the image, and the workload that runs it. */
function addImageReport(images: Map<string, TargetFindings>, object: OperatorObject): void {
  const target = imageOf(object);
  const key = `${target.repository}@${target.digest ?? target.tags[0] ?? ""}`;
  const group = images.get(key) ?? targetGroup(target, [], { workloads: [] });
  images.set(key, group);
  const workload = workloadOf(object);
  if (workload?.namespace && !group.workloads.some((w) => w.namespace === workload.namespace && w.kind === workload.kind && w.name === workload.name)) group.workloads.push(workload);
  // A VulnerabilityReport looks for vulnerabilities only, an ExposedSecretReport for secrets only:
  // neither may close what the other (or Trivy in CI, the same scanner) found in the image.
  const checks = (group.checks ??= []);
  const kind = object.kind === "ExposedSecretReport" ? "secret" : "vulnerability";
  if (!checks.includes(kind)) checks.push(kind);
  // The same image's reports of other workloads list the same findings: the merge keeps one of each.
  for (const v of object.report?.vulnerabilities ?? []) group.findings.push(vulnerabilityFinding(v));
  for (const s of object.report?.secrets ?? []) {
    const file = s.target ?? "";
    group.findings.push(makeFinding({ kind: "secret", localKey: secretLocalKey({ file, ruleId: s.ruleID, line: null }), ruleId: s.ruleID, title: s.title ?? s.ruleID, severity: severityFromWord(s.severity), location: file, details: compact({ category: s.category, match: s.match }) }));
  }
}

function vulnerabilityFinding(v: Vulnerability): NormalisedFinding {
  const severity = severityFromWord(v.severity);
  const path = v.pkgPath || null;
  return makeFinding({
    kind: "vulnerability",
    localKey: vulnerabilityLocalKey({ id: v.vulnerabilityID, pkg: v.resource, version: v.installedVersion ?? "", path }),
    ruleId: v.vulnerabilityID,
    title: v.title || `${v.vulnerabilityID} in ${v.resource}`,
    severity,
    cvssScore: v.score ?? null,
    vulnerability: {
      id: v.vulnerabilityID,
      aliases: [],
      severity,
      cvssScore: v.score ?? null,
      cvssVector: null,
      cvssVersion: null,
      title: v.title ?? null,
      description: v.description ?? null,
      cwes: [],
      references: uniqueStrings([v.primaryLink, ...(v.links ?? [])]),
      publishedAt: parseDate(v.publishedDate),
      modifiedAt: parseDate(v.lastModifiedDate),
    },
    packageName: v.resource,
    installedVersion: v.installedVersion ?? "",
    packagePath: path,
    purl: v.pkgPURL || null,
    fixedVersion: v.fixedVersion?.trim() || null,
    location: path ?? v.target ?? null,
  });
}

/**
 * Config audit, RBAC and infra assessment reports: failed checks of one object. Each object is a
 * part of the cluster of its own, so a newer report of that object closes only its own findings.
 */
function checksGroup(object: OperatorObject): TargetFindings {
  const workload = workloadOf(object) ?? { namespace: object.metadata?.namespace ?? "", kind: object.kind, name: object.metadata?.name ?? "" };
  const resourceId = resourceLabel(workload);
  const findings = (object.report?.checks ?? [])
    .filter((c) => c.success === false)
    .map((c) => {
      const checkId = normaliseCheckId(c.checkID);
      return {
        ...makeFinding({
          kind: "misconfiguration",
          localKey: misconfigurationLocalKey({ resource: resourceId, checkId }),
          ruleId: checkId,
          title: c.title ?? checkId,
          severity: severityFromWord(c.severity),
          scannerStatus: "FAIL",
          location: resourceId,
          details: compact({ message: c.messages?.join("\n"), description: c.description, resolution: c.remediation, report: object.kind }),
        }),
        resource: workload.namespace ? workload : null,
      };
    });
  return targetGroup({ kind: "cluster", name: null, part: `trivy-operator:${object.kind}:${resourceId}` }, findings);
}

/** A ClusterComplianceReport: each control that failed somewhere is a finding of the cluster. */
function complianceGroup(object: OperatorObject): TargetFindings {
  const spec = object.spec?.compliance?.id ?? object.metadata?.name ?? "compliance";
  const findings = (object.status?.summaryReport?.controlCheck ?? [])
    .filter((c) => (c.totalFail ?? 0) > 0)
    .map((c) =>
      makeFinding({
        kind: "compliance",
        localKey: complianceLocalKey({ nodeType: spec, checkId: c.id }),
        ruleId: `${spec} ${c.id}`,
        title: c.name ?? c.id,
        severity: severityFromWord(c.severity),
        scannerStatus: "FAIL",
        location: object.spec?.compliance?.title ?? spec,
        details: compact({ failed: c.totalFail }),
      }),
    );
  return targetGroup({ kind: "cluster", name: null, part: `trivy-operator:compliance:${spec}` }, findings);
}
