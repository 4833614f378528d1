// GET /api/v1/teams: teams as the token may see them, each with its posture.
import { apiRoute } from "@/lib/api/handler";
import { readTeams } from "@/lib/read-api/resources";
import { teamsPageSchema } from "@/lib/read-api/schemas";

export const GET = apiRoute({ token: "read" }, async ({ token }) => Response.json(teamsPageSchema.parse(await readTeams(token))));
