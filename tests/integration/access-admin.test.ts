// The admin domain under every role: who may manage people, teams, tokens and read the audit
// log (the role matrix), what each change records, and the guards against lock-out.
import { beforeEach, describe, expect, it } from "vitest";
import { InvalidInput } from "@/lib/admin/input";
import { adminSummary } from "@/lib/admin/summary";
import { createOwnershipRule, deleteOwnershipRule, loadPolicy, setSlaDays } from "@/lib/admin/policy";
import { ingestReport } from "@/lib/ingest/ingest-report";
import { fixtureText } from "../support/fixtures";
import { createTeam, listTeams } from "@/lib/admin/teams";
import { createToken, listTokens, revokeToken } from "@/lib/admin/tokens";
import { changeRole, createUser, listUsers, resetPassword, setDisabled, setTeams } from "@/lib/admin/users";
import { listAudit, auditFilters } from "@/lib/audit/query";
import { AccessDenied, CLI_ACTOR, type UserActor } from "@/lib/authz/actor";
import { db } from "@/lib/db";
import type { Role } from "@/lib/generated/prisma/enums";
import { resetDatabase } from "../support/db-state";

const PASSWORD = "a sturdy passphrase";

async function actorFor(role: Role, teams: string[] = []): Promise<UserActor> {
  const email = `${role}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const user = await createUser(CLI_ACTOR, { email, password: PASSWORD, role, teams });
  const memberships = await db.teamMembership.findMany({ where: { userId: user.id }, select: { teamId: true } });
  return { kind: "user", userId: user.id, email, name: email, role, teamIds: memberships.map((m) => m.teamId), sourceIp: "203.0.113.7" };
}

let payments: { id: string };
beforeEach(async () => {
  await resetDatabase();
  payments = await createTeam(CLI_ACTOR, { name: "Payments" });
});

// What each role may do here, straight from the table.
const MATRIX: Record<string, Record<Role, boolean>> = {
  "users, teams, memberships": { admin: true, security_lead: false, engineer: false, manager: false },
  "API tokens": { admin: true, security_lead: true, engineer: false, manager: false },
  "audit log": { admin: true, security_lead: true, engineer: false, manager: false },
  "SLA policy, ownership rules": { admin: true, security_lead: true, engineer: false, manager: false },
};

const SLA = { critical: 7, high: 30, medium: 90, low: 180, unknown: 365 };

async function attempt(work: () => Promise<unknown>): Promise<boolean> {
  try {
    await work();
    return true;
  } catch (error) {
    if (error instanceof AccessDenied) return false;
    throw error;
  }
}

describe.each(["admin", "security_lead", "engineer", "manager"] as const)("as %s", (role) => {
  it("may do exactly what the role matrix allows, and a refusal changes nothing", async () => {
    const actor = await actorFor(role, ["Payments"]);
    const target = await actorFor("engineer");
    const usersBefore = await db.user.count();
    const people = [
      await attempt(() => createUser(actor, { email: `new-${role}@example.com`, password: PASSWORD, role: "engineer" })),
      await attempt(() => changeRole(actor, target.userId, "manager")),
      await attempt(() => setTeams(actor, target.userId, [payments.id])),
      await attempt(() => setDisabled(actor, target.userId, true)),
      await attempt(() => resetPassword(actor, target.userId, "another sturdy passphrase")),
      await attempt(() => createTeam(actor, { name: `Team of ${role}` })),
      await attempt(() => listUsers(actor)),
    ];
    expect(new Set(people)).toEqual(new Set([MATRIX["users, teams, memberships"][role]]));
    if (!MATRIX["users, teams, memberships"][role]) {
      expect(await db.user.count()).toBe(usersBefore);
      expect(await db.user.findUniqueOrThrow({ where: { id: target.userId } })).toMatchObject({ role: "engineer", disabledAt: null });
    }
    const token = await attempt(async () => {
      const created = await createToken(actor, { name: "ci", scope: "ingest" });
      await listTokens(actor);
      await listTeams(actor);
      await revokeToken(actor, created.id);
    });
    expect(token).toBe(MATRIX["API tokens"][role]);
    const audit = [await attempt(() => listAudit(actor, auditFilters.parse({}))), await attempt(() => adminSummary(actor))];
    expect(new Set(audit)).toEqual(new Set([MATRIX["audit log"][role]]));
    const policy = [
      await attempt(() => loadPolicy(actor)),
      await attempt(() => setSlaDays(actor, SLA)),
      await attempt(async () => {
        await createOwnershipRule(actor, { team: "Payments", repositoryPrefix: `registry.example.com/${role}/` });
        const { rules } = await loadPolicy(CLI_ACTOR);
        await deleteOwnershipRule(actor, rules[0].id);
      }),
    ];
    expect(new Set(policy)).toEqual(new Set([MATRIX["SLA policy, ownership rules"][role]]));
  });
});

describe("what admin changes record and refuse", () => {
  it("audits each change with actor, target and source address", async () => {
    const admin = await actorFor("admin");
    const pat = await actorFor("engineer");
    await changeRole(admin, pat.userId, "manager");
    await setTeams(admin, pat.userId, [payments.id]);
    const { id } = await createToken(admin, { name: "ci", scope: "ingest,read", team: "Payments", expiresDays: "30" });
    await revokeToken(admin, id);
    const entries = await db.auditLog.findMany({ where: { actorUserId: admin.userId }, orderBy: { id: "asc" } });
    expect(entries.map((e) => e.action)).toEqual(["user.role_changed", "user.teams_changed", "token.created", "token.revoked"]);
    for (const e of entries) expect(e).toMatchObject({ actorLabel: admin.email, sourceIp: "203.0.113.7", targetId: expect.any(String) });
    expect(entries[0].details).toMatchObject({ from: "engineer", to: "manager" });
    expect(entries[1].details).toMatchObject({ from: [], to: ["Payments"] });
  });

  it("disabling a user ends all their sessions; they cannot be given a session again", async () => {
    const admin = await actorFor("admin");
    const pat = await actorFor("engineer");
    const expiresAt = new Date(Date.now() + 3_600_000);
    await db.session.createMany({ data: [1, 2].map((n) => ({ userId: pat.userId, token: `t-${n}-${pat.userId}`, expiresAt })) });
    await setDisabled(admin, pat.userId, true);
    expect(await db.session.count({ where: { userId: pat.userId } })).toBe(0);
    const entry = await db.auditLog.findFirstOrThrow({ where: { action: "user.disabled" } });
    expect(entry.details).toMatchObject({ sessionsEnded: 2 });
  });

  it("never leaves the organisation without an active admin, and admins cannot disable themselves", async () => {
    const admin = await actorFor("admin");
    await expect(setDisabled(admin, admin.userId, true)).rejects.toThrow(/yourself/);
    await expect(changeRole(admin, admin.userId, "engineer")).rejects.toThrow(/last active admin/);
    const second = await actorFor("admin");
    await changeRole(second, admin.userId, "engineer");
    expect((await db.user.findUniqueOrThrow({ where: { id: admin.userId } })).role).toBe("engineer");
  });

  it("keeps one active admin even when two admins demote or disable each other at the same moment", async () => {
    for (let round = 0; round < 5; round++) {
      await db.user.updateMany({ where: { role: "admin" }, data: { role: "engineer" } });
      const a = await actorFor("admin");
      const b = await actorFor("admin");
      const outcomes = await Promise.allSettled(round % 2 ? [changeRole(a, b.userId, "engineer"), changeRole(b, a.userId, "engineer")] : [setDisabled(a, b.userId, true), changeRole(b, a.userId, "manager")]);
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
      expect(await db.user.count({ where: { role: "admin", disabledAt: null } })).toBe(1);
    }
  });

  it("applies the password policy to new users and resets, with a reason", async () => {
    const admin = await actorFor("admin");
    await expect(createUser(admin, { email: "weak@example.com", password: "short", role: "engineer" })).rejects.toThrow(/at least 12/);
    await expect(createUser(admin, { email: "weak@example.com", password: "password1234", role: "engineer" })).rejects.toThrow(/easy to guess/);
    await expect(resetPassword(admin, admin.userId, "x")).rejects.toBeInstanceOf(InvalidInput);
  });

  it("keeps the audit log append-only, even for code with database access", async () => {
    await actorFor("admin");
    const entry = await db.auditLog.findFirstOrThrow();
    await expect(db.auditLog.update({ where: { id: entry.id }, data: { action: "nothing.happened" } })).rejects.toThrow(/append-only/);
    await expect(db.auditLog.delete({ where: { id: entry.id } })).rejects.toThrow(/append-only/);
    expect((await db.auditLog.findUniqueOrThrow({ where: { id: entry.id } })).action).toBe(entry.action);
  });

  it("audits SLA changes and ownership rules, and new scans follow the rules", async () => {
    const lead = await actorFor("security_lead");
    await setSlaDays(lead, { ...SLA, critical: "3" });
    const entry = await db.auditLog.findFirstOrThrow({ where: { action: "policy.sla_changed" } });
    expect(entry).toMatchObject({ actorLabel: lead.email, details: { from: { critical: 7 }, to: { critical: 3 } } });
    expect((await db.slaPolicy.findUniqueOrThrow({ where: { severity: "critical" } })).days).toBe(3);
    await expect(setSlaDays(lead, { ...SLA, high: "0" })).rejects.toThrow(/high: at least 1 day/);
    await setSlaDays(lead, { ...SLA, critical: "3", unknown: "" });
    expect(await db.slaPolicy.findUnique({ where: { severity: "unknown" } })).toBeNull();
    await expect(createOwnershipRule(lead, { team: "Payments", repositoryPrefix: "ghcr.io/", clusterName: "prod" })).rejects.toThrow(/not both/);

    await createOwnershipRule(lead, { team: "Payments", repositoryPrefix: "ghcr.io/aquasecurity/" });
    await ingestReport({ body: fixtureText("trivy/trivy_alpine-310.json"), context: { format: "auto" } });
    const image = await db.image.findFirstOrThrow({ select: { team: { select: { name: true } } } });
    expect(image.team?.name).toBe("Payments");
    expect((await db.auditLog.findMany({ where: { action: { startsWith: "policy." } } })).map((e) => e.action)).toEqual(["policy.sla_changed", "policy.sla_changed", "policy.ownership_rule_created"]);
  });

  it("filters the audit log by action, actor and day", async () => {
    const admin = await actorFor("admin");
    await createTeam(admin, { name: "Storefront" });
    const byAction = await listAudit(admin, auditFilters.parse({ action: "team.created" }));
    expect(byAction.rows.map((r) => r.actorLabel).sort()).toEqual(["cli", admin.email].sort());
    const byActor = await listAudit(admin, auditFilters.parse({ actor: admin.email.slice(0, 12) }));
    expect(byActor.rows.map((r) => r.action)).toEqual(["team.created"]);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect((await listAudit(admin, auditFilters.parse({ from: tomorrow }))).total).toBe(0);
  });
});
