// One error model for the whole app: every expected failure is an AppError with a code, and one
// table maps codes to HTTP statuses. The API wrapper and the server actions both describe errors
// through `describeError`, so the same failure reads the same everywhere, and nothing unexpected
// reaches a user (or the log) with internals in it.
import { ZodError } from "zod";
import { logUnexpected } from "@/lib/log";

export const ERROR_STATUS = {
  bad_request: 400,
  malformed_report: 400,
  unknown_format: 400,
  format_mismatch: 400,
  invalid_context: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  header_too_large: 431,
  client_closed: 499,
  internal: 500,
  busy: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "AppError";
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export interface DescribedError {
  code: ErrorCode;
  status: number;
  message: string;
  headers: Record<string, string>;
}

const describe = (code: ErrorCode, message: string, headers: Record<string, string> = {}): DescribedError => ({ code, status: ERROR_STATUS[code], message, headers });

/** PostgreSQL errors that mean "try again shortly", not "broken": timeouts, lock waits, a busy pool. */
const BUSY_SQLSTATES = new Set(["57014", "55P03", "40P01", "40001", "53300"]);
const RETRY_AFTER = { "Retry-After": "5" };

export function describeError(error: unknown, where = "app"): DescribedError {
  if (error instanceof AppError) return describe(error.code, error.message, error.headers);
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const path = issue.path.length ? ` (${issue.path.map(String).join(".")})` : "";
    return describe("bad_request", `${issue.message}${path}`);
  }
  const e = error as { name?: string; code?: string; message?: string } | null;
  if (e?.name === "PrismaClientKnownRequestError" && e.code === "P2002") return describe("conflict", "That already exists.");
  if (e?.name === "PrismaClientKnownRequestError" && e.code === "P2025") return describe("not_found", "That was not found.");
  const state = sqlState(error);
  // PostgreSQL takes any text but one with NUL in it (what node-postgres sends is otherwise valid UTF-8).
  if (state === "22021") return describe("bad_request", "A text you sent holds a NUL character (\\0), which cannot be stored or searched; nothing was changed.");
  if ((state && BUSY_SQLSTATES.has(state)) || /timeout exceeded when trying to connect/i.test(e?.message ?? "")) {
    return describe("busy", "The database is busy; nothing was changed. Try again in a few seconds.", RETRY_AFTER);
  }
  if (isClientAbort(error)) return describe("client_closed", "The client closed the request before it was complete.");
  logUnexpected(where, error);
  return describe("internal", "Internal error; nothing was changed. The server log has the details.");
}

/**
 * The SQLSTATE behind an error: node-postgres puts it in `code`; through Prisma's driver adapter it
 * is the adapter error's `originalCode` (Prisma's own codes, P2010 and the like, are not SQLSTATEs).
 */
export function sqlState(error: unknown): string | undefined {
  type WithCode = { name?: string; code?: unknown; cause?: { originalCode?: unknown }; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } };
  const e = error as WithCode | null;
  const found = e?.name === "PrismaClientKnownRequestError" ? e.meta?.driverAdapterError?.cause?.originalCode : (e?.cause?.originalCode ?? e?.code);
  return typeof found === "string" && /^[0-9A-Z]{5}$/.test(found) ? found : undefined;
}

/** An upload the client gave up on: not a server fault, and nothing to log. */
export function isClientAbort(error: unknown): boolean {
  const e = error as { name?: string; code?: string; message?: string } | null;
  return e?.name === "AbortError" || e?.code === "ECONNRESET" || e?.code === "ERR_STREAM_PREMATURE_CLOSE" || /^(aborted|terminated)$/i.test(e?.message ?? "");
}
