// The gate's request and answer: validated and shaped by these schemas, and described by them in
// /api/v1/openapi.json.
import { z } from "zod";
import { SEVERITIES } from "@/lib/findings/model";
import { GATE_ACTIONS, POLICY_NAME } from "@/lib/gate/policy";

export const gateQuerySchema = z.object({
  image: z
    .string({ message: "image is required: a reference or a digest" })
    .trim()
    .min(1, "image is required: a reference or a digest")
    .max(512)
    .meta({ description: 'The image: "registry/repo:tag", "registry/repo@sha256:…" or "sha256:…"', example: "ghcr.io/acme/shop:1.4.2" }),
  policy: z.string().trim().toLowerCase().regex(POLICY_NAME, "policy is a policy's name (lowercase letters, digits and dashes)").optional().meta({ description: "A policy by name; by default the image team's policy, else \"default\"" }),
  format: z.enum(["json", "junit"], { message: "format is json or junit" }).default("json").meta({ description: "junit: the same decision as a JUnit XML report" }),
});
export type GateQuery = z.infer<typeof gateQuerySchema>;

const count = z.number().int().min(0);

export const gateFindingSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    severity: z.enum(SEVERITIES),
    vulnerability: z.string().meta({ description: "The vulnerability id (CVE, GHSA…) or the check/secret rule id" }),
    title: z.string(),
    package: z.string().nullable(),
    installed: z.string().nullable(),
    fixedVersion: z.string().nullable(),
    firstSeenAt: z.iso.datetime(),
  })
  .meta({ id: "GateFinding" });
export type GateFinding = z.infer<typeof gateFindingSchema>;

export const gateViolationSchema = z
  .object({
    rule: z.string().meta({ description: "The rule, in words" }),
    action: z.enum(GATE_ACTIONS),
    reason: z.string(),
    count: count.meta({ description: "How many findings break the rule (at most 50 are listed)" }),
    findings: z.array(gateFindingSchema),
    remediation: z.string(),
  })
  .meta({ id: "GateViolation" });
export type GateViolation = z.infer<typeof gateViolationSchema>;

export const gateResultSchema = z
  .object({
    decision: z.enum(["pass", "warn", "fail"]),
    image: z.object({ ref: z.string(), id: z.string().nullable(), digest: z.string().nullable(), lastScannedAt: z.iso.datetime().nullable() }),
    summary: z
      .object({ critical: count, high: count, medium: count, low: count, unknown: count, fixable: count, accepted: count.meta({ description: "risk accepted by an approved exception (not counted as open)" }) })
      .meta({ description: "The image's open findings by severity" }),
    violations: z.array(gateViolationSchema),
    policy: z.object({ name: z.string(), version: z.number().int() }),
    evaluatedAt: z.iso.datetime(),
  })
  .meta({ id: "GateResult" });
export type GateResult = z.infer<typeof gateResultSchema>;
