// The read API's requests and answers (/api/v1/images, /findings, /clusters, /teams): validated
// and shaped by these schemas, and described by them in /api/v1/openapi.json. Queries are strict
// (a filter that does not parse is a 400, never silently dropped); the pages' own schemas are lenient.
import { z } from "zod";
import { FINDING_KINDS, FINDING_STATUSES, SEVERITIES } from "@/lib/findings/model";
import { findingQuerySchema, type FindingQuery } from "@/lib/findings/explore";
import { imageListQuerySchema, type ImageListQuery } from "@/lib/images/list-images";

/** A page schema's fields without their lenient `.catch` (the API answers 400 instead). */
function strictShape<T extends z.ZodRawShape>(shape: T): Record<keyof T, z.ZodType> {
  return Object.fromEntries(
    Object.entries(shape).map(([key, field]) => {
      const inner = (field instanceof z.ZodCatch ? field.def.innerType : field) as z.ZodType;
      return [key, inner.optional()];
    }),
  ) as unknown as Record<keyof T, z.ZodType>;
}

const limit = (max: number, fallback: number) =>
  z.coerce.number({ message: `limit is a number from 1 to ${max}` }).int().min(1, `limit is at least 1`).max(max, `limit is at most ${max}`).default(fallback).meta({ description: `Items per page (1–${max})` });
const cursor = z.string().max(300).optional().meta({ description: "nextCursor of the previous page" });

const findingFilters = strictShape(findingQuerySchema.omit({ after: true }).shape);
export const findingsQuerySchema = z
  .object({
    ...findingFilters,
    severity: findingFilters.severity.meta({ description: `Comma-separated: ${SEVERITIES.join(", ")}` }),
    kind: findingFilters.kind.meta({ description: `Comma-separated: ${FINDING_KINDS.join(", ")}` }),
    status: findingFilters.status.meta({ description: `Comma-separated: ${FINDING_STATUSES.join(", ")} (default: open and in_progress)` }),
    sort: z.enum(["severity", "first_seen", "due"], { message: "sort is severity, first_seen or due" }).default("severity"),
    cursor,
    limit: limit(500, 100),
  })
  .strict();
/** The same filters as the explorer's (the strict schema parses to the same values). */
export type FindingsQuery = Omit<FindingQuery, "after"> & { cursor?: string; limit: number };

const imageFilters = strictShape(imageListQuerySchema.omit({ page: true }).shape);
export const imagesQuerySchema = z
  .object({ ...imageFilters, sort: z.enum(["score", "critical", "age", "scanned", "name"], { message: "sort is score, critical, age, scanned or name" }).default("score"), cursor, limit: limit(200, 50) })
  .strict();
export type ImagesQuery = Omit<ImageListQuery, "page"> & { cursor?: string; limit: number };

export const idParamSchema = z.object({ id: z.string().meta({ description: "The id from a list" }) });

const date = z.iso.datetime();
const count = z.number().int().min(0);
const severity = z.enum(SEVERITIES);
const severityCounts = z.object({ critical: count, high: count, medium: count, low: count, unknown: count });

export const postureSchema = z
  .object({ open: severityCounts, total: count, fixable: count, score: z.number().int().min(0).max(100), grade: z.enum(["A", "B", "C", "D", "F"]) })
  .meta({ id: "Posture", description: "Open findings (open or in progress) by severity, how many have a fix, and the score" });

const named = z.object({ id: z.string(), name: z.string() });

export const imageItemSchema = z
  .object({
    id: z.string(),
    repository: z.string(),
    tags: z.array(z.string()),
    digest: z.string().nullable(),
    team: named.nullable(),
    os: z.string().nullable(),
    osEndOfLife: z.boolean(),
    open: severityCounts,
    fixable: count,
    score: z.number().int(),
    grade: z.enum(["A", "B", "C", "D", "F"]),
    clusters: count.meta({ description: "How many clusters run it" }),
    builtAt: date.nullable(),
    lastScannedAt: date.nullable(),
    retired: z.boolean(),
  })
  .meta({ id: "Image" });

export const imageDetailSchema = imageItemSchema
  .omit({ open: true, fixable: true, score: true, grade: true, clusters: true })
  .extend({
    posture: postureSchema,
    uniqueVulnerabilities: count,
    packages: count,
    runsIn: z.array(z.object({ cluster: named, namespace: z.string(), workload: z.object({ kind: z.string(), name: z.string() }), lastSeenAt: date })),
    upgrades: z.array(z.object({ package: z.string(), installed: z.string().nullable(), fixedVersion: z.string().nullable(), findings: count, worst: severity })),
    scans: z.array(z.object({ id: z.string(), tool: z.string(), toolVersion: z.string().nullable(), receivedAt: date, findings: count, opened: count, reopened: count, closed: count })),
  })
  .meta({ id: "ImageDetail" });

export const findingItemSchema = z
  .object({
    id: z.string(),
    kind: z.enum(FINDING_KINDS),
    severity,
    status: z.enum(FINDING_STATUSES),
    ruleId: z.string(),
    vulnerabilityId: z.string().nullable(),
    title: z.string(),
    package: z.string().nullable(),
    installed: z.string().nullable(),
    fixedVersion: z.string().nullable(),
    fixable: z.boolean(),
    target: z.string(),
    imageId: z.string().nullable(),
    team: named.nullable(),
    cluster: named.nullable(),
    namespace: z.string().nullable(),
    reportedBy: z.array(z.string()),
    firstSeenAt: date,
    lastSeenAt: date,
    dueAt: date.nullable(),
    assignee: z.string().nullable(),
  })
  .meta({ id: "Finding" });

export const findingDetailSchema = findingItemSchema
  .omit({ target: true })
  .extend({
    location: z.string().nullable(),
    startLine: z.number().int().nullable(),
    fixedAt: date.nullable(),
    justification: z.string().nullable(),
    image: z.object({ id: z.string(), repository: z.string(), tags: z.array(z.string()) }).nullable(),
    workload: z.object({ kind: z.string(), name: z.string() }).nullable(),
    description: z.string().nullable(),
    references: z.array(z.string()),
    cvssScore: z.number().nullable(),
  })
  .meta({ id: "FindingDetail" });

export const clusterItemSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    team: named.nullable(),
    posture: postureSchema,
    namespaces: count,
    workloads: count,
    images: count,
    runtimeAlerts24h: count,
    runtimeAlerts7d: count,
    lastReports: z.object({ trivy: date.nullable(), kubeBench: date.nullable(), falco: date.nullable() }),
  })
  .meta({ id: "Cluster" });

export const teamItemSchema = z
  .object({ id: z.string(), name: z.string(), members: count, images: count, clusters: count, namespaces: count, posture: postureSchema })
  .meta({ id: "Team" });

export function pageSchema<T extends z.ZodType>(item: T, id: string) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable().meta({ description: "Pass as cursor= for the next page; null on the last page" }) }).meta({ id });
}
export const imagesPageSchema = pageSchema(imageItemSchema, "ImagePage");
export const findingsPageSchema = pageSchema(findingItemSchema, "FindingPage");
export const clustersPageSchema = pageSchema(clusterItemSchema, "ClusterPage");
export const teamsPageSchema = pageSchema(teamItemSchema, "TeamPage");
