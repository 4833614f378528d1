// One error type for the API, with one code → status table, and one place that maps errors.
import { ZodError } from "zod";
import { ReportError } from "@/lib/ingest/errors";
import { AccessDenied, NotVisible } from "@/lib/authz/actor";
import { InvalidInput } from "@/lib/admin/input";
import { RateLimited } from "@/lib/security/rate-limit";

const statusOf = {
  bad_request: 400,
  malformed_report: 400,
  unknown_format: 400,
  format_mismatch: 400,
  invalid_context: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  payload_too_large: 413,
  rate_limited: 429,
  unsupported_media_type: 415,
  internal: 500,
} as const;

export type ApiErrorCode = keyof typeof statusOf;

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
  get status(): number {
    return statusOf[this.code];
  }
}

export function errorResponse(code: ApiErrorCode, message: string, headers?: HeadersInit): Response {
  return Response.json({ error: { code, message } }, { status: statusOf[code], headers });
}

/** Maps anything thrown by a handler to the JSON error contract; never leaks internals. */
export function toErrorResponse(error: unknown): Response {
  if (error instanceof ApiError) {
    const headers = error.code === "unauthorized" ? { "WWW-Authenticate": 'Bearer realm="portcullis"' } : undefined;
    return errorResponse(error.code, error.message, headers);
  }
  if (error instanceof ReportError) return errorResponse(error.code, error.message);
  if (error instanceof RateLimited) return errorResponse("rate_limited", `${error.message} Retry in ${error.retryAfterSeconds} s.`, { "Retry-After": String(error.retryAfterSeconds) });
  if (error instanceof AccessDenied) return errorResponse("forbidden", error.message);
  if (error instanceof NotVisible) return errorResponse("not_found", error.message);
  if (error instanceof InvalidInput) return errorResponse("bad_request", error.message);
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const where = issue.path.length ? ` (${issue.path.map(String).join(".")})` : "";
    return errorResponse("bad_request", `${issue.message}${where}`);
  }
  console.error("[api] unexpected error", error);
  return errorResponse("internal", "Internal error; nothing was changed. The server log has the details.");
}

