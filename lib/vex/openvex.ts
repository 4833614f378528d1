// An OpenVEX 0.2.0 document of an image's triage decisions, in the shape `trivy image --vex`
// matches: the product is the image's OCI package URL (by its manifest digest), and each package a
// decision is about is a subcomponent by its package URL.
import { createHash } from "node:crypto";
import { acceptedRiskStatement, type Decision } from "@/lib/vex/decisions";

export const OPENVEX_CONTEXT = "https://openvex.dev/ns/v0.2.0";

/** pkg:oci/<name>@sha256%3A…?repository_url=<registry/path> (the purl spec's oci type, as Trivy writes it). */
export function ociPurl(repository: string, digest: string): string {
  const name = repository.split("/").pop()!.toLowerCase();
  return `pkg:oci/${name}@${encodeURIComponent(digest)}?repository_url=${encodeURIComponent(repository.toLowerCase())}`;
}

type Statement = Record<string, unknown>;

function statementOf(d: Decision, product: string): Statement {
  const base: Statement = {
    vulnerability: { name: d.vulnerabilityId },
    timestamp: d.since.toISOString(),
    products: [{ "@id": product, ...(d.purl ? { subcomponents: [{ "@id": d.purl }] } : {}) }],
  };
  switch (d.status) {
    case "not_affected":
    case "false_positive":
      // A decision a report stated without a justification says why in words instead (one of the two is required).
      return d.justification
        ? { ...base, status: "not_affected", justification: d.justification, ...(d.status === "false_positive" ? { status_notes: "marked false positive in Portcullis" } : {}) }
        : { ...base, status: "not_affected", impact_statement: d.status === "false_positive" ? "Marked false positive in Portcullis" : "Marked not affected in Portcullis" };
    case "fixed":
      return { ...base, status: "fixed" };
    case "in_progress":
      return { ...base, status: "under_investigation" };
    default:
      return { ...base, status: "affected", action_statement: acceptedRiskStatement(d), action_statement_timestamp: d.since.toISOString() };
  }
}

/** The document; its id and timestamp follow from its content, so the same decisions give the same document. */
export function openVexDocument(image: { repository: string; digest: string }, decisions: Decision[], baseUrl: string): Record<string, unknown> {
  const product = ociPurl(image.repository, image.digest);
  const statements = decisions.map((d) => statementOf(d, product));
  const hash = createHash("sha256").update(JSON.stringify(statements)).digest("hex").slice(0, 16);
  const latest = decisions.reduce((max, d) => (d.since > max ? d.since : max), new Date(0));
  return {
    "@context": OPENVEX_CONTEXT,
    "@id": `${baseUrl.replace(/\/$/, "")}/api/v1/vex/${encodeURIComponent(image.digest)}/${hash}`,
    author: "Portcullis",
    role: "Document creator",
    timestamp: latest.toISOString(),
    version: 1,
    tooling: "Portcullis triage decisions",
    statements,
  };
}
