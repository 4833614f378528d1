import { describe, expect, it } from "vitest";
import { ACTIONS, can, mayDecideException, mayEndException, mayTriage, scopeOfViewer, teamFilter, triageTeams } from "@/lib/authz/policy";

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

describe("the tracker's rules", () => {
  it("lets engineers triage their teams' findings, leads all, managers none", () => {
    expect(triageTeams({ role: "security_lead", teamIds: [] })).toBeNull();
    expect(mayTriage({ role: "engineer", teamIds: ["a"] }, "a")).toBe(true);
    expect(mayTriage({ role: "engineer", teamIds: ["a"] }, "b")).toBe(false);
    expect(mayTriage({ role: "engineer", teamIds: ["a"] }, null)).toBe(false);
    expect(mayTriage({ role: "manager", teamIds: ["a"] }, "a")).toBe(false);
    expect(mayTriage({ role: "admin", teamIds: [] }, null)).toBe(true);
  });

  it("needs four eyes for a decision, also for an admin", () => {
    expect(mayDecideException({ role: "security_lead", userId: "lee" }, "pat").ok).toBe(true);
    expect(mayDecideException({ role: "admin", userId: "ada" }, "ada")).toEqual({ ok: false, reason: expect.stringMatching(/four eyes/i) });
    expect(mayDecideException({ role: "engineer", userId: "sam" }, "pat").ok).toBe(false);
  });

  it("lets a requester withdraw a pending request and a lead revoke an approved one", () => {
    expect(mayEndException({ role: "engineer", userId: "pat" }, { status: "pending", requestedById: "pat" }).ok).toBe(true);
    expect(mayEndException({ role: "security_lead", userId: "lee" }, { status: "pending", requestedById: "pat" }).ok).toBe(false);
    expect(mayEndException({ role: "security_lead", userId: "lee" }, { status: "approved", requestedById: "pat" }).ok).toBe(true);
    expect(mayEndException({ role: "engineer", userId: "pat" }, { status: "approved", requestedById: "pat" }).ok).toBe(false);
  });
});
