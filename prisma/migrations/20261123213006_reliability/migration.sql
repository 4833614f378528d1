-- Reliability: the vulnerability catalogue is kept per writer scope, so that one team's report
-- cannot change what another team reads. Existing entries become the org-wide ("") scope.
ALTER TABLE "Finding" DROP CONSTRAINT "Finding_vulnerabilityId_fkey";

ALTER TABLE "Vulnerability" ADD COLUMN "key" TEXT, ADD COLUMN "scope" TEXT NOT NULL DEFAULT '';
UPDATE "Vulnerability" SET "key" = "id";
ALTER TABLE "Vulnerability" ALTER COLUMN "key" SET NOT NULL;
ALTER TABLE "Vulnerability" DROP CONSTRAINT "Vulnerability_pkey", ADD CONSTRAINT "Vulnerability_pkey" PRIMARY KEY ("key");
CREATE UNIQUE INDEX "Vulnerability_id_scope_key" ON "Vulnerability"("id", "scope");

ALTER TABLE "Finding" ADD COLUMN "vulnerabilityKey" TEXT;
UPDATE "Finding" SET "vulnerabilityKey" = "vulnerabilityId" WHERE "vulnerabilityId" IS NOT NULL;
ALTER TABLE "Finding" ADD CONSTRAINT "Finding_vulnerabilityKey_fkey" FOREIGN KEY ("vulnerabilityKey") REFERENCES "Vulnerability"("key") ON DELETE SET NULL ON UPDATE CASCADE;

-- Ownership rules of equal specificity can no longer tie: one rule per repository prefix, per
-- cluster, per cluster and namespace. Older duplicates keep the first rule created.
DELETE FROM "OwnershipRule" r USING "OwnershipRule" o
WHERE COALESCE(r."repositoryPrefix", '') = COALESCE(o."repositoryPrefix", '')
  AND COALESCE(r."clusterName", '') = COALESCE(o."clusterName", '')
  AND COALESCE(r."namespace", '') = COALESCE(o."namespace", '')
  AND (r."createdAt", r."id") > (o."createdAt", o."id");
CREATE UNIQUE INDEX "OwnershipRule_subject_key" ON "OwnershipRule" (COALESCE("repositoryPrefix", ''), COALESCE("clusterName", ''), COALESCE("namespace", ''));
