// GET /api/v1/images/{id}: one image's posture, where it runs, upgrades and scans.
import { apiRoute } from "@/lib/api/handler";
import { readImage } from "@/lib/read-api/resources";
import { imageDetailSchema } from "@/lib/read-api/schemas";

export const GET = apiRoute({ token: "read" }, async ({ token, params }) => Response.json(imageDetailSchema.parse(await readImage(token, params.id))));
