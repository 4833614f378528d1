// The query parameters complete or override what a report says about its target.
import { ReportError } from "@/lib/ingest/errors";
import { parseImageRef } from "@/lib/ingest/image-ref";
import type { IngestContext } from "@/lib/ingest/context";
import { unnamedImage, type ImageTargetInfo, type ReportTarget, type TargetFindings } from "@/lib/findings/model";

export function applyContext(groups: TargetFindings[], context: IngestContext): TargetFindings[] {
  const imageGroups = groups.filter((g) => g.target.kind === "image");
  if (context.image && imageGroups.length > 1) {
    throw new ReportError("image= cannot be used with a report that covers several images (a cluster report)", "invalid_context");
  }
  return groups.map((group) => ({ ...group, target: applyToTarget(group.target, context), ...checkedKinds(group, context) }));
}

/**
 * What a group looked for, so that it closes only findings of those kinds: what the report says
 * (an operator's VulnerabilityReport), narrowed by scanners=, and always the kinds it lists.
 */
function checkedKinds(group: TargetFindings, context: IngestContext): Pick<TargetFindings, "checks"> {
  if (!context.scanners) return group.checks ? { checks: group.checks } : {};
  const declared = context.scanners;
  const looked = group.checks ? group.checks.filter((kind) => declared.includes(kind)) : declared;
  return { checks: [...new Set([...looked, ...group.findings.map((f) => f.kind)])] };
}

function applyToTarget(target: ReportTarget, context: IngestContext): ReportTarget {
  if (target.kind === "cluster") {
    const name = context.cluster ?? target.name;
    if (!name) throw new ReportError("This report names no cluster: pass cluster=<name>", "invalid_context");
    return { ...target, name };
  }
  if (target.kind === "artifact") {
    // A report about an artifact (e.g. a SARIF or SBOM file) is about an image when image= says so.
    if (context.image) return imageOverride(unnamedImage(), context.image);
    const name = context.artifact ?? target.name;
    if (!name) throw new ReportError("This report names no target: pass image=<repository:tag> for an image, or artifact=<name> for a repository or directory", "invalid_context");
    return { ...target, name };
  }
  if (context.artifact) throw new ReportError("artifact= names a repository or directory, but this report is about an image: use image= instead", "invalid_context");
  if (context.image) return imageOverride(target, context.image);
  if (!target.repository) throw new ReportError("This report names no image: pass image=<repository:tag>", "invalid_context");
  return target;
}

function imageOverride(target: ImageTargetInfo, image: string): ImageTargetInfo {
  const ref = parseImageRef(image);
  if (!ref) throw new ReportError(`image=${JSON.stringify(image)} is not an image reference (registry/repository:tag or …@sha256:<64 hex>)`, "invalid_context");
  return {
    ...target,
    repository: ref.repository,
    tags: ref.tag ? [ref.tag] : ref.repository === target.repository ? target.tags : [],
    digest: ref.digest ?? target.digest,
  };
}
