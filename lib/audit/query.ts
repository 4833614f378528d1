// Reading the audit log: newest first, filtered by action, actor, target and time, a page at a time.
import { z } from "zod";
import { blankAsUndefined } from "@/lib/admin/input";
import { authorize, type Actor } from "@/lib/authz/actor";
import { db } from "@/lib/db";

export const AUDIT_PAGE_SIZE = 50;

const day = z.preprocess(blankAsUndefined, z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional());

export const auditFilters = z.object({
  action: z.preprocess(blankAsUndefined, z.string().max(64).optional()),
  actor: z.preprocess(blankAsUndefined, z.string().max(254).optional()),
  target: z.preprocess(blankAsUndefined, z.string().max(254).optional()),
  from: day,
  to: day,
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
export type AuditFilters = z.infer<typeof auditFilters>;

export async function listAudit(actor: Actor, filters: AuditFilters) {
  authorize(actor, "audit:read");
  const where = {
    ...(filters.action ? { action: { startsWith: filters.action } } : {}),
    ...(filters.actor ? { actorLabel: { contains: filters.actor, mode: "insensitive" as const } } : {}),
    ...(filters.target ? { OR: [{ targetId: filters.target }, { targetType: filters.target }] } : {}),
    at: {
      ...(filters.from ? { gte: new Date(`${filters.from}T00:00:00Z`) } : {}),
      ...(filters.to ? { lt: new Date(new Date(`${filters.to}T00:00:00Z`).getTime() + 86_400_000) } : {}),
    },
  };
  const [rows, total, actions] = await Promise.all([
    db.auditLog.findMany({ where, orderBy: { id: "desc" }, skip: (filters.page - 1) * AUDIT_PAGE_SIZE, take: AUDIT_PAGE_SIZE }),
    db.auditLog.count({ where }),
    db.auditLog.findMany({ distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } }),
  ]);
  return { rows: rows.map((r) => ({ ...r, id: r.id.toString() })), total, actions: actions.map((a) => a.action) };
}
