// Gate policies in the database: read (the default one is created on first use), saved as a new
// version, and chosen per team. Every change is authorized and audited here.
import { z } from "zod";
import { check, InvalidInput } from "@/lib/admin/input";
import { auditActor, authorize, type Actor } from "@/lib/authz/actor";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { DEFAULT_POLICY, DEFAULT_RULES, gateRulesSchema, POLICY_NAME, type GateRule } from "@/lib/gate/policy";

export interface StoredPolicy {
  id: string;
  name: string;
  version: number;
  rules: GateRule[];
}

const select = { id: true, name: true, version: true, rules: true } as const;

function parsed(row: { id: string; name: string; version: number; rules: unknown }): StoredPolicy {
  return { ...row, rules: gateRulesSchema.parse(row.rules) };
}

async function ensureDefault(): Promise<StoredPolicy> {
  // Two replicas at once: the unique name makes the second upsert a no-op.
  const row = await db.gatePolicy.upsert({
    where: { name: DEFAULT_POLICY },
    create: { name: DEFAULT_POLICY, version: 1, rules: DEFAULT_RULES, versions: { create: { version: 1, rules: DEFAULT_RULES } } },
    update: {},
    select,
  });
  return parsed(row);
}

/** A policy by name; the default one always exists. null when no policy has that name. */
export async function policyByName(name: string): Promise<StoredPolicy | null> {
  const row = await db.gatePolicy.findUnique({ where: { name }, select });
  if (row) return parsed(row);
  return name === DEFAULT_POLICY ? ensureDefault() : null;
}

/** The policy an image is judged by: the one named in the request, else its team's, else the default. */
export async function policyFor(named: string | undefined, teamId: string | null): Promise<StoredPolicy> {
  if (named) {
    const policy = await policyByName(named);
    if (!policy) throw new InvalidInput(`No gate policy is named "${named}"; leave policy= out for the team's or the default one`);
    return policy;
  }
  if (teamId) {
    const team = await db.team.findUnique({ where: { id: teamId }, select: { gatePolicy: { select } } });
    if (team?.gatePolicy) return parsed(team.gatePolicy);
  }
  return (await policyByName(DEFAULT_POLICY))!;
}

export async function listPolicies(actor: Actor) {
  authorize(actor, "policy:manage");
  // A view writes nothing: the default policy is created only the first time it is missing.
  await policyByName(DEFAULT_POLICY);
  const rows = await db.gatePolicy.findMany({ orderBy: { name: "asc" }, select: { ...select, updatedAt: true, teams: { select: { name: true }, orderBy: { name: "asc" } } } });
  return rows.map((row) => ({ ...parsed(row), updatedAt: row.updatedAt, teams: row.teams.map((t) => t.name) }));
}

const nameField = z.string().trim().toLowerCase().regex(POLICY_NAME, "a policy name is lowercase letters, digits and dashes (at most 63)");

/** Saves rules as the next version of a policy (a new name creates the policy). */
export async function savePolicy(actor: Actor, input: { name: string; rules: unknown }): Promise<StoredPolicy> {
  authorize(actor, "policy:manage");
  const name = check(nameField, input.name);
  const rules = check(gateRulesSchema, input.rules);
  if (name === DEFAULT_POLICY) await ensureDefault();
  const actorId = actor.kind === "user" ? actor.userId : null;
  return db.$transaction(async (tx) => {
    // Serialises two saves of one policy: each gets its own version number.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`gate-policy:${name}`}))`;
    const before = await tx.gatePolicy.findUnique({ where: { name }, select });
    const version = (before?.version ?? 0) + 1;
    const row = before
      ? await tx.gatePolicy.update({ where: { name }, data: { version, rules, updatedById: actorId }, select })
      : await tx.gatePolicy.create({ data: { name, version, rules, updatedById: actorId }, select });
    await tx.gatePolicyVersion.create({ data: { policyId: row.id, version, rules, createdById: actorId } });
    await recordAudit({ ...auditActor(actor), action: "gate.policy_saved", targetType: "gate_policy", targetId: name, details: { version, from: before?.rules ?? null, to: rules } }, tx);
    return parsed(row);
  });
}

/** A team's own policy (null: back to the default). */
export async function setTeamPolicy(actor: Actor, teamName: string, policyName: string | null): Promise<void> {
  authorize(actor, "policy:manage");
  const team = await db.team.findUnique({ where: { name: teamName.trim() }, select: { id: true, gatePolicy: { select: { name: true } } } });
  if (!team) throw new AppError("not_found", `No team is named "${teamName}"`);
  const policy = policyName ? await policyByName(policyName) : null;
  if (policyName && !policy) throw new InvalidInput(`No gate policy is named "${policyName}"`);
  await db.$transaction(async (tx) => {
    await tx.team.update({ where: { id: team.id }, data: { gatePolicyId: policy?.id ?? null } });
    await recordAudit({ ...auditActor(actor), action: "gate.team_policy_set", targetType: "team", targetId: team.id, details: { team: teamName, from: team.gatePolicy?.name ?? null, to: policy?.name ?? null } }, tx);
  });
}
