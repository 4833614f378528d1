// The demo's tracker in use: Pat (Payments) has claimed findings, is fixing one, has marked one
// not affected and asked for two exceptions; Sam (security lead) approved one, the other waits.
import { db } from "@/lib/db";
import type { UserActor } from "@/lib/authz/actor";
import { triage } from "@/lib/triage/apply";
import { requestException } from "@/lib/exceptions/request";
import { decideException } from "@/lib/exceptions/decide";

const DAY = 24 * 3600 * 1000;

async function actor(email: string): Promise<UserActor> {
  const user = await db.user.findUniqueOrThrow({ where: { email }, select: { id: true, email: true, name: true, role: true, memberships: { select: { teamId: true } } } });
  return { kind: "user", userId: user.id, email: user.email, name: user.name, role: user.role, teamIds: user.memberships.map((m) => m.teamId), sourceIp: null };
}

export async function seedTriage(now: Date): Promise<void> {
  const pat = await actor("pat@portcullis.demo");
  const lead = await actor("lead@portcullis.demo");
  const open = await db.finding.findMany({
    where: { teamId: { in: pat.teamIds }, status: "open", kind: "vulnerability" },
    orderBy: [{ severity: "asc" }, { id: "asc" }],
    select: { id: true },
    take: 6,
  });
  if (open.length < 6) return;
  const [a, b, c, d, e, f] = open.map((x) => x.id);
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  await triage(pat, { ids: [a, b, c] }, { type: "assign", assigneeId: pat.userId }, ago(6));
  await triage(pat, { ids: [a] }, { type: "status", status: "in_progress", comment: "Upgrading the base image in the next release." }, ago(5));
  await triage(pat, { ids: [d] }, { type: "status", status: "not_affected", justification: "vulnerable_code_not_in_execute_path", comment: "The affected parser is only used by the CLI, which the image does not ship." }, ago(4));
  const approved = await requestException(pat, { findingId: e, scope: "finding", terms: { reason: "Vendor patch is scheduled for next sprint; the service is internal only.", ends: "date", expiresAt: new Date(now.getTime() + 30 * DAY) } }, ago(3));
  await decideException(lead, { exceptionId: approved.exceptionId!, decision: "approve", note: "OK until the vendor patch ships." }, ago(2));
  await requestException(pat, { findingId: f, scope: "finding", terms: { reason: "Behind the internal gateway; the upgrade needs a database migration first.", ends: "date", expiresAt: new Date(now.getTime() + 45 * DAY) } }, ago(1));
}
