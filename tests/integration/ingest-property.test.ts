// Mutated real reports and odd Falco events all the way into PostgreSQL: each lands or is a 400
// that changed nothing; nothing becomes a database error (a 500).
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { ingestReport } from "@/lib/ingest/ingest-report";
import { ingestRuntimeEvents } from "@/lib/ingest/falco/ingest-runtime-events";
import { mutatedReport, oddValue, realReports } from "@/lib/ingest/testing/mutations";
import { databaseFingerprint, resetDatabase } from "../support/db-state";

beforeAll(async () => {
  await resetDatabase();
});

const reports = realReports();

async function landsOrRefusesCleanly(work: () => Promise<unknown>): Promise<"ok" | "400"> {
  const before = await databaseFingerprint();
  try {
    await work();
    return "ok";
  } catch (error) {
    if (!(error instanceof AppError && error.status === 400)) throw error;
    expect(await databaseFingerprint()).toEqual(before);
    return "400";
  }
}

describe("ingest under arbitrary input, into the database", () => {
  it("mutated real reports land or are refused without a trace", async () => {
    const outcomes = { ok: 0, "400": 0 };
    await fc.assert(
      fc.asyncProperty(mutatedReport(reports), fc.boolean(), async ({ name, doc }, withContext) => {
        const context = withContext ? { format: "auto" as const, cluster: "prop", ...(name.includes("k8s-cluster") || name.startsWith("kube-bench") ? {} : { image: "registry.example.com/prop/app:1" }) } : { format: "auto" as const };
        outcomes[await landsOrRefusesCleanly(() => ingestReport({ body: JSON.stringify(doc), context }))] += 1;
      }),
      { numRuns: 120, endOnFailure: true },
    );
    // Both kinds happened: the property was exercised, not vacuous.
    expect(outcomes.ok).toBeGreaterThan(10);
    expect(outcomes["400"]).toBeGreaterThan(10);
  }, 300_000);

  it("Falco events with odd values are stored or rejected one by one", async () => {
    const event = fc.record({ rule: fc.oneof(fc.string({ minLength: 1 }), oddValue), priority: fc.constantFrom("Critical", "Warning", "Notice", "weird"), time: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), oddValue), output: oddValue, output_fields: fc.dictionary(fc.constantFrom("k8s.ns.name", "k8s.pod.name", "proc.cmdline", "evt.time"), oddValue) }, { requiredKeys: ["rule", "priority", "time"] });
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 20 }), async (events) => {
        await landsOrRefusesCleanly(() => ingestRuntimeEvents({ body: events.map((e) => JSON.stringify(e)).join("\n"), cluster: "prop" }));
      }),
      { numRuns: 60, endOnFailure: true },
    );
  }, 300_000);
});
