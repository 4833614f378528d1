// The JSON error contract of /api: {"error": {"code", "message"}} with the status of the code
// (lib/errors.ts holds the one code → status table).
import { describeError, ERROR_STATUS, type ErrorCode } from "@/lib/errors";

export function errorResponse(code: ErrorCode, message: string, headers?: HeadersInit): Response {
  return Response.json({ error: { code, message } }, { status: ERROR_STATUS[code], headers });
}

/** Maps anything thrown by a handler to the JSON error contract; never leaks internals. */
export function toErrorResponse(error: unknown): Response {
  const described = describeError(error, "api");
  const headers = described.code === "unauthorized" ? { ...described.headers, "WWW-Authenticate": 'Bearer realm="portcullis"' } : described.headers;
  return errorResponse(described.code, described.message, headers);
}
