// The query parameters that complete or override what a report says about its context.
import { z } from "zod";
import { REQUESTABLE_FORMATS } from "@/lib/ingest/detect";

/** A name from the query (cluster, namespace, workload, team, image). */
export const contextName = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(253, "is longer than 253 characters")
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), "must not contain control characters (such as %00)");

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
  return JSON.stringify([c.cluster ?? null, c.namespace ?? null, c.workload ?? null, c.team ?? null, c.image ?? null, ...(c.artifact ? [c.artifact] : [])]);
}
