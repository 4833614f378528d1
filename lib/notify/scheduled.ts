// The events nobody's request causes, found by scheduled jobs: findings that passed their due
// date since the last run (a watermark moves in the same transaction as the events it queued, so
// each breach is reported once), and approved exceptions that end within 7 days.
import { db, prismaRun } from "@/lib/db";
import { anyWebhookFor, notify } from "@/lib/notify/outbox";
import { notifyException } from "@/lib/notify/producers";

const WATERMARK = "notify.sla-watermark";
const EXPIRING_DAYS = 7;
const LISTED = 20;

export async function notifySlaBreaches(now = new Date()): Promise<{ teams: number; findings: number }> {
  return db.$transaction(async (tx) => {
    const run = prismaRun(tx);
    await tx.$executeRaw`INSERT INTO "Setting" (key, value, "updatedAt") VALUES (${WATERMARK}, to_jsonb(${now.toISOString()}::text), now()) ON CONFLICT (key) DO NOTHING`;
    const [mark] = await tx.$queryRaw<{ value: string }[]>`SELECT value #>> '{}' AS value FROM "Setting" WHERE key = ${WATERMARK} FOR UPDATE`;
    const from = new Date(mark.value);
    if (!(from < now)) return { teams: 0, findings: 0 };
    let findings = 0;
    const rows = (await anyWebhookFor(run, "sla.breached"))
      ? await tx.$queryRaw<{ teamId: string | null; team: string | null; n: number; listed: { id: string; vulnerability: string; severity: string; dueAt: string }[] }[]>`
          SELECT f."teamId", t.name AS team, count(*)::int AS n,
            (array_agg(json_build_object('id', f.id, 'vulnerability', COALESCE(f."vulnerabilityId", f."ruleId"), 'severity', f.severity, 'title', f.title, 'dueAt', f."dueAt") ORDER BY f."dueAt", f.id))[1:${LISTED}] AS listed
          FROM "Finding" f LEFT JOIN "Team" t ON t.id = f."teamId"
          WHERE f.status IN ('open', 'in_progress') AND f."dueAt" > ${from} AND f."dueAt" <= ${now}
          GROUP BY f."teamId", t.name`
      : [];
    for (const row of rows) {
      findings += row.n;
      await notify(
        run,
        {
          event: "sla.breached",
          key: `sla.breached:${row.teamId ?? "-"}:${now.toISOString()}`,
          teamId: row.teamId,
          text: `${row.n} open finding${row.n === 1 ? "" : "s"}${row.team ? ` of ${row.team}` : ""} passed ${row.n === 1 ? "its" : "their"} due date`,
          path: "/findings?sla=breached",
          data: { team: row.team, count: row.n, since: from.toISOString(), findings: row.listed },
        },
        now,
      );
    }
    await tx.$executeRaw`UPDATE "Setting" SET value = to_jsonb(${now.toISOString()}::text), "updatedAt" = now() WHERE key = ${WATERMARK}`;
    return { teams: rows.length, findings };
  });
}

export async function notifyExpiringExceptions(now = new Date()): Promise<{ exceptions: number }> {
  const run = prismaRun(db);
  if (!(await anyWebhookFor(run, "exception.expiring"))) return { exceptions: 0 };
  const ending = await db.riskException.findMany({
    where: { status: "approved", expiresAt: { gt: now, lte: new Date(now.getTime() + EXPIRING_DAYS * 86_400_000) } },
    select: { id: true },
  });
  // Each exception's key is queued once per webhook, however often this runs.
  for (const e of ending) await notifyException(run, "exception.expiring", e.id, now);
  return { exceptions: ending.length };
}
