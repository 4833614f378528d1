// An image's page lists its vulnerabilities by package, the worst 200, and says how many there are.
import { beforeEach, expect, it } from "vitest";
import { generateTrivyReport } from "@/bench/report-generator";
import { scopeOfViewer } from "@/lib/authz/policy";
import { db } from "@/lib/db";
import { ingestReport } from "@/lib/ingest/ingest-report";
import { imageDetail } from "@/lib/posture/details";
import { resetDatabase } from "../support/db-state";
import { FIXTURES_DIR } from "../support/fixtures";

beforeEach(resetDatabase);

it("lists the 200 packages with the worst findings and counts all of them", async () => {
  const { report, body } = generateTrivyReport(FIXTURES_DIR, "registry.example.com/many/packages:1", 2_100);
  await ingestReport({ body, context: { format: "auto" } });
  const vulnerable = new Set(report.Results.flatMap((r) => r.Vulnerabilities.map((v) => v.PkgName)));
  expect(vulnerable.size).toBeGreaterThan(200);
  const image = await db.image.findFirstOrThrow();
  const detail = await imageDetail(scopeOfViewer({ role: "security_lead", teamIds: [] }), image.id);
  expect(detail.vulnerablePackages).toBe(vulnerable.size);
  expect(detail.byPackage).toHaveLength(200);
  expect(detail.byPackage.reduce((n, p) => n + p.findings, 0)).toBeLessThan(2_100);
  const order = ["critical", "high", "medium", "low", "unknown"];
  const ranks = detail.byPackage.map((p) => order.indexOf(p.worst));
  expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
});
