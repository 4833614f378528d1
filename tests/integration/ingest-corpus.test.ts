// The corpus test (issue 13): every real report the repo holds goes through the real ingest, and
// the number of findings must equal an independent count written from the formats' documentation.
import { readdirSync } from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { ingestReport } from "@/lib/ingest/ingest-report";
import type { IngestContext } from "@/lib/ingest/context";
import { resetDatabase } from "../support/db-state";
import { FIXTURES_DIR, fixtureText } from "../support/fixtures";
import { specIdentityCount } from "../support/spec-identities";

const REPORT_DIRS = ["trivy", "grype", "k8s-misconfig", "kube-bench", "trivy-operator"];
const corpus = REPORT_DIRS.flatMap((dir) => readdirSync(path.join(FIXTURES_DIR, dir)).filter((f) => f.endsWith(".json")).map((f) => `${dir}/${f}`));

/** What a report of each kind needs from the query: a cluster for cluster tools, a name for nameless targets. */
function contextFor(file: string, doc: unknown): IngestContext {
  const clusterTool = /kube-bench|trivy-operator|k8s-cluster/.test(file);
  const nameless = file.includes("sarif") || file.includes("legacy") || (file.startsWith("trivy/") && !JSON.stringify(doc).includes("RepoTags") && !JSON.stringify(doc).includes("ArtifactName"));
  return { format: "auto", ...(clusterTool && !JSON.stringify(doc).includes('"ClusterName"') ? { cluster: "corpus" } : {}), ...(nameless ? { image: "registry.example/corpus:1" } : {}) };
}

beforeEach(resetDatabase);

describe("corpus: every real report in fixtures/", () => {
  it("holds reports of every tool, older and newer versions", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(25);
    expect(corpus).toContain("trivy/trivy_legacy-pre-0.20_alpine-310.json");
  });

  it.each(corpus)("%s: findings.total is the count the format's specification gives, nothing skipped", async (file) => {
    const text = fixtureText(file);
    const doc = JSON.parse(text);
    const expected = specIdentityCount(doc);
    const result = await ingestReport({ body: text, context: contextFor(file, doc) });
    expect(result.skipped).toEqual([]);
    expect(result.findings.total).toBe(expected);
  });
});
