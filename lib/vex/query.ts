// GET /api/v1/vex's query (validated by it, described in /api/v1/openapi.json).
import { z } from "zod";

export const vexQuerySchema = z.object({
  image: z.string({ message: "image is required: a reference or a digest" }).trim().min(1, "image is required: a reference or a digest").max(512),
  format: z.enum(["openvex", "cyclonedx", "trivyignore"], { message: "format is openvex, cyclonedx or trivyignore" }).default("openvex"),
});
