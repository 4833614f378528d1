"use server";
// The /admin forms' server actions: thin wrappers that pass the signed-in viewer to the admin
// domain (lib/admin), which authorizes, validates and audits. Origin is checked by proxy.ts.
import type { FormState } from "@/lib/admin/form-state";
import { createOwnershipRule, deleteOwnershipRule, setSlaDays } from "@/lib/admin/policy";
import { createTeam } from "@/lib/admin/teams";
import { parseJsonField } from "@/lib/admin/input";
import { DEFAULT_POLICY } from "@/lib/gate/policy";
import { policyByName, savePolicy, setTeamPolicy } from "@/lib/gate/store";
import { createWebhook, deleteWebhook, rotateWebhookSecret } from "@/lib/notify/webhooks";
import { setSlaOptions, setTeamSla } from "@/lib/sla/policy";
import { createToken, revokeToken } from "@/lib/admin/tokens";
import { changeRole, createUser, resetPassword, setDisabled, setTeams } from "@/lib/admin/users";
import type { Viewer } from "@/lib/auth/viewer";
import { asViewer, done, formText } from "@/lib/auth/form-action";
import type { Role } from "@/lib/generated/prisma/enums";

const asAdmin = (work: (viewer: Viewer) => Promise<FormState>) => asViewer(work, { path: "/admin", type: "layout" }, "admin action");
const text = formText;

export async function createUserAction(_: FormState, form: FormData): Promise<FormState> {
  return asAdmin(async (viewer) => {
    const user = await createUser(viewer, { email: text(form, "email"), name: text(form, "name") || undefined, password: text(form, "password"), role: text(form, "role") as Role, teams: form.getAll("team").map(String) });
    return done(`Created ${user.email}.`);
  });
}

export async function changeRoleAction(_: FormState, form: FormData): Promise<FormState> {
  return asAdmin(async (viewer) => {
    await changeRole(viewer, text(form, "userId"), text(form, "role") as Role);
    return done("Role saved.");
  });
}

export async function setTeamsAction(_: FormState, form: FormData): Promise<FormState> {
  return asAdmin(async (viewer) => {
    await setTeams(viewer, text(form, "userId"), form.getAll("teamId").map(String));
    return done("Teams saved.");
  });
}

export async function setDisabledAction(_: FormState, form: FormData): Promise<FormState> {
  return asAdmin(async (viewer) => {
    const disable = text(form, "disabled") === "true";
    await setDisabled(viewer, text(form, "userId"), disable);
    return done(disable ? "Disabled and signed out everywhere." : "Enabled.");
  });
}

export async function resetPasswordAction(_: FormState, form: FormData): Promise<FormState> {
  return asAdmin(async (viewer) => {
    await resetPassword(viewer, text(form, "userId"), text(form, "password"));
    return done("Password set; their sessions were ended.");
  });
}

export async function createTeamAction(_: FormState, form: FormData): Promise<FormState> {
  return asAdmin(async (viewer) => {
    const team = await createTeam(viewer, { name: text(form, "name") });
    return done(`Created team ${team.name}.`);
  });
}

export async function createTokenAction(_: FormState, form: FormData): Promise<FormState> {
  return asAdmin(async (viewer) => {
    const created = await createToken(viewer, {
      name: text(form, "name"),
      scope: form.getAll("scope").map(String).join(","),
      team: text(form, "team"),
      cluster: text(form, "cluster"),
      expiresDays: text(form, "expiresDays"),
    });
    return { error: null, message: `Created token ${created.prefix}…. Copy it now: it is shown only once.`, secret: created.token };
  });
}

export async function revokeTokenAction(_: FormState, form: FormData): Promise<FormState> {
  return asAdmin(async (viewer) => {
    await revokeToken(viewer, text(form, "tokenId"));
    return done("Token revoked.");
  });
}

