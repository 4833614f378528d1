// GET /api/v1/openapi.json: the OpenAPI 3.1 description of every /api/v1 call, generated
// (zod-openapi) from the schemas the routes validate their queries with and shape their answers by.
import { z } from "zod";
import { createDocument } from "zod-openapi";
import { gateQuerySchema, gateResultSchema } from "@/lib/gate/schema";
import { runtimeAnswerSchema, scanAnswerSchema } from "@/lib/ingest/answers";
import { ingestContextSchema, runtimeEventsQuerySchema } from "@/lib/ingest/context";
import {
  clustersPageSchema,
  findingDetailSchema,
  findingsPageSchema,
  findingsQuerySchema,
  idParamSchema,
  imageDetailSchema,
  imagesPageSchema,
  imagesQuerySchema,
  teamsPageSchema,
} from "@/lib/read-api/schemas";
import { vexQuerySchema } from "@/lib/vex/query";

const errorSchema = z
  .object({ error: z.object({ code: z.string().meta({ description: "bad_request, unauthorized, forbidden, not_found, rate_limited, …" }), message: z.string().meta({ description: "What was wrong, in a sentence" }) }) })
  .meta({ id: "Error" });

const json = (schema: z.ZodType, description: string) => ({ description, content: { "application/json": { schema } } });
const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((code) => [
      String(code),
      json(errorSchema, { 400: "The request is wrong; the message says how", 401: "No valid token", 403: "The token lacks the scope or binding", 404: "Not found, or not visible to this token", 413: "The body is too large", 415: "The body is not JSON", 429: "Over the token's rate budget (Retry-After says when to retry)" }[code] ?? "Error"),
    ]),
  );
const reads = errors(400, 401, 403, 404);
const read = (summary: string, tag: string, query: z.ZodObject | null, answer: z.ZodType, path = false) => ({
  get: {
    summary,
    tags: [tag],
    requestParams: { ...(query ? { query } : {}), ...(path ? { path: idParamSchema } : {}) },
    responses: { "200": json(answer, "OK"), ...reads },
  },
});
const report = z.unknown().meta({ description: "The scanner's own JSON output, unchanged" });

export function openApiDocument(serverUrl?: string) {
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "Portcullis API",
      version: "1",
      description:
        "Scanners post their raw output; pipelines ask the gate; scripts read posture. Every call takes `Authorization: Bearer <token>` (an API token from /admin/tokens or `npm run admin -- create-token`); errors are `{error: {code, message}}`.",
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "An API token (ingest or read scope)" } } },
    security: [{ bearer: [] }],
    paths: {
      "/api/v1/scans": {
        post: {
          summary: "Ingest a scanner report (Trivy, Trivy Operator, Grype, SARIF, CycloneDX, kube-bench)",
          tags: ["ingest"],
          requestParams: { query: ingestContextSchema },
          requestBody: { required: true, content: { "application/json": { schema: report } } },
          responses: { "201": json(scanAnswerSchema, "Ingested"), "200": json(scanAnswerSchema, "The same report was ingested before (duplicate: true)"), ...errors(400, 401, 403, 413, 415, 429) },
        },
      },
      "/api/v1/runtime-events": {
        post: {
          summary: "Falco events: one, an array, or newline-delimited (Falcosidekick's webhook body)",
          tags: ["ingest"],
          requestParams: { query: runtimeEventsQuerySchema },
          requestBody: { required: true, content: { "application/json": { schema: report } } },
          responses: { "202": json(runtimeAnswerSchema, "Accepted"), ...errors(400, 401, 403, 413, 415, 429) },
        },
      },
      "/api/v1/gate": {
        get: {
          summary: "Pass, warn or fail for an image against its gate policy (always 200 with a decision)",
          tags: ["gate"],
          requestParams: { query: gateQuerySchema },
          responses: {
            "200": {
              description: "The decision (format=junit: the same as a JUnit XML report)",
              content: { "application/json": { schema: gateResultSchema }, "application/xml": { schema: z.string() } },
            },
            ...errors(400, 401, 403),
          },
        },
      },
      "/api/v1/vex": {
        get: {
          summary: "An image's triage decisions for scanners: OpenVEX, CycloneDX VEX or a .trivyignore",
          tags: ["gate"],
          requestParams: { query: vexQuerySchema },
          responses: {
            "200": {
              description: "The document",
              content: {
                "application/json": { schema: z.object({}).passthrough().meta({ description: "OpenVEX 0.2.0" }) },
                "application/vnd.cyclonedx+json": { schema: z.object({}).passthrough().meta({ description: "CycloneDX 1.6 VEX" }) },
                "text/plain": { schema: z.string() },
              },
            },
            ...errors(400, 401, 403, 404, 409),
          },
        },
      },
      "/api/v1/images": read("Images the token may see, with the images page's filters", "read", imagesQuerySchema, imagesPageSchema),
      "/api/v1/images/{id}": read("One image: posture, where it runs, upgrades, scans", "read", null, imageDetailSchema, true),
      "/api/v1/findings": read("Findings with the explorer's filters, in keyset pages", "read", findingsQuerySchema, findingsPageSchema),
      "/api/v1/findings/{id}": read("One finding", "read", null, findingDetailSchema, true),
      "/api/v1/clusters": read("Clusters the token may see, with posture and last reports", "read", null, clustersPageSchema),
      "/api/v1/teams": read("Teams the token may see, with posture", "read", null, teamsPageSchema),
      "/api/v1/openapi.json": { get: { summary: "This document", tags: ["meta"], security: [], responses: { "200": { description: "OpenAPI 3.1" } } } },
    },
  });
}
