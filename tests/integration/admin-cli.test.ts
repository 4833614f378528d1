// The admin CLI as a user runs it: a real process against the test database.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "better-auth/crypto";
import { db } from "@/lib/db";
import { hashToken, verifyApiToken } from "@/lib/tokens/api-tokens";
import { resetDatabase } from "../support/db-state";

const root = path.resolve(import.meta.dirname, "../..");
const run = promisify(execFile);

async function admin(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(path.join(root, "node_modules/.bin/tsx"), ["scripts/admin.ts", ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(resetDatabase);

describe("npm run admin", () => {
  it("creates a team, then a user in it with a hashed password", async () => {
    expect((await admin("create-team", "--name", "Payments")).code).toBe(0);
    const result = await admin("create-user", "--email", "Pat@Example.com", "--password", "a-long-password", "--role", "engineer", "--team", "Payments");
    expect(result.code).toBe(0);
    const user = await db.user.findUniqueOrThrow({ where: { email: "pat@example.com" }, include: { accounts: true, memberships: { include: { team: true } } } });
    expect(user.role).toBe("engineer");
    expect(user.memberships.map((m) => m.team.name)).toEqual(["Payments"]);
    const hash = user.accounts[0].password!;
    expect(hash).not.toContain("a-long-password");
    expect(await verifyPassword({ hash, password: "a-long-password" })).toBe(true);
    expect(await db.auditLog.count({ where: { action: "user.created", targetId: user.id } })).toBe(1);
  });

  it("prints a token once, alone on the last line, and stores only its hash", async () => {
    const result = await admin("create-token", "--name", "ci", "--scope", "ingest,read", "--team", "Payments", "--expires-days", "30");
    expect(result.code).toBe(0);
    const token = result.stdout.trim().split("\n").at(-1)!;
    expect(token).toMatch(/^pcl_[A-Za-z0-9_-]{43}$/);
    const stored = await db.apiToken.findFirstOrThrow({ where: { name: "ci" }, include: { team: true } });
    expect(stored.hash).toBe(hashToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(stored.scopes.sort()).toEqual(["ingest", "read"]);
    expect(stored.team?.name).toBe("Payments");
    expect(stored.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 3600 * 1000);
    expect(await verifyApiToken(token)).toMatchObject({ scopes: expect.arrayContaining(["ingest", "read"]) });
  });

  it("lists tokens, revokes one by its prefix, and disables and enables a user", async () => {
    const token = (await admin("create-token", "--name", "to-revoke", "--scope", "ingest")).stdout.trim().split("\n").at(-1)!;
    const prefix = token.slice(0, 12);
    const listed = await admin("list-tokens");
    expect(listed.stdout).toMatch(new RegExp(`^${prefix}\tto-revoke\tingest\tunbound\tactive\tlast used never$`, "m"));
    expect((await admin("revoke-token", "--prefix", prefix)).code).toBe(0);
    expect(await verifyApiToken(token)).toBeNull();
    expect((await admin("list-tokens")).stdout).toMatch(new RegExp(`^${prefix}\tto-revoke\t.*\trevoked\t`, "m"));

    const pat = await db.user.findUniqueOrThrow({ where: { email: "pat@example.com" } });
    await db.session.create({ data: { userId: pat.id, token: "cli-test-session", expiresAt: new Date(Date.now() + 3_600_000) } });
    expect((await admin("disable-user", "--email", "pat@example.com")).code).toBe(0);
    expect(await db.user.findUniqueOrThrow({ where: { id: pat.id } })).toMatchObject({ disabledAt: expect.any(Date) });
    expect(await db.session.count({ where: { userId: pat.id } })).toBe(0);
    expect((await admin("enable-user", "--email", "pat@example.com")).code).toBe(0);
    expect((await db.user.findUniqueOrThrow({ where: { id: pat.id } })).disabledAt).toBeNull();
  });

  it.each([
    [["create-user", "--email", "x@example.com", "--password", "short", "--role", "admin"], /at least 12 characters/],
    [["create-user", "--email", "x@example.com", "--password", "long-enough-pw", "--role", "owner"], /role must be one of/],
    [["create-user", "--email", "not-an-email", "--password", "long-enough-pw", "--role", "admin"], /email address/],
    [["create-user", "--email", "x@example.com", "--password", "long-enough-pw", "--role", "admin", "--team", "Ghosts"], /no such team: Ghosts/],
    [["create-user", "--email", "pat@example.com", "--password", "long-enough-pw", "--role", "admin"], /already exists/],
    [["create-user", "--email", "x@example.com"], /--password is required/],
    [["create-team", "--name", "Payments"], /already exists/],
    [["create-token", "--name", "t", "--scope", "write"], /scope must be/],
    [["create-token", "--name", "t", "--scope", "read", "--expires-days", "soon"], /whole number|expires-days/],
    [["create-token", "--name", "t", "--scope", "read", "--team", "Payments", "--cluster", "prod"], /not both/],
    [["delete-everything"], /unknown command/],
    [["revoke-token", "--prefix", "pcl_nothing"], /no token with prefix/],
    [["disable-user", "--email", "ghost@example.com"], /no user with email/],
    [["create-team", "--colour", "red"], /Unknown option/],
  ])("exits non-zero with a one-line reason for %j", async (args, reason) => {
    const usersBefore = await db.user.count();
    const result = await admin(...args);
    expect(result.code).not.toBe(0);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(reason);
    expect(await db.user.count()).toBe(usersBefore);
  });
});
