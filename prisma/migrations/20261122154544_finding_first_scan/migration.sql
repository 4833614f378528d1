-- DropIndex
DROP INDEX "Finding_status_severity_firstSeenAt_idx";

-- DropIndex
DROP INDEX "Finding_packageName_fixedVersion_idx";

-- AlterTable
ALTER TABLE "Finding" ADD COLUMN     "firstScanId" TEXT;
