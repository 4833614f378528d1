// GET /api/v1/gate: an image against its gate policy. Always a decision: an image never scanned
// (or not visible to the token), or scanned longer ago than the policy allows, fails with that
// reason. Open means open or in progress: risk-accepted (approved exceptions), false-positive and
// not-affected findings never count. Each decision is recorded for the image page.
import { db, Prisma, prismaRun } from "@/lib/db";
import { notifyGateFailure } from "@/lib/notify/producers";
import { tokenSeesImage } from "@/lib/api/token-scope";
import { SEVERITIES, type Severity } from "@/lib/findings/model";
import { findImageByRef, type FoundImage } from "@/lib/images/find-image";
import { ROOT_OR_PRIVILEGED_CHECKS } from "@/lib/posture/overview";
import { describeRule, type GateRule } from "@/lib/gate/policy";
import type { GateFinding, GateQuery, GateResult, GateViolation } from "@/lib/gate/schema";
import { policyFor, type StoredPolicy } from "@/lib/gate/store";
import type { VerifiedToken } from "@/lib/tokens/api-tokens";

/** Findings listed per violation; `count` has them all. */
export const LISTED_FINDINGS = 50;
/** Root and privileged checks: Trivy's Kubernetes ones, and its Dockerfile/image-config "runs as root". */
const ROOT_CHECKS = [...ROOT_OR_PRIVILEGED_CHECKS, "DS-0002"];
const DAY = 86_400_000;

export async function evaluateGate(token: VerifiedToken, query: GateQuery, now = new Date()): Promise<GateResult> {
  const found = await findImageByRef(query.image);
  const image = found && (await tokenSeesImage(token, found)) ? found : null;
  const policy = await policyFor(query.policy, image?.teamId ?? token.teamId);
  const result = image?.lastScannedAt ? await judge(image, image.lastScannedAt, policy, now) : neverScanned(query.image, policy, now);
  // A failure is the team's news: the image's team, or (for an image it cannot see or never scanned) the token's.
  await record(result, query.image, token.id, image?.teamId ?? token.teamId, now);
  return result;
}

function neverScanned(ref: string, policy: StoredPolicy, now: Date): GateResult {
  return {
    decision: "fail",
    image: { ref, id: null, digest: null, lastScannedAt: null },
    summary: { critical: 0, high: 0, medium: 0, low: 0, unknown: 0, fixable: 0, accepted: 0 },
    violations: [
      {
        rule: "image scanned",
        action: "fail",
        reason: `No scan of ${ref} has been posted (or this token may not see it)`,
        count: 0,
        findings: [],
        remediation: `Scan the image and post the report first: trivy image -f json ${ref} | curl --data-binary @- "$PORTCULLIS_URL/api/v1/scans?image=${ref}"`,
      },
    ],
    policy: { name: policy.name, version: policy.version },
    evaluatedAt: now.toISOString(),
  };
}

async function judge(image: FoundImage, lastScannedAt: Date, policy: StoredPolicy, now: Date): Promise<GateResult> {
  const [summary, ...checked] = await Promise.all([summaryOf(image.id), ...policy.rules.map((rule) => check(rule, image, lastScannedAt, now))]);
  const violations = checked.filter((v): v is GateViolation => v !== null);
  const decision = violations.some((v) => v.action === "fail") ? "fail" : violations.length ? "warn" : "pass";
  return {
    decision,
    image: { ref: `${image.repository.name}${image.tags[0] ? `:${image.tags[0]}` : ""}`, id: image.id, digest: image.digest, lastScannedAt: lastScannedAt.toISOString() },
    summary,
    // Failures first, so a pipeline's log shows what broke the build at the top.
    violations: [...violations.filter((v) => v.action === "fail"), ...violations.filter((v) => v.action === "warn")],
    policy: { name: policy.name, version: policy.version },
    evaluatedAt: now.toISOString(),
  };
}

async function check(rule: GateRule, image: FoundImage, lastScannedAt: Date, now: Date): Promise<GateViolation | null> {
  const base = { rule: describeRule(rule), action: rule.action };
  switch (rule.type) {
    case "scan_age": {
      const days = Math.floor((now.getTime() - lastScannedAt.getTime()) / DAY);
      if (days <= rule.maxDays) return null;
      return { ...base, reason: `The last scan is ${days} days old (the policy allows ${rule.maxDays})`, count: 0, findings: [], remediation: "Scan the image again and post the report before asking the gate" };
    }
    case "end_of_life_os":
      if (!image.osEndOfLife) return null;
      return { ...base, reason: `${[image.osFamily, image.osName].filter(Boolean).join(" ") || "The operating system"} no longer gets security updates`, count: 0, findings: [], remediation: "Rebuild the image on a supported base image" };
    case "root_or_privileged": {
      const { findings, count } = await matching(Prisma.sql`f.kind = 'misconfiguration' AND f."ruleId" = ANY(${ROOT_CHECKS}::text[])`, image.id, true);
      if (count === 0) return null;
      return { ...base, reason: `${count} open root or privileged misconfiguration${count === 1 ? "" : "s"}`, count, findings, remediation: "Run as a non-root user (USER in the Dockerfile, runAsNonRoot in the pod) and drop privileged mode and privilege escalation" };
    }
    case "findings": {
      const severities = SEVERITIES.slice(0, SEVERITIES.indexOf(rule.minSeverity) + 1);
      const conditions = [Prisma.sql`f.kind = ${rule.kind}::"FindingKind"`, Prisma.sql`f.severity = ANY(${severities}::"Severity"[])`];
      if (rule.fixAvailable) conditions.push(Prisma.sql`f.fixable`);
      if (rule.graceDays > 0) conditions.push(Prisma.sql`f."firstSeenAt" <= ${new Date(now.getTime() - rule.graceDays * DAY)}`);
      const { findings, count } = await matching(Prisma.join(conditions, " AND "), image.id, false);
      if (count === 0) return null;
      return { ...base, reason: `${count} finding${count === 1 ? "" : "s"}: ${base.rule}`, count, findings, remediation: remediationOf(rule, findings) };
    }
  }
}

