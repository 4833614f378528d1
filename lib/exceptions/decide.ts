// Deciding exceptions: a security lead who did not ask approves or rejects (four eyes); a lead
// revokes an approved one, a requester withdraws a pending one; the scheduled job expires them.
// Approval covers what the exception matches at once; its end reopens them (lib/exceptions/coverage.ts).
import { z } from "zod";
import { db, prismaRun, type DbTx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { check, InvalidInput } from "@/lib/admin/input";
import { auditActor, authorize, type UserActor } from "@/lib/authz/actor";
import { mayDecideException, mayEndException } from "@/lib/authz/policy";
import { recordAudit } from "@/lib/audit/record";
import { notifyException } from "@/lib/notify/producers";
import { coverFindings, releaseFindings } from "@/lib/exceptions/coverage";

const decisionSchema = z.object({
  exceptionId: z.string().min(1).max(64),
  decision: z.enum(["approve", "reject"]),
  note: z.string().trim().max(2000).optional(),
});

async function lockException(tx: DbTx, id: string) {
  await tx.$executeRawUnsafe(`SELECT 1 FROM "RiskException" WHERE id = $1 FOR UPDATE`, id);
  const exception = await tx.riskException.findUnique({ where: { id } });
  if (!exception) throw new AppError("not_found", "No such exception");
  return exception;
}

export async function decideException(actor: UserActor, input: z.input<typeof decisionSchema>, now = new Date()): Promise<{ covered: number }> {
  authorize(actor, "exceptions:decide");
  const { exceptionId, decision, note } = check(decisionSchema, input);
  return db.$transaction(async (tx) => {
    const exception = await lockException(tx, exceptionId);
    const allowed = mayDecideException(actor, exception.requestedById);
    if (!allowed.ok) throw new AppError("forbidden", allowed.reason);
    if (exception.status !== "pending") throw new AppError("conflict", `This exception is already ${exception.status}`);
    if (decision === "reject" && !note) throw new InvalidInput("say why the request is rejected");
    if (decision === "approve" && exception.expiresAt && exception.expiresAt <= now) throw new AppError("conflict", "This request's end date has passed: ask for a new one");
    await tx.riskException.update({
      where: { id: exceptionId },
      data: { status: decision === "approve" ? "approved" : "rejected", decidedById: actor.userId, decidedAt: now, decisionNote: note ?? null },
    });
    let covered = 0;
    if (decision === "approve") {
      covered = await coverFindings(prismaRun(tx), { exceptionId, findingId: exception.findingId, ruleId: exception.ruleId }, now, "exception_approved", actor.userId);
    } else if (exception.findingId) {
      await tx.findingEvent.create({ data: { findingId: exception.findingId, type: "exception_rejected", actorUserId: actor.userId, note: note ?? null, at: now } });
    }
    await recordAudit({ ...auditActor(actor), action: `exception.${decision === "approve" ? "approved" : "rejected"}`, targetType: "exception", targetId: exceptionId, details: { note, covered } }, tx);
    await notifyException(prismaRun(tx), "exception.decided", exceptionId, now);
    return { covered };
  });
}

/** A lead revokes an approved exception (its findings reopen); the requester withdraws a pending one. */
export async function revokeException(actor: UserActor, exceptionIdInput: string, note: string, now = new Date()): Promise<{ reopened: number }> {
  const exceptionId = check(z.string().min(1).max(64), exceptionIdInput);
  const reason = check(z.string().trim().min(3, "say why in a few words").max(2000), note);
  return db.$transaction(async (tx) => {
    const exception = await lockException(tx, exceptionId);
    const allowed = mayEndException(actor, exception);
    if (!allowed.ok) throw new AppError("forbidden", allowed.reason);
    if (exception.status !== "pending" && exception.status !== "approved") throw new AppError("conflict", `This exception is already ${exception.status}`);
    await tx.riskException.update({ where: { id: exceptionId }, data: { status: "revoked", endedAt: now, endedById: actor.userId, endReason: reason } });
    const reopened = exception.status === "approved" ? await releaseFindings(prismaRun(tx), [exceptionId], now, "exception_revoked", `revoked: ${reason}`, actor.userId) : 0;
    await recordAudit({ ...auditActor(actor), action: exception.status === "approved" ? "exception.revoked" : "exception.withdrawn", targetType: "exception", targetId: exceptionId, details: { reason, reopened } }, tx);
    return { reopened };
  });
}

/**
 * The scheduled job: approved exceptions past their end date expire and their findings reopen;
 * pending requests past theirs expire undecided. Idempotent: a second run finds nothing to do.
 */
export async function expireExceptions(now = new Date()): Promise<{ expired: number; reopened: number; lapsedRequests: number }> {
  return db.$transaction(async (tx) => {
    const ended = await tx.$queryRawUnsafe<{ id: string }[]>(
      `UPDATE "RiskException" SET status = 'expired', "endedAt" = $1::timestamptz, "endReason" = 'its end date passed'
       WHERE status = 'approved' AND "expiresAt" <= $1::timestamptz RETURNING id`,
      now,
    );
    const reopened = ended.length ? await releaseFindings(prismaRun(tx), ended.map((e) => e.id), now, "exception_expired", "its end date passed", null) : 0;
    const lapsed = await tx.$executeRawUnsafe(
      `UPDATE "RiskException" SET status = 'expired', "endedAt" = $1::timestamptz, "endReason" = 'not decided before its end date'
       WHERE status = 'pending' AND "expiresAt" <= $1::timestamptz`,
      now,
    );
    if (ended.length || lapsed) {
      await recordAudit({ actorLabel: "job exceptions.expire", action: "exception.expired", targetType: "exception", details: { expired: ended.map((e) => e.id), reopened, lapsedRequests: lapsed } }, tx);
    }
    return { expired: ended.length, reopened, lapsedRequests: lapsed };
  });
}

