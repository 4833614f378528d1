// A CycloneDX 1.6 VEX of an image's decisions, linked by BOM-Link to the CycloneDX SBOM it was
// ingested from: each vulnerability `affects` urn:cdx:<serial>/<version>#<bom-ref>, so a tool
// that holds that SBOM applies the analysis to the right component.
import { createHash } from "node:crypto";
import { acceptedRiskStatement, type Decision } from "@/lib/vex/decisions";
import type { VexJustification } from "@/lib/generated/prisma/enums";

/** OpenVEX (CISA) justifications in CycloneDX's words. */
const JUSTIFICATION: Record<VexJustification, string> = {
  component_not_present: "code_not_present",
  vulnerable_code_not_present: "code_not_present",
  vulnerable_code_not_in_execute_path: "code_not_reachable",
  vulnerable_code_cannot_be_controlled_by_adversary: "requires_environment",
  inline_mitigations_already_exist: "protected_by_mitigating_control",
};

export interface LinkedBom {
  serialNumber: string;
  version: number;
}

/** urn:cdx:<uuid>/<version>#<bom-ref, percent-encoded> */
export function bomLink(bom: LinkedBom, bomRef: string): string {
  return `urn:cdx:${bom.serialNumber.replace(/^urn:uuid:/, "")}/${bom.version}#${encodeURIComponent(bomRef)}`;
}

function analysisOf(d: Decision): Record<string, unknown> {
  switch (d.status) {
    case "not_affected":
      return { state: "not_affected", ...(d.justification ? { justification: JUSTIFICATION[d.justification] } : {}) };
    case "false_positive":
      return { state: "false_positive" };
    case "fixed":
      return { state: "resolved" };
    case "in_progress":
      return { state: "in_triage" };
    default:
      return { state: "exploitable", response: ["will_not_fix"], detail: acceptedRiskStatement(d) };
  }
}

/** The document; decisions without a bom-ref (not from this SBOM) are left out. Deterministic for the same decisions. */
export function cycloneDxVex(bom: LinkedBom, decisions: Decision[]): Record<string, unknown> {
  const linked = decisions.filter((d) => d.bomRef);
  const vulnerabilities = linked.map((d) => ({
    id: d.vulnerabilityId,
    analysis: { ...analysisOf(d), lastUpdated: d.since.toISOString() },
    affects: [{ ref: bomLink(bom, d.bomRef!) }],
  }));
  const digest = createHash("sha256").update(JSON.stringify([bom, vulnerabilities])).digest("hex");
  // A UUID from the content (version 4 layout), so the same decisions give the same serial number.
  const uuid = `${digest.slice(0, 8)}-${digest.slice(8, 12)}-4${digest.slice(13, 16)}-${((parseInt(digest[16], 16) & 3) | 8).toString(16)}${digest.slice(17, 20)}-${digest.slice(20, 32)}`;
  const latest = linked.reduce((max, d) => (d.since > max ? d.since : max), new Date(0));
  return {
    bomFormat: "CycloneDX",
    specVersion: "1.6",
    serialNumber: `urn:uuid:${uuid}`,
    version: 1,
    metadata: { timestamp: latest.toISOString(), tools: { components: [{ type: "application", name: "Portcullis" }] } },
    vulnerabilities,
  };
}
