// Gate policies: what a pipeline's image must satisfy. A policy is a list of rules, each `fail`
// or `warn`; security leads edit them in /admin/policy, and every save is a new version.
import { z } from "zod";
import { SEVERITIES } from "@/lib/findings/model";

export const GATE_ACTIONS = ["fail", "warn"] as const;
/** The finding kinds a gate looks at: what a scan of an image reports. */
export const GATE_KINDS = ["vulnerability", "secret", "misconfiguration"] as const;
export type GateKind = (typeof GATE_KINDS)[number];

const action = z.enum(GATE_ACTIONS, { message: "action is fail or warn" });

export const findingsRuleSchema = z.object({
  type: z.literal("findings"),
  action,
  kind: z.enum(GATE_KINDS, { message: `kind is one of ${GATE_KINDS.join(", ")}` }),
  /** this severity or worse */
  minSeverity: z.enum(SEVERITIES, { message: `minSeverity is one of ${SEVERITIES.join(", ")}` }),
  /** only findings a scanner knows a fixed version for */
  fixAvailable: z.boolean(),
  /** only findings first seen at least this many days ago (so a newly published CVE does not break every build at once) */
  graceDays: z.number().int("graceDays: whole days").min(0, "graceDays: at least 0").max(365, "graceDays: at most 365"),
});

export const scanAgeRuleSchema = z.object({
  type: z.literal("scan_age"),
  action,
  maxDays: z.number().int("maxDays: whole days").min(1, "maxDays: at least 1").max(365, "maxDays: at most 365"),
});

export const endOfLifeRuleSchema = z.object({ type: z.literal("end_of_life_os"), action });
export const rootRuleSchema = z.object({ type: z.literal("root_or_privileged"), action });

export const gateRuleSchema = z.discriminatedUnion("type", [findingsRuleSchema, scanAgeRuleSchema, endOfLifeRuleSchema, rootRuleSchema], {
  message: "a rule's type is findings, scan_age, end_of_life_os or root_or_privileged",
});
export type GateRule = z.infer<typeof gateRuleSchema>;

export const gateRulesSchema = z.array(gateRuleSchema).max(30, "at most 30 rules").superRefine((rules, ctx) => {
  if (rules.filter((r) => r.type !== "findings").some((r, i, all) => all.findIndex((o) => o.type === r.type) !== i)) {
    ctx.addIssue({ code: "custom", message: "scan_age, end_of_life_os and root_or_privileged appear at most once each" });
  }
});

export const POLICY_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const DEFAULT_POLICY = "default";

/** PRODUCT.md's default: fail on an open critical with a fix or an open secret; warn on a high with a fix older than 30 days; a scan at most 7 days old. */
export const DEFAULT_RULES: GateRule[] = [
  { type: "findings", action: "fail", kind: "vulnerability", minSeverity: "critical", fixAvailable: true, graceDays: 0 },
  { type: "findings", action: "fail", kind: "secret", minSeverity: "unknown", fixAvailable: false, graceDays: 0 },
  { type: "findings", action: "warn", kind: "vulnerability", minSeverity: "high", fixAvailable: true, graceDays: 30 },
  { type: "scan_age", action: "fail", maxDays: 7 },
];

const KIND_NOUN: Record<GateKind, string> = { vulnerability: "vulnerability", secret: "secret", misconfiguration: "misconfiguration" };

/** What a rule checks, in words: the `rule` of a violation and the label on the policy page. */
export function describeRule(rule: GateRule): string {
  switch (rule.type) {
    case "findings": {
      const severity = rule.minSeverity === "unknown" ? "" : rule.minSeverity === "low" ? "low or worse " : rule.minSeverity === "critical" ? "critical " : `${rule.minSeverity} or critical `;
      const fix = rule.fixAvailable ? " with a fix" : "";
      const grace = rule.graceDays > 0 ? `, first seen over ${rule.graceDays} days ago` : "";
      return `open ${severity}${KIND_NOUN[rule.kind]}${fix}${grace}`;
    }
    case "scan_age":
      return `last scan at most ${rule.maxDays} days old`;
    case "end_of_life_os":
      return "operating system still supported";
    case "root_or_privileged":
      return "no root or privileged misconfiguration";
  }
}