function remediationOf(rule: Extract<GateRule, { type: "findings" }>, findings: GateFinding[]): string {
  if (rule.kind === "secret") return "Remove the secret from the image, rotate it, and rebuild";
  if (rule.kind === "misconfiguration") return "Fix the listed checks in the Dockerfile or manifests and rebuild";
  const upgrades = findings.filter((f) => f.package && f.fixedVersion).slice(0, 5).map((f) => `${f.package} ${f.installed ?? ""} → ${f.fixedVersion}`.replace("  ", " "));
  const more = findings.length > upgrades.length ? " (see the list)" : "";
  return upgrades.length ? `Upgrade ${[...new Set(upgrades)].join(", ")}${more}, or request an exception` : "Upgrade the affected packages or rebuild on a patched base image, or request an exception";
}

interface Matched {
  id: string;
  vulnerabilityId: string | null;
  ruleId: string;
  title: string;
  kind: string;
  severity: Severity;
  packageName: string | null;
  installedVersion: string | null;
  fixedVersion: string | null;
  firstSeenAt: Date;
  total: number;
}

/** The image's open findings that match (and, for root checks, those of the workloads running it): the first ones and how many. */
async function matching(condition: Prisma.Sql, imageId: string, withWorkloads: boolean): Promise<{ findings: GateFinding[]; count: number }> {
  const where = withWorkloads
    ? Prisma.sql`(f."imageId" = ${imageId} OR f."workloadId" IN (SELECT "workloadId" FROM "WorkloadImage" WHERE "imageId" = ${imageId}))`
    : Prisma.sql`f."imageId" = ${imageId}`;
  const rows = await db.$queryRaw<Matched[]>`
    SELECT f.id, f."vulnerabilityId", f."ruleId", f.title, f.kind, f.severity, f."packageName", f."installedVersion", f."fixedVersion", f."firstSeenAt",
      count(*) OVER ()::int AS total
    FROM "Finding" f
    WHERE ${where} AND f.status IN ('open', 'in_progress') AND ${condition}
    ORDER BY f.severity, f."firstSeenAt", f.id
    LIMIT ${LISTED_FINDINGS}`;
  return {
    count: rows[0]?.total ?? 0,
    findings: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      severity: r.severity,
      vulnerability: r.vulnerabilityId ?? r.ruleId,
      title: r.title,
      package: r.packageName,
      installed: r.installedVersion,
      fixedVersion: r.fixedVersion,
      firstSeenAt: r.firstSeenAt.toISOString(),
    })),
  };
}

/** Open findings by severity (and how many have a fix, and how many are risk accepted), from the read models. */
async function summaryOf(imageId: string): Promise<GateResult["summary"]> {
  const [row] = await db.$queryRaw<GateResult["summary"][]>`
    SELECT COALESCE(p.critical, 0) AS critical, COALESCE(p.high, 0) AS high, COALESCE(p.medium, 0) AS medium, COALESCE(p.low, 0) AS low,
      COALESCE(p.unknown, 0) AS unknown,
      COALESCE(p."criticalFixable" + p."highFixable" + p."mediumFixable" + p."lowFixable" + p."unknownFixable", 0) AS fixable,
      (SELECT count(*)::int FROM "Finding" f WHERE f."imageId" = ${imageId} AND f.status = 'risk_accepted') AS accepted
    FROM (SELECT 1) one LEFT JOIN "ImagePosture" p ON p."imageId" = ${imageId}`;
  return row;
}

/** Records the decision; a failure is also a webhook event (in the same transaction). */
async function record(result: GateResult, ref: string, tokenId: string, teamId: string | null, now: Date): Promise<void> {
  const violations = result.violations.map((v) => ({ rule: v.rule, action: v.action, reason: v.reason, count: v.count, remediation: v.remediation }));
  await db.$transaction(async (tx) => {
    const row = await tx.gateDecision.create({
      data: { imageId: result.image.id, imageRef: ref.slice(0, 512), policyName: result.policy.name, policyVersion: result.policy.version, decision: result.decision, summary: result.summary, violations, tokenId, evaluatedAt: now },
      select: { id: true },
    });
    if (result.decision !== "fail") return;
    const reasons = result.violations.filter((v) => v.action === "fail").map((v) => v.reason);
    await notifyGateFailure(prismaRun(tx), { decisionId: String(row.id), imageId: result.image.id, imageRef: ref, teamId, policy: `${result.policy.name} v${result.policy.version}`, reasons }, now);
  });
}

/** The image page's recent decisions. */
export function recentDecisions(imageId: string, take = 10) {
  return db.gateDecision.findMany({ where: { imageId }, orderBy: { evaluatedAt: "desc" }, take, select: { id: true, decision: true, policyName: true, policyVersion: true, violations: true, evaluatedAt: true, imageRef: true } });
}
