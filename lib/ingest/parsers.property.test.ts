// Every parser, on arbitrary JSON and on mutated real reports: findings or a 400, never an
// exception of another kind (which the API would answer with a 500).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { applyContext } from "@/lib/ingest/apply-context";
import { detectAndParse } from "@/lib/ingest/detect";
import { parseJsonBody } from "@/lib/ingest/ingest-report";
import { assertStorable } from "@/lib/ingest/storable";
import { parseFalcoBody } from "@/lib/ingest/falco/parse-events";
import { mutatedReport, oddValue, realReports } from "@/lib/ingest/testing/mutations";
import type { IngestContext } from "@/lib/ingest/context";

const contexts: IngestContext[] = [{ format: "auto" }, { format: "auto", cluster: "prod" }, { format: "auto", image: "registry.example.com/app:1" }];

/** What the API would answer: "ok" (findings), "400", or it throws (a 500). */
function outcome(doc: unknown, context: IngestContext): "ok" | "400" {
  try {
    const report = detectAndParse(parseJsonBody(JSON.stringify(doc)), context.format);
    assertStorable(report.tool, applyContext(report.groups, context));
    return "ok";
  } catch (error) {
    if (error instanceof AppError && error.status === 400) return "400";
    throw error;
  }
}

const reports = realReports();

describe("parsers under arbitrary input", () => {
  it("every real report parses", () => {
    const clusterReport = (name: string) => name.startsWith("kube-bench") || name.includes("k8s-cluster");
    for (const { name, doc } of reports) expect(outcome(doc, clusterReport(name) ? contexts[1] : contexts[2]), name).toBe("ok");
  });

  it("arbitrary JSON gives findings or a 400", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(contexts.length - 1), (doc, c) => {
        outcome(doc, contexts[c]);
      }),
      { numRuns: 2000 },
    );
  });

  it("real reports with one node changed or removed give findings or a 400", () => {
    fc.assert(
      fc.property(mutatedReport(reports), fc.nat(contexts.length - 1), ({ doc }, c) => {
        outcome(doc, contexts[c]);
      }),
      { numRuns: 3000 },
    );
  }, 60_000);

  it("Falco bodies of any shape give events, rejections, or a 400", () => {
    const event = fc.record({ rule: oddValue, priority: oddValue, time: oddValue, output: oddValue, output_fields: fc.option(fc.dictionary(fc.string(), oddValue)) }, { requiredKeys: [] });
    const body = fc.oneof(
      fc.string(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.array(event).map((events) => JSON.stringify(events)),
      fc.array(event).map((events) => events.map((e) => JSON.stringify(e)).join("\n")),
    );
    fc.assert(
      fc.property(body, (text) => {
        try {
          const parsed = parseFalcoBody(text);
          expect(parsed.events.length + parsed.errors.length).toBeGreaterThanOrEqual(0);
        } catch (error) {
          if (!(error instanceof AppError && error.status === 400)) throw error;
        }
      }),
      { numRuns: 400 },
    );
  }, 60_000);
});
