import { describe, expect, it } from "vitest";
import { accessFromGroups, groupsFromClaim, parseGroupMap } from "@/lib/auth/sso-mapping";

const ROLE_MAP = "sec=security_lead, devs=engineer,mgmt=manager,root=admin,typo=superuser";
const TEAM_MAP = "pay=Payments,shop=Storefront,pay-oncall=Payments";

describe("single sign-on group mapping", () => {
  it("parses group=value pairs, tolerating spaces and = inside group names", () => {
    expect([...parseGroupMap("a=b, cn=x=y ,bad,=z")]).toEqual([["a", "b"], ["cn=x", "y"]]);
  });

  it("gives the most powerful mapped role and every mapped team once", () => {
    expect(accessFromGroups(["devs", "sec", "pay", "pay-oncall", "shop"], ROLE_MAP, TEAM_MAP)).toEqual({
      role: "security_lead",
      teamNames: ["Payments", "Storefront"],
    });
  });

  it("grants nothing without a mapped role, and ignores values that are not roles", () => {
    expect(accessFromGroups(["pay"], ROLE_MAP, TEAM_MAP).role).toBeNull();
    expect(accessFromGroups(["typo"], ROLE_MAP, TEAM_MAP).role).toBeNull();
  });

  it("reads a groups claim sent as an array or a string", () => {
    expect(groupsFromClaim(["a", 1, "b"])).toEqual(["a", "b"]);
    expect(groupsFromClaim("a b,c")).toEqual(["a", "b", "c"]);
    expect(groupsFromClaim(undefined)).toEqual([]);
  });
});
