// Input checks shared by the CLI and the /admin forms: a bad value becomes one readable sentence.
import { z } from "zod";
import { AppError } from "@/lib/errors";
import type { Role, TokenScope } from "@/lib/generated/prisma/enums";

/** A bad argument or a conflict; the CLI prints it on one line, the web shows it by the form. */
export class InvalidInput extends AppError {
  constructor(message: string) {
    super("bad_request", message);
    this.name = "InvalidInput";
  }
}

export function check<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new InvalidInput(parsed.error.issues[0].message);
  return parsed.data;
}

/** A form field left empty is the same as one not sent. */
export const blankAsUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const ROLES = ["admin", "security_lead", "engineer", "manager"] as const satisfies readonly Role[];
export const SCOPES = ["ingest", "read"] as const satisfies readonly TokenScope[];

export const emailField = z.string().trim().toLowerCase().email("email must be an email address").max(254);
export const roleField = z.enum(ROLES, { message: `role must be one of ${ROLES.join(", ")}` });
export const teamNameField = z.string().trim().min(1, "a team name is required").max(100, "a team name has at most 100 characters");
export const idField = z.string().trim().min(1).max(64);

/** A form field that carries JSON (a list edited in the browser); bad JSON is a clear 400. */
export function parseJsonField(raw: string, name: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new InvalidInput(`${name} is not valid JSON`);
  }
}
