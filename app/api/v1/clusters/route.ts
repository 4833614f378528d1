// GET /api/v1/clusters: clusters as the token may see them, each with its posture and last reports.
import { apiRoute } from "@/lib/api/handler";
import { readClusters } from "@/lib/read-api/resources";
import { clustersPageSchema } from "@/lib/read-api/schemas";

export const GET = apiRoute({ token: "read" }, async ({ token }) => Response.json(clustersPageSchema.parse(await readClusters(token))));
