// GET /api/v1/vex?image=<ref-or-digest>[&format=openvex|cyclonedx|trivyignore]: an image's triage decisions
// for scanners (read scope; a bound token only for its team's or cluster's images).
import { apiRoute, queryObject } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { env } from "@/lib/env";
import { findImageByRef } from "@/lib/images/find-image";
import { decisionsOf, latestBom } from "@/lib/vex/decisions";
import { openVexDocument } from "@/lib/vex/openvex";
import { trivyIgnore } from "@/lib/vex/trivyignore";
import { cycloneDxVex } from "@/lib/vex/cyclonedx";

import { check } from "@/lib/admin/input";
import { tokenSeesImage } from "@/lib/api/token-scope";
import { vexQuerySchema } from "@/lib/vex/query";

export const GET = apiRoute({ token: "read" }, async ({ url, token }) => {
  const query = check(vexQuerySchema, queryObject(url));
  const image = await findImageByRef(query.image);
  // Another team's (or cluster's) image is answered as unknown: a bound token learns nothing about it.
  if (!image || !(await tokenSeesImage(token, image))) throw new AppError("not_found", `No scanned image matches ${query.image}`);
  const decisions = await decisionsOf(image.id);
  const name = `${image.repository.name}${image.digest ? `@${image.digest}` : image.tags[0] ? `:${image.tags[0]}` : ""}`;
  if (query.format === "trivyignore") {
    return new Response(trivyIgnore(name, decisions, new Date()), { headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  if (query.format === "cyclonedx") {
    const bom = await latestBom(image.id);
    if (!bom) throw new AppError("not_found", `No CycloneDX SBOM of ${name} was ingested: a CycloneDX VEX links to one (post the SBOM first, or ask for format=openvex)`);
    if (!decisions.some((d) => d.bomRef)) throw new AppError("not_found", `No triage decision on a component of ${name}'s CycloneDX SBOM to export yet`);
    return Response.json(cycloneDxVex(bom, decisions), { headers: { "content-type": "application/vnd.cyclonedx+json; version=1.6" } });
  }
  if (!image.digest) throw new AppError("conflict", `${name} has no registry digest, so a scanner cannot match a VEX document to it: scan it by digest or from a registry`);
  if (decisions.length === 0) throw new AppError("not_found", `No triage decision on ${name} to export yet`);
  return Response.json(openVexDocument({ repository: image.repository.name, digest: image.digest }, decisions, env().publicUrl));
});
