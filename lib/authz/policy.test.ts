import { describe, expect, it } from "vitest";
import { ACTIONS, can, scopeOfViewer, teamFilter } from "@/lib/authz/policy";

describe("role permissions", () => {
  it("gives admins everything and managers only reading", () => {
    for (const action of ACTIONS) expect(can("admin", action)).toBe(true);
    expect(ACTIONS.filter((a) => can("manager", a))).toEqual(["posture:read", "reports:read"]);
  });

  it("keeps user management from security leads and triage from managers", () => {
    expect(can("security_lead", "users:manage")).toBe(false);
    expect(can("security_lead", "exceptions:decide")).toBe(true);
    expect(can("manager", "findings:triage")).toBe(false);
    expect(can("engineer", "exceptions:decide")).toBe(false);
  });
});

describe("team scope", () => {
  it("scopes engineers and managers to their teams and no one else", () => {
    expect(teamFilter(scopeOfViewer({ role: "engineer", teamIds: ["a"] }))).toEqual({ teamId: { in: ["a"] } });
    expect(teamFilter(scopeOfViewer({ role: "manager", teamIds: [] }))).toEqual({ teamId: { in: [] } });
    expect(teamFilter(scopeOfViewer({ role: "security_lead", teamIds: [] }))).toEqual({});
  });
});
