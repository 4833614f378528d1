// The session-signing secret: from BETTER_AUTH_SECRET, else generated once and kept in the
// database, so that every replica behind a load balancer signs with the same one.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { db } from "@/lib/db";

const KEY = "auth.secret";

export async function ensureAuthSecret(): Promise<string> {
  const stored = await db.setting.findUnique({ where: { key: KEY } });
  const parsed = z.string().min(32).safeParse(stored?.value);
  if (parsed.success) return parsed.data;
  const secret = randomBytes(48).toString("base64url");
  // Two replicas starting at once: the first write wins and both read it back.
  await db.setting.upsert({ where: { key: KEY }, create: { key: KEY, value: secret }, update: {} });
  const winner = await db.setting.findUniqueOrThrow({ where: { key: KEY } });
  return z.string().parse(winner.value);
}
