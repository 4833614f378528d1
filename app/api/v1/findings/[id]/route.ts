// GET /api/v1/findings/{id}: one finding with where it is, its dates and what the catalogue says.
import { apiRoute } from "@/lib/api/handler";
import { readFinding } from "@/lib/read-api/resources";
import { findingDetailSchema } from "@/lib/read-api/schemas";

export const GET = apiRoute({ token: "read" }, async ({ token, params }) => Response.json(findingDetailSchema.parse(await readFinding(token, params.id))));
