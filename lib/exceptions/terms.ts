// What an exception request states: why, and how it ends (a date within the policy's maximum, or
// "until a fix is available" for vulnerabilities). Shared by single, bulk and rule requests.
import { z } from "zod";
import { InvalidInput } from "@/lib/admin/input";

export const exceptionTermsSchema = z.object({
  reason: z.string().trim().min(10, "say why in at least 10 characters").max(2000, "a reason has at most 2000 characters"),
  ends: z.enum(["date", "fix"], { message: "an exception ends on a date or when a fix is available" }),
  expiresAt: z.coerce.date({ message: "an end date is a date" }).optional(),
});
export type ExceptionTerms = z.input<typeof exceptionTermsSchema>;

export interface ExceptionEnd {
  expiresAt: Date | null;
  untilFixAvailable: boolean;
}

/** The end of an exception, checked against the policy; an end date is the end of that day (UTC). */
export function exceptionEnd(terms: z.infer<typeof exceptionTermsSchema>, maxDays: number, now: Date): ExceptionEnd {
  if (terms.ends === "fix") return { expiresAt: null, untilFixAvailable: true };
  if (!terms.expiresAt) throw new InvalidInput("choose the date the exception ends");
  const end = new Date(terms.expiresAt);
  if (end.getUTCHours() === 0 && end.getUTCMinutes() === 0 && end.getUTCSeconds() === 0) end.setUTCHours(23, 59, 59, 0);
  if (end <= now) throw new InvalidInput("the end date must be in the future");
  const latest = new Date(now.getTime() + maxDays * 86_400_000);
  latest.setUTCHours(23, 59, 59, 0);
  if (end > latest) throw new InvalidInput(`an exception may last at most ${maxDays} days (until ${latest.toISOString().slice(0, 10)})`);
  return { expiresAt: end, untilFixAvailable: false };
}
