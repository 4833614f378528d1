// The parts of Trivy's JSON (SchemaVersion 2) that Portcullis reads. Other fields (and those that
// newer Trivy versions add) are accepted and dropped, which keeps big reports cheap to validate;
// absent, null and [] are all treated as "none".
import { z } from "zod";
import { byteSize, cvssScore, lineNumber } from "@/lib/ingest/formats/common";

const text = z.string().nullish();
const list = <T extends z.ZodType>(item: T) => z.array(item).nullish();

const cvssEntry = z.object({
  V2Vector: text,
  V2Score: cvssScore.nullish(),
  V3Vector: text,
  V3Score: cvssScore.nullish(),
  V40Vector: text,
  V40Score: cvssScore.nullish(),
});

export const trivyVulnerability = z.object({
  VulnerabilityID: z.string().min(1),
  VendorIDs: list(z.string()),
  PkgName: z.string(),
  PkgPath: text,
  PkgIdentifier: z.object({ PURL: text }).nullish(),
  InstalledVersion: z.string().nullish(),
  FixedVersion: text,
  Status: text,
  SeveritySource: text,
  PrimaryURL: text,
  Title: text,
  Description: text,
  Severity: text,
  CweIDs: list(z.string()),
  CVSS: z.record(z.string(), cvssEntry).nullish(),
  References: list(z.string()),
  PublishedDate: text,
  LastModifiedDate: text,
});

export const trivyMisconfiguration = z.object({
  ID: z.string().min(1),
  AVDID: text,
  Title: text,
  Description: text,
  Message: text,
  Resolution: text,
  Severity: text,
  PrimaryURL: text,
  References: list(z.string()),
  Status: text,
  CauseMetadata: z.object({ StartLine: lineNumber.nullish(), EndLine: lineNumber.nullish() }).nullish(),
});

export const trivySecret = z.object({
  RuleID: z.string().min(1),
  Category: text,
  Severity: text,
  Title: text,
  StartLine: lineNumber.nullish(),
  EndLine: lineNumber.nullish(),
  Match: text,
});

export const trivyPackage = z.object({
  Name: z.string(),
  Version: z.string().nullish(),
  FilePath: text,
  Identifier: z.object({ PURL: text }).nullish(),
});

export const trivyResult = z.object({
  Target: z.string().nullish(),
  Class: text,
  Type: text,
  Packages: list(trivyPackage),
  Vulnerabilities: list(trivyVulnerability),
  Misconfigurations: list(trivyMisconfiguration),
  Secrets: list(trivySecret),
});

const imageMetadata = z.object({
  Size: byteSize.nullish(),
  OS: z.object({ Family: text, Name: text, EOSL: z.boolean().nullish() }).nullish(),
  ImageID: text,
  ImageConfig: z.object({ created: text }).nullish(),
  RepoTags: list(z.string()),
  RepoDigests: list(z.string()),
});

export const trivyReport = z.object({
  SchemaVersion: z.literal(2),
  CreatedAt: text,
  ArtifactName: z.string().nullish(),
  ArtifactType: text,
  Trivy: z.object({ Version: text }).nullish(),
  Metadata: imageMetadata.nullish(),
  Results: list(trivyResult),
});

/** Before Trivy 0.20: a bare array of results (or null when nothing was found). */
export const trivyLegacyReport = z.array(trivyResult).nullable();

export const trivyK8sResource = z.object({
  Namespace: text,
  Kind: text,
  Name: text,
  Metadata: z.union([imageMetadata, z.array(imageMetadata)]).nullish(),
  Results: list(trivyResult),
  Error: text,
});

/** `trivy k8s --format json`: {ClusterName, Resources} or, older, {ClusterName, Vulnerabilities, Misconfigurations}. */
export const trivyK8sReport = z.object({
  ClusterName: z.string().nullish(),
  Resources: list(trivyK8sResource),
  Vulnerabilities: list(trivyK8sResource),
  Misconfigurations: list(trivyK8sResource),
});

export type TrivyImageMetadata = z.infer<typeof imageMetadata>;
export type TrivyResult = z.infer<typeof trivyResult>;
export type TrivyK8sResource = z.infer<typeof trivyK8sResource>;

export type TrivyReport = z.infer<typeof trivyReport>;
export type TrivyVulnerability = z.infer<typeof trivyVulnerability>;
export type TrivyMisconfiguration = z.infer<typeof trivyMisconfiguration>;
export type TrivySecret = z.infer<typeof trivySecret>;
