// The error a parser or the ingest raises for bad input; the API maps it to 400 with its message.
import { AppError } from "@/lib/errors";

export class ReportError extends AppError {
  constructor(message: string, code: "malformed_report" | "unknown_format" | "format_mismatch" | "invalid_context" = "malformed_report") {
    super(code, message);
    this.name = "ReportError";
  }
}

/** Formats a zod-style issue path as a JSON path: $.Results[0].Vulnerabilities[3].PkgName */
export function jsonPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (acc, part) => (typeof part === "number" ? `${acc}[${part}]` : `${acc}.${String(part)}`),
    "$",
  );
}
