// What the ingest routes answer: shaped by these schemas and described by them in /api/v1/openapi.json.
import { z } from "zod";
import { REQUESTABLE_FORMATS } from "@/lib/ingest/detect";

const count = z.number().int().min(0);

export const scanAnswerSchema = z
  .object({
    scanId: z.string(),
    format: z.string().meta({ description: `The format the report was read as: ${REQUESTABLE_FORMATS.filter((f) => f !== "auto").join(", ")}` }),
    target: z.string(),
    findings: z.object({ total: count, new: count, reopened: count, fixed: count, unchanged: count }),
    skipped: z.array(z.object({ path: z.string().meta({ description: "JSON path of the entry in the report" }), reason: z.string() })).meta({
      description: "Entries that could not become findings (at most 1,000 listed, then one entry with the count of the rest)",
    }),
    warnings: z.array(z.string()).optional(),
    duplicate: z.literal(true).optional().meta({ description: "This exact report (and context) was ingested before; nothing changed" }),
  })
  .meta({ id: "ScanResult" });

export const runtimeAnswerSchema = z
  .object({
    accepted: count,
    rejected: count,
    alerts: count.meta({ description: "Alerts stored (new events; a redelivered event is a duplicate)" }),
    duplicates: count,
    ignored: count.meta({ description: "Falco's own internal events" }),
    errors: z.array(z.string()),
  })
  .meta({ id: "RuntimeEventsResult" });
