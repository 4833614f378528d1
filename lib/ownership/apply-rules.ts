// Applies the ownership rules to what already exists: clusters, namespaces, repositories, images
// and the findings that follow them. Run in the transaction that changes a rule, so a new rule
// takes effect at once (ingest also resolves ownership again at every scan). Something no rule
// matches keeps its owner.
import type { DbTx } from "@/lib/db";

export interface OwnershipChanges {
  clusters: number;
  namespaces: number;
  images: number;
  findings: number;
}

const REPOSITORY_RULE = `o."repositoryPrefix" IS NOT NULL AND starts_with(r.name, o."repositoryPrefix")`;

export async function applyOwnershipRules(tx: DbTx): Promise<OwnershipChanges> {
  const clusters = await tx.$executeRawUnsafe(`
    UPDATE "Cluster" c SET "teamId" = o."teamId" FROM "OwnershipRule" o
    WHERE o."clusterName" = c.name AND o.namespace IS NULL AND o."repositoryPrefix" IS NULL AND c."teamId" IS DISTINCT FROM o."teamId"`);
  const namespaces = await tx.$executeRawUnsafe(`
    UPDATE "Namespace" n SET "teamId" = o."teamId" FROM "Cluster" c, "OwnershipRule" o
    WHERE n."clusterId" = c.id AND o."clusterName" = c.name AND o.namespace = n.name AND n."teamId" IS DISTINCT FROM o."teamId"`);
  await tx.$executeRawUnsafe(`
    UPDATE "ImageRepository" target SET "teamId" = best."teamId"
    FROM (SELECT DISTINCT ON (r.id) r.id, o."teamId" FROM "ImageRepository" r JOIN "OwnershipRule" o ON ${REPOSITORY_RULE}
          ORDER BY r.id, length(o."repositoryPrefix") DESC) best
    WHERE target.id = best.id AND target."teamId" IS DISTINCT FROM best."teamId"`);
  const images = await tx.$executeRawUnsafe(`
    UPDATE "Image" i SET "teamId" = r."teamId" FROM "ImageRepository" r
    WHERE i."repositoryId" = r.id AND i."teamId" IS DISTINCT FROM r."teamId"
      AND EXISTS (SELECT 1 FROM "OwnershipRule" o WHERE ${REPOSITORY_RULE})`);
  // Findings follow their image, their namespace (else cluster), or their artifact's rule.
  const imageFindings = await tx.$executeRawUnsafe(`
    UPDATE "Finding" f SET "teamId" = i."teamId" FROM "Image" i
    WHERE f."imageId" = i.id AND f."teamId" IS DISTINCT FROM i."teamId"`);
  const clusterFindings = await tx.$executeRawUnsafe(`
    UPDATE "Finding" f SET "teamId" = placed.team
    FROM (SELECT x.id, COALESCE(n."teamId", c."teamId") AS team
          FROM "Finding" x JOIN "Cluster" c ON c.id = x."clusterId" LEFT JOIN "Namespace" n ON n.id = x."namespaceId"
          WHERE x."imageId" IS NULL) placed
    WHERE f.id = placed.id AND f."teamId" IS DISTINCT FROM placed.team`);
  const artifactFindings = await tx.$executeRawUnsafe(`
    UPDATE "Finding" f SET "teamId" = best."teamId"
    FROM (SELECT DISTINCT ON (a."targetKey") a."targetKey", o."teamId"
          FROM (SELECT DISTINCT "targetKey", substr("targetKey", 10) AS name FROM "Finding" WHERE "targetKey" LIKE 'artifact:%') a
          JOIN "OwnershipRule" o ON o."repositoryPrefix" IS NOT NULL AND starts_with(a.name, o."repositoryPrefix")
          ORDER BY a."targetKey", length(o."repositoryPrefix") DESC) best
    WHERE f."targetKey" = best."targetKey" AND f."teamId" IS DISTINCT FROM best."teamId"`);
  return { clusters, namespaces, images, findings: imageFindings + clusterFindings + artifactFindings };
}
