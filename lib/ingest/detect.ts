// Format detection and dispatch: the body's shape decides, or the caller's `format=` must match it.
import { ReportError } from "@/lib/ingest/errors";
import { looksLikeTrivy, parseTrivy } from "@/lib/ingest/formats/trivy";
import { looksLikeGrype, parseGrype } from "@/lib/ingest/formats/grype";
import { looksLikeSarif, parseSarif } from "@/lib/ingest/formats/sarif";
import { looksLikeCycloneDx, parseCycloneDx } from "@/lib/ingest/formats/cyclonedx";
import { looksLikeKubeBench, parseKubeBench } from "@/lib/ingest/formats/kube-bench";
import { looksLikeTrivyOperator, parseTrivyOperator } from "@/lib/ingest/formats/trivy-operator";
import type { NormalisedReport, ReportFormat } from "@/lib/findings/model";

export const REQUESTABLE_FORMATS = ["auto", "trivy", "trivy-operator", "grype", "sarif", "cyclonedx", "kube-bench"] as const;
export type RequestedFormat = (typeof REQUESTABLE_FORMATS)[number];

interface FormatParser {
  name: ReportFormat;
  describe: string;
  matches: (doc: unknown) => boolean;
  parse: (doc: unknown) => NormalisedReport;
}

// Most specific shapes first: a CycloneDX or SARIF document is never taken for anything else.
const parsers: FormatParser[] = [
  { name: "cyclonedx", describe: 'CycloneDX JSON ("bomFormat": "CycloneDX")', matches: looksLikeCycloneDx, parse: parseCycloneDx },
  { name: "sarif", describe: 'SARIF 2.1.0 ("version": "2.1.0", "runs")', matches: looksLikeSarif, parse: parseSarif },
  { name: "trivy-operator", describe: "Trivy Operator reports (apiVersion aquasecurity.github.io/v1alpha1: one, a kubectl list, or the webhook body)", matches: looksLikeTrivyOperator, parse: parseTrivyOperator },
  { name: "grype", describe: "Grype JSON (matches, source)", matches: looksLikeGrype, parse: parseGrype },
  { name: "kube-bench", describe: "kube-bench JSON (Controls, or an array of controls)", matches: looksLikeKubeBench, parse: parseKubeBench },
  { name: "trivy", describe: "Trivy JSON (SchemaVersion 2, a trivy k8s report, or the pre-0.20 array)", matches: looksLikeTrivy, parse: parseTrivy },
];

export function detectFormat(doc: unknown): ReportFormat | null {
  return parsers.find((p) => p.matches(doc))?.name ?? null;
}

export function detectAndParse(doc: unknown, requested: RequestedFormat): NormalisedReport {
  const detected = parsers.find((p) => p.matches(doc));
  if (requested !== "auto" && detected?.name !== requested) {
    throw new ReportError(
      `format=${requested} was requested but the body is ${detected ? `a ${detected.name} report` : "not a recognised report"}`,
      "format_mismatch",
    );
  }
  if (!detected) {
    throw new ReportError(`Unrecognised report. Expected one of: ${parsers.map((p) => p.describe).join("; ")}`, "unknown_format");
  }
  return detected.parse(doc);
}
