import { describe, expect, it } from "vitest";
import { needsTouch, sessionExpired } from "@/lib/auth/session-policy";

const limits = { idleMs: 30 * 60_000, maxMs: 12 * 3_600_000 };
const at = (iso: string) => new Date(`2026-01-01T${iso}Z`);

describe("session expiry", () => {
  it("keeps a session that is in use and young enough", () => {
    expect(sessionExpired({ createdAt: at("08:00:00"), lastActiveAt: at("11:50:00") }, at("12:00:00"), limits)).toBe(false);
  });

  it("ends a session idle for longer than the idle limit", () => {
    expect(sessionExpired({ createdAt: at("11:00:00"), lastActiveAt: at("11:29:00") }, at("12:00:00"), limits)).toBe(true);
  });

  it("ends a session older than the absolute limit even while it is used", () => {
    expect(sessionExpired({ createdAt: at("00:00:00"), lastActiveAt: at("12:00:30") }, at("12:01:00"), limits)).toBe(true);
  });

  it("records activity at most once a minute", () => {
    expect(needsTouch({ createdAt: at("11:00:00"), lastActiveAt: at("11:59:30") }, at("12:00:00"))).toBe(false);
    expect(needsTouch({ createdAt: at("11:00:00"), lastActiveAt: at("11:58:30") }, at("12:00:00"))).toBe(true);
  });
});
