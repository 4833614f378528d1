// Sessions and sign-in against better-auth and the real database: rotation, idle and absolute
// expiry, disabled users, and the sign-in rate limit that answers the same for unknown emails.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createUser, setDisabled } from "@/lib/admin/users";
import { auth } from "@/lib/auth/auth";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { viewerFromHeaders } from "@/lib/auth/viewer";
import { CLI_ACTOR } from "@/lib/authz/actor";
import { db } from "@/lib/db";
import { resetDatabase } from "../support/db-state";

const EMAIL = "pat@example.com";
const PASSWORD = "a sturdy passphrase";
let userId: string;

beforeEach(async () => {
  await resetDatabase();
  userId = (await createUser(CLI_ACTOR, { email: EMAIL, password: PASSWORD, role: "engineer" })).id;
});

afterEach(() => {
  delete process.env.SIGN_IN_FAILURES_PER_15_MIN;
  delete process.env.SESSION_IDLE_MINUTES;
  delete process.env.SIGN_IN_ATTEMPTS_PER_IP_PER_MIN;
});

/** Signs in through better-auth and returns the request headers a browser would send next. */
async function signedInHeaders(ip = "198.51.100.1"): Promise<Headers> {
  const response = await auth().api.signInEmail({ body: { email: EMAIL, password: PASSWORD }, asResponse: true });
  expect(response.status).toBe(200);
  const cookie = response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  return new Headers({ cookie, "x-forwarded-for": ip });
}

const ago = (ms: number) => new Date(Date.now() - ms);

describe("sessions", () => {
  it("gives a new session token at every sign-in and knows the viewer by it", async () => {
    const first = await signedInHeaders();
    const second = await signedInHeaders();
    expect(first.get("cookie")).not.toBe(second.get("cookie"));
    expect(await viewerFromHeaders(first)).toMatchObject({ userId, email: EMAIL, role: "engineer", sourceIp: "198.51.100.1" });
  });

  it("ends a session idle for longer than SESSION_IDLE_MINUTES, and deletes it", async () => {
    process.env.SESSION_IDLE_MINUTES = "30";
    const headers = await signedInHeaders();
    await db.session.updateMany({ where: { userId }, data: { updatedAt: ago(29 * 60_000) } });
    expect(await viewerFromHeaders(headers)).not.toBeNull();
    // That visit counted as activity, so the clock restarted.
    expect((await db.session.findFirstOrThrow({ where: { userId } })).updatedAt.getTime()).toBeGreaterThan(ago(60_000).getTime());
    await db.session.updateMany({ where: { userId }, data: { updatedAt: ago(31 * 60_000) } });
    expect(await viewerFromHeaders(headers)).toBeNull();
    expect(await db.session.count({ where: { userId } })).toBe(0);
  });

  it("ends a session at its absolute lifetime even while it is in use", async () => {
    const headers = await signedInHeaders();
    await db.session.updateMany({ where: { userId }, data: { createdAt: ago(13 * 3_600_000) } });
    expect(await viewerFromHeaders(headers)).toBeNull();
  });

  it("stops a disabled user's existing session at the next request", async () => {
    const headers = await signedInHeaders();
    await db.user.update({ where: { id: userId }, data: { disabledAt: new Date() } });
    expect(await viewerFromHeaders(headers)).toBeNull();
  });

  it("gives a disabled user no new session, even with the right password", async () => {
    await setDisabled(CLI_ACTOR, userId, true);
    await expect(auth().api.signInEmail({ body: { email: EMAIL, password: PASSWORD } })).rejects.toThrow();
    expect(await db.session.count()).toBe(0);
  });
});

describe("sign-in rate limit", () => {
  const from = (ip: string) => new Headers({ "x-forwarded-for": ip });

  it("locks an email after repeated failures, the same way whether or not it exists", async () => {
    process.env.SIGN_IN_FAILURES_PER_15_MIN = "3";
    for (const email of [EMAIL, "nobody@example.com"]) {
      for (let i = 0; i < 3; i++) {
        expect(await signInWithPassword(email, "wrong password here", from("192.0.2.1"))).toEqual({ ok: false, message: "Wrong email or password." });
      }
      const locked = await signInWithPassword(email, PASSWORD, from("192.0.2.2"));
      expect(locked).toEqual({ ok: false, message: expect.stringMatching(/^Too many sign-in attempts\. Try again in \d+ minutes\.$/) });
    }
    const failures = await db.auditLog.findMany({ where: { action: "auth.sign_in_failed" }, orderBy: { id: "asc" } });
    expect(failures).toHaveLength(8);
    expect(failures.at(-1)).toMatchObject({ actorLabel: "nobody@example.com", sourceIp: "192.0.2.2", details: { reason: "rate limited" } });
  });

  it("limits attempts per address across emails, and other addresses are not affected", async () => {
    process.env.SIGN_IN_ATTEMPTS_PER_IP_PER_MIN = "2";
    const wrong = { ok: false, message: "Wrong email or password." };
    expect(await signInWithPassword("a@example.com", "wrong password here", from("192.0.2.50"))).toEqual(wrong);
    expect(await signInWithPassword("b@example.com", "wrong password here", from("192.0.2.50"))).toEqual(wrong);
    expect(await signInWithPassword(EMAIL, PASSWORD, from("192.0.2.50"))).toEqual({ ok: false, message: expect.stringMatching(/^Too many sign-in attempts/) });
    expect((await signInWithPassword(EMAIL, PASSWORD, from("192.0.2.51"))).ok).toBe(true);
  });

  it("forgets failures after a successful sign-in", async () => {
    process.env.SIGN_IN_FAILURES_PER_15_MIN = "3";
    await signInWithPassword(EMAIL, "wrong password here", from("192.0.2.1"));
    await signInWithPassword(EMAIL, "wrong password here", from("192.0.2.1"));
    // nextCookies cannot set a cookie outside a Next request; the session row is what counts here.
    expect((await signInWithPassword(EMAIL, PASSWORD, from("192.0.2.1"))).ok).toBe(true);
    await signInWithPassword(EMAIL, "wrong password here", from("192.0.2.1"));
    await signInWithPassword(EMAIL, "wrong password here", from("192.0.2.1"));
    expect((await signInWithPassword(EMAIL, PASSWORD, from("192.0.2.1"))).ok).toBe(true);
  });
});
