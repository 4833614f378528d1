import { describe, expect, it } from "vitest";
import { parseKubeBench } from "@/lib/ingest/formats/kube-bench";
import { fixtureJson } from "@/lib/ingest/testing/fixtures";

describe("parseKubeBench", () => {
  it("reads both shapes alike, one cluster part per node type", () => {
    const withTotals = parseKubeBench(fixtureJson("kube-bench/kube-bench_result_with-totals.json"));
    const bare = parseKubeBench(fixtureJson("kube-bench/kube-bench_result_no-totals.json"));
    expect(withTotals.groups).toEqual(bare.groups);
    expect(withTotals.groups.map((g) => g.target)).toEqual([
      { kind: "cluster", name: null, part: "kube-bench:master" },
      { kind: "cluster", name: null, part: "kube-bench:etcd" },
      { kind: "cluster", name: null, part: "kube-bench:controlplane" },
    ]);
  });

  it("makes findings of WARN and FAIL only, PASS is not a finding", () => {
    const findings = parseKubeBench(fixtureJson("kube-bench/kube-bench_result_with-totals.json")).groups.flatMap((g) => g.findings);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: "compliance", ruleId: "CIS 3.1.1", scannerStatus: "WARN", severity: "low" });
  });

  it("rates a scored FAIL high and an unscored one medium", () => {
    const doc = fixtureJson<{ tests: { results: { status: string; scored: boolean }[] }[] }[]>("kube-bench/kube-bench_result_no-totals.json");
    doc[0].tests[0].results[0].status = "FAIL";
    const master = parseKubeBench(doc).groups[0].findings;
    expect(master.map((f) => f.severity)).toEqual(["high"]);
    doc[0].tests[0].results[0].scored = false;
    expect(parseKubeBench(doc).groups[0].findings[0].severity).toBe("medium");
  });
});
