import { describe, expect, it } from "vitest";
import { pickOwningRule } from "@/lib/ownership/resolve-team";

const rule = (teamId: string, r: { repositoryPrefix?: string; clusterName?: string; namespace?: string }) => ({
  teamId,
  repositoryPrefix: r.repositoryPrefix ?? null,
  clusterName: r.clusterName ?? null,
  namespace: r.namespace ?? null,
});

const rules = [
  rule("acme", { repositoryPrefix: "ghcr.io/acme/" }),
  rule("payments", { repositoryPrefix: "ghcr.io/acme/payments/" }),
  rule("platform", { clusterName: "prod" }),
  rule("data", { clusterName: "prod", namespace: "etl" }),
];

describe("pickOwningRule", () => {
  it("prefers the longest repository prefix", () => {
    expect(pickOwningRule(rules, { repository: "ghcr.io/acme/payments/api" })?.teamId).toBe("payments");
    expect(pickOwningRule(rules, { repository: "ghcr.io/acme/web" })?.teamId).toBe("acme");
  });

  it("falls back to namespace, then cluster rules", () => {
    expect(pickOwningRule(rules, { repository: "docker.io/redis", cluster: "prod", namespace: "etl" })?.teamId).toBe("data");
    expect(pickOwningRule(rules, { repository: "docker.io/redis", cluster: "prod", namespace: "web" })?.teamId).toBe("platform");
  });

  it("finds no owner when nothing matches", () => {
    expect(pickOwningRule(rules, { repository: "docker.io/redis", cluster: "staging" })).toBeNull();
    expect(pickOwningRule(rules, {})).toBeNull();
  });
});
