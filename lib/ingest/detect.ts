// Format detection and dispatch: the body's shape decides, or the caller's `format=` must match it.
import { ReportError } from "@/lib/ingest/errors";
import { looksLikeTrivy, parseTrivy } from "@/lib/ingest/formats/trivy";
import type { NormalisedReport } from "@/lib/findings/model";

export const REQUESTABLE_FORMATS = ["auto", "trivy", "grype", "sarif", "cyclonedx", "kube-bench"] as const;
export type RequestedFormat = (typeof REQUESTABLE_FORMATS)[number];

interface FormatParser {
  name: Exclude<RequestedFormat, "auto">;
  matches: (doc: unknown) => boolean;
  parse: (doc: unknown) => NormalisedReport;
}

const parsers: FormatParser[] = [{ name: "trivy", matches: looksLikeTrivy, parse: parseTrivy }];

export function detectAndParse(doc: unknown, requested: RequestedFormat): NormalisedReport {
  const detected = parsers.find((p) => p.matches(doc));
  if (requested !== "auto") {
    const named = parsers.find((p) => p.name === requested);
    if (!named) throw new ReportError(`format=${requested} is not supported yet; supported: ${parsers.map((p) => p.name).join(", ")}`, "unknown_format");
    if (detected !== named) {
      throw new ReportError(
        `format=${requested} was requested but the body is ${detected ? `a ${detected.name} report` : "not a recognised report"}`,
        "format_mismatch",
      );
    }
    return named.parse(doc);
  }
  if (!detected) {
    throw new ReportError(
      "Unrecognised report: expected Trivy JSON (an object with SchemaVersion 2 and ArtifactName, from `trivy image -f json`)",
      "unknown_format",
    );
  }
  return detected.parse(doc);
}
