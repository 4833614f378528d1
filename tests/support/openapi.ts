// Checks an answer of an /api/v1 route against /api/v1/openapi.json: the schema of its path,
// method, status and content type must exist and validate the body.
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { expect } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";

const document = openApiDocument() as unknown as {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>>;
  components: object;
};
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const compiled = new Map<string, ReturnType<typeof ajv.compile>>();

/** "/api/v1/images/abc" → "/api/v1/images/{id}" */
function templateOf(pathname: string): string {
  if (document.paths[pathname]) return pathname;
  const match = Object.keys(document.paths).find((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, "[^/]+")}$`).test(pathname));
  if (!match) throw new Error(`${pathname} is not in the OpenAPI document`);
  return match;
}

export async function expectDocumented(method: string, url: string, response: Response): Promise<unknown> {
  const template = templateOf(new URL(url, "http://localhost").pathname);
  const operation = document.paths[template][method.toLowerCase()];
  expect(operation, `${method} ${template} is in the document`).toBeTruthy();
  const described = operation.responses[String(response.status)];
  expect(described, `${method} ${template} documents status ${response.status}`).toBeTruthy();
  const type = (response.headers.get("content-type") ?? "").split(";")[0];
  const schema = described.content?.[type]?.schema;
  expect(schema, `${method} ${template} ${response.status} documents ${type}`).toBeTruthy();
  const text = await response.clone().text();
  const body = type.endsWith("json") ? JSON.parse(text) : text;
  const key = `${method} ${template} ${response.status} ${type}`;
  if (!compiled.has(key)) compiled.set(key, ajv.compile({ ...schema, components: document.components }));
  const validate = compiled.get(key)!;
  expect(validate(body), `${key}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true);
  return body;
}