export async function setSlaAction(_: FormState, form: FormData): Promise<FormState> {
  return asAdmin(async (viewer) => {
    await setSlaDays(viewer, Object.fromEntries(form.entries()));
    return done("SLA days saved.");
  });
}

export async function setSlaOptionsAction(_: FormState, form: FormData): Promise<FormState> {
  return asAdmin(async (viewer) => {
    const { recomputed } = await setSlaOptions(viewer, { reopenRestartsClock: form.get("reopenRestartsClock") === "on", clockStartsAtFix: form.get("clockStartsAtFix") === "on", maxExceptionDays: text(form, "maxExceptionDays") as unknown as number });
    return done(`SLA options saved${recomputed ? `; ${recomputed} due dates moved` : ""}.`);
  });
}

export async function setTeamSlaAction(_: FormState, form: FormData): Promise<FormState> {
  return asAdmin(async (viewer) => {
    const { recomputed } = await setTeamSla(viewer, text(form, "team"), Object.fromEntries(form.entries()));
    return done(`Team SLA saved; ${recomputed} due date${recomputed === 1 ? "" : "s"} moved.`);
  });
}

export async function createRuleAction(_: FormState, form: FormData): Promise<FormState> {
  return asAdmin(async (viewer) => {
    const changes = await createOwnershipRule(viewer, { team: text(form, "team"), repositoryPrefix: text(form, "repositoryPrefix"), clusterName: text(form, "clusterName"), namespace: text(form, "namespace") });
    const moved = [`${changes.images} image${changes.images === 1 ? "" : "s"}`, `${changes.clusters} cluster${changes.clusters === 1 ? "" : "s"}`, `${changes.namespaces} namespace${changes.namespaces === 1 ? "" : "s"}`, `${changes.findings} finding${changes.findings === 1 ? "" : "s"}`];
    return done(`Rule added and applied: ${moved.join(", ")} changed team. Later scans follow it too.`);
  });
}

export async function deleteRuleAction(_: FormState, form: FormData): Promise<FormState> {
  return asAdmin(async (viewer) => {
    await deleteOwnershipRule(viewer, text(form, "ruleId"));
    return done("Rule removed.");
  });
}

export async function saveGatePolicyAction(_: FormState, form: FormData): Promise<FormState> {
  return asAdmin(async (viewer) => {
    const raw = text(form, "rules");
    const rules = raw === "copy-default" ? (await policyByName(DEFAULT_POLICY))!.rules : parseJsonField(raw, "rules");
    const saved = await savePolicy(viewer, { name: text(form, "name"), rules });
    return done(`Gate policy ${saved.name} saved as version ${saved.version}; the next gate call uses it.`);
  });
}

export async function setTeamGatePolicyAction(_: FormState, form: FormData): Promise<FormState> {
  return asAdmin(async (viewer) => {
    const policy = text(form, "policy");
    await setTeamPolicy(viewer, text(form, "team"), policy === DEFAULT_POLICY ? null : policy);
    return done(`${text(form, "team")} is judged by the ${policy} policy.`);
  });
}

export async function createWebhookAction(_: FormState, form: FormData): Promise<FormState> {
  return asAdmin(async (viewer) => {
    const created = await createWebhook(viewer, { name: text(form, "name"), url: text(form, "url"), format: text(form, "format") as "generic", team: text(form, "team"), events: form.getAll("events").map(String) as never });
    return { error: null, message: "Webhook added. Copy its signing secret now: it is shown only once.", secret: created.secret };
  });
}

export async function rotateWebhookAction(_: FormState, form: FormData): Promise<FormState> {
  return asAdmin(async (viewer) => ({ error: null, message: "New secret made; the old one no longer verifies.", secret: (await rotateWebhookSecret(viewer, text(form, "id"))).secret }));
}

export async function deleteWebhookAction(_: FormState, form: FormData): Promise<FormState> {
  return asAdmin(async (viewer) => {
    await deleteWebhook(viewer, text(form, "id"));
    return done("Webhook removed.");
  });
}
