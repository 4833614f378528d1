import { describe, expect, it } from "vitest";
import { demoPlan, DOCUMENTED_DEMO_PASSWORD } from "@/lib/startup/demo-plan";

describe("demoPlan", () => {
  it("loads demo data into the embedded database unless DEMO_DATA=false, with the documented password", () => {
    expect(demoPlan({})).toEqual({ load: true, password: DOCUMENTED_DEMO_PASSWORD, embedded: true });
    expect(demoPlan({ DEMO_DATA: "false" }).load).toBe(false);
  });

  it("loads nothing into a real database unless DEMO_DATA=true, and then needs the operator's password", () => {
    const real = { DATABASE_URL: "postgresql://db/portcullis" };
    expect(demoPlan(real).load).toBe(false);
    expect(() => demoPlan({ ...real, DEMO_DATA: "true" })).toThrowError(/needs DEMO_PASSWORD/);
    expect(demoPlan({ ...real, DEMO_DATA: "true", DEMO_PASSWORD: "chosen-by-the-operator" })).toEqual({ load: true, password: "chosen-by-the-operator", embedded: false });
  });

  it("refuses a DEMO_DATA that is neither true nor false", () => {
    expect(() => demoPlan({ DEMO_DATA: "yes" })).toThrowError(/DEMO_DATA must be true or false/);
  });
});
