import { describe, expect, it } from "vitest";
import { passwordProblem } from "@/lib/auth/password-policy";

describe("password policy", () => {
  it("accepts long passphrases", () => {
    expect(passwordProblem("correct horse battery", "pat@example.com")).toBeNull();
  });

  it("refuses short, long, guessable and self-naming passwords with a reason", () => {
    expect(passwordProblem("short-pw", "a@b.c")).toMatch(/at least 12/);
    expect(passwordProblem("x".repeat(129), "a@b.c")).toMatch(/at most 128/);
    expect(passwordProblem("Password1234", "a@b.c")).toMatch(/easy to guess/);
    expect(passwordProblem("aaaaaaaaaaaaaaab", "a@b.c")).toMatch(/easy to guess/);
    expect(passwordProblem("morgan-is-my-name", "Morgan@example.com")).toMatch(/email/);
  });
});
