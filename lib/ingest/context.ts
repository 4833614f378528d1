// The query parameters that complete or override what a report says about its context.
import { z } from "zod";
import type { FindingKind } from "@/lib/generated/prisma/enums";
import { REQUESTABLE_FORMATS } from "@/lib/ingest/detect";

/** A name from the query (cluster, namespace, workload, team, image). */
export const contextName = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(253, "is longer than 253 characters")
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), "must not contain control characters (such as %00)");

/** Trivy's scanners (`--scanners`; "config" before 0.37) and the kind of finding each looks for; licenses are not findings here. */
const SCANNER_KINDS: Record<string, FindingKind | null> = { vuln: "vulnerability", misconfig: "misconfiguration", config: "misconfiguration", secret: "secret", license: null };

/** scanners=vuln,secret: the kinds the scan looked for, so that it closes only findings of those kinds. */
const scanners = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .transform((value, ctx) => {
    const names = value.split(",").map((name) => name.trim().toLowerCase());
    const unknown = names.filter((name) => !Object.hasOwn(SCANNER_KINDS, name));
    if (unknown.length > 0) {
      ctx.addIssue({ code: "custom", message: `${unknown.map((n) => `'${n.slice(0, 40)}'`).join(", ")} is not one of Trivy's scanners: vuln, misconfig, secret, license` });
      return z.NEVER;
    }
    return [...new Set(names.map((name) => SCANNER_KINDS[name]).filter((kind) => kind !== null))];
  });

export const ingestContextSchema = z
  .object({
    format: z.enum(REQUESTABLE_FORMATS).default("auto"),
    cluster: contextName.optional(),
    namespace: contextName.optional(),
    workload: contextName.optional(),
    team: contextName.optional(),
    image: contextName.optional(),
    /** the scanned repository or directory, for reports that do not name it (SARIF, trimmed Grype) */
    artifact: contextName.optional(),
    /** what the scan looked for, when not everything (`trivy --scanners vuln`) */
    scanners: scanners.optional(),
  })
  .strict()
  .refine((c) => !c.namespace || c.cluster, { message: "namespace= needs cluster=", path: ["namespace"] })
  .refine((c) => !c.workload || c.namespace, { message: "workload= needs namespace= and cluster=", path: ["workload"] });

export type IngestContext = z.infer<typeof ingestContextSchema>;

/** POST /api/v1/runtime-events: the cluster the events come from (a cluster-bound token names it itself). */
export const runtimeEventsQuerySchema = z.object({ cluster: contextName.optional() }).strict();

/** A workload parameter is "kind/name" (deployment/api) or a bare name (then kind is "Workload"). */
export function splitWorkload(workload: string): { kind: string; name: string } {
  const slash = workload.indexOf("/");
  if (slash <= 0) return { kind: "Workload", name: workload };
  return { kind: workload.slice(0, slash), name: workload.slice(slash + 1) };
}

/** Context parameters in a fixed order, so that the same report with the same context dedupes. */
export function canonicalContext(c: IngestContext): string {
  const scanned = c.scanners ? [[...c.scanners].sort().join(",")] : [];
  return JSON.stringify([c.cluster ?? null, c.namespace ?? null, c.workload ?? null, c.team ?? null, c.image ?? null, ...(c.artifact || c.scanners ? [c.artifact ?? null] : []), ...scanned]);
}
