// The audit log: append-only records of security-relevant actions.
import { db, type DbTx } from "@/lib/db";

export interface AuditEntry {
  action: string;
  actorUserId?: string | null;
  actorToken?: string | null;
  /** Human-readable actor: an email, "token <prefix>", or "cli". */
  actorLabel: string;
  targetType?: string;
  targetId?: string;
  sourceIp?: string | null;
  details?: Record<string, unknown>;
}

export async function recordAudit(entry: AuditEntry, tx: DbTx = db): Promise<void> {
  await tx.auditLog.create({
    data: {
      action: entry.action,
      actorUserId: entry.actorUserId ?? null,
      actorToken: entry.actorToken ?? null,
      actorLabel: entry.actorLabel,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      sourceIp: entry.sourceIp ?? null,
      details: entry.details ? JSON.parse(JSON.stringify(entry.details)) : undefined,
    },
  });
}
