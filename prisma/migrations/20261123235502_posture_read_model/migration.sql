-- AlterTable
ALTER TABLE "Image" ADD COLUMN     "builtAt" TIMESTAMP(3),
ADD COLUMN     "retiredAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "ScanTarget" (
    "scanId" TEXT NOT NULL,
    "targetKey" TEXT NOT NULL,
    "imageId" TEXT,
    "total" INTEGER NOT NULL,
    "new" INTEGER NOT NULL,
    "reopened" INTEGER NOT NULL,
    "fixed" INTEGER NOT NULL,

    CONSTRAINT "ScanTarget_pkey" PRIMARY KEY ("scanId","targetKey")
);

-- CreateTable
CREATE TABLE "OpenFindingCount" (
    "targetKey" TEXT NOT NULL,
    "kind" "FindingKind" NOT NULL,
    "severity" "Severity" NOT NULL,
    "fixable" BOOLEAN NOT NULL,
    "teamId" TEXT NOT NULL,
    "namespaceId" TEXT NOT NULL,
    "imageId" TEXT,
    "clusterId" TEXT,
    "open" INTEGER NOT NULL,

    CONSTRAINT "OpenFindingCount_pkey" PRIMARY KEY ("targetKey","kind","severity","fixable","teamId","namespaceId")
);

-- CreateTable
CREATE TABLE "OpenVulnerabilityCount" (
    "vulnerabilityId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "severity" "Severity" NOT NULL,
    "fixable" BOOLEAN NOT NULL,
    "active" BOOLEAN NOT NULL,
    "open" INTEGER NOT NULL,

    CONSTRAINT "OpenVulnerabilityCount_pkey" PRIMARY KEY ("vulnerabilityId","teamId","severity","fixable","active")
);

-- CreateIndex
CREATE INDEX "ScanTarget_imageId_idx" ON "ScanTarget"("imageId");

-- CreateIndex
CREATE INDEX "ScanTarget_targetKey_idx" ON "ScanTarget"("targetKey");

-- CreateIndex
CREATE INDEX "OpenFindingCount_teamId_idx" ON "OpenFindingCount"("teamId");

-- CreateIndex
CREATE INDEX "OpenFindingCount_imageId_idx" ON "OpenFindingCount"("imageId");

-- CreateIndex
CREATE INDEX "OpenFindingCount_clusterId_idx" ON "OpenFindingCount"("clusterId");

-- CreateIndex
CREATE INDEX "OpenVulnerabilityCount_teamId_idx" ON "OpenVulnerabilityCount"("teamId");

-- CreateIndex
CREATE INDEX "Image_retiredAt_idx" ON "Image"("retiredAt");

-- CreateIndex
CREATE INDEX "Scan_clusterId_tool_receivedAt_idx" ON "Scan"("clusterId", "tool", "receivedAt");

-- CreateIndex
CREATE INDEX "Finding_packageName_idx" ON "Finding"("packageName");

-- CreateIndex
CREATE INDEX "Finding_ruleId_idx" ON "Finding"("ruleId");

-- AddForeignKey
ALTER TABLE "ScanTarget" ADD CONSTRAINT "ScanTarget_scanId_fkey" FOREIGN KEY ("scanId") REFERENCES "Scan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScanTarget" ADD CONSTRAINT "ScanTarget_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Full-text search over a finding's ids and words (the findings explorer)
CREATE FUNCTION finding_search_document(vid text, pkg text, rule text, title text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $fn$ SELECT to_tsvector('simple'::regconfig, coalesce(vid, '') || ' ' || coalesce(pkg, '') || ' ' || coalesce(rule, '') || ' ' || coalesce(title, '')) $fn$;
CREATE INDEX "Finding_search_idx" ON "Finding" USING gin (finding_search_document("vulnerabilityId", "packageName", "ruleId", title));

-- Scan history of images that came in before scan targets were recorded
INSERT INTO "ScanTarget" ("scanId", "targetKey", "imageId", total, new, reopened, fixed)
SELECT id, "targetKey", "imageId", "totalCount", "newCount", "reopenedCount", "fixedCount" FROM "Scan" WHERE "imageId" IS NOT NULL;

-- Team pages: findings fixed recently (time to fix) and open findings past their due date
CREATE INDEX "Finding_team_fixed_idx" ON "Finding" ("teamId", "fixedAt") WHERE "fixedAt" IS NOT NULL;
CREATE INDEX "Finding_team_due_open_idx" ON "Finding" ("teamId", "dueAt") WHERE status IN ('open', 'in_progress');

-- Package search
CREATE INDEX "ImagePackage_name_idx" ON "ImagePackage"("name");

-- The explorer's orders over open findings (keyset pages read the index in order, never sort)
CREATE INDEX "Finding_open_severity_idx" ON "Finding" (severity, id) WHERE status IN ('open', 'in_progress');
CREATE INDEX "Finding_open_team_severity_idx" ON "Finding" ("teamId", severity, id) WHERE status IN ('open', 'in_progress');
CREATE INDEX "Finding_open_first_seen_idx" ON "Finding" ("firstSeenAt" DESC, id) WHERE status IN ('open', 'in_progress');
