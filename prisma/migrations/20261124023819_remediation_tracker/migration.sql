-- CreateEnum
CREATE TYPE "VexJustification" AS ENUM ('component_not_present', 'vulnerable_code_not_present', 'vulnerable_code_not_in_execute_path', 'vulnerable_code_cannot_be_controlled_by_adversary', 'inline_mitigations_already_exist');

-- AlterEnum
ALTER TYPE "FindingStatus" ADD VALUE 'not_affected';

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "FindingEventType" ADD VALUE 'exception_revoked';
ALTER TYPE "FindingEventType" ADD VALUE 'fix_available';
ALTER TYPE "FindingEventType" ADD VALUE 'due_changed';

-- AlterTable
ALTER TABLE "Finding" ADD COLUMN     "exceptionId" TEXT,
ADD COLUMN     "fixAvailableAt" TIMESTAMP(3),
ADD COLUMN     "justification" "VexJustification";

-- AlterTable
ALTER TABLE "RiskException" ADD COLUMN     "clusterId" TEXT,
ADD COLUMN     "endReason" TEXT,
ADD COLUMN     "endedAt" TIMESTAMP(3),
ADD COLUMN     "endedById" TEXT,
ADD COLUMN     "kind" "FindingKind",
ADD COLUMN     "namespaceId" TEXT,
ADD COLUMN     "packageName" TEXT,
ADD COLUMN     "repositoryId" TEXT,
ADD COLUMN     "ruleId" TEXT,
ADD COLUMN     "teamId" TEXT,
ADD COLUMN     "untilFixAvailable" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "workloadId" TEXT,
ALTER COLUMN "findingId" DROP NOT NULL,
ALTER COLUMN "expiresAt" DROP NOT NULL;

-- CreateTable
CREATE TABLE "TeamSlaPolicy" (
    "teamId" TEXT NOT NULL,
    "severity" "Severity" NOT NULL,
    "days" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TeamSlaPolicy_pkey" PRIMARY KEY ("teamId","severity")
);

-- CreateIndex
CREATE INDEX "RiskException_requestedById_createdAt_idx" ON "RiskException"("requestedById", "createdAt");

-- CreateIndex
CREATE INDEX "RiskException_status_kind_ruleId_idx" ON "RiskException"("status", "kind", "ruleId");

-- AddForeignKey
ALTER TABLE "Finding" ADD CONSTRAINT "Finding_exceptionId_fkey" FOREIGN KEY ("exceptionId") REFERENCES "RiskException"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RiskException" ADD CONSTRAINT "RiskException_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "ImageRepository"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RiskException" ADD CONSTRAINT "RiskException_namespaceId_fkey" FOREIGN KEY ("namespaceId") REFERENCES "Namespace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RiskException" ADD CONSTRAINT "RiskException_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RiskException" ADD CONSTRAINT "RiskException_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RiskException" ADD CONSTRAINT "RiskException_workloadId_fkey" FOREIGN KEY ("workloadId") REFERENCES "Workload"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RiskException" ADD CONSTRAINT "RiskException_endedById_fkey" FOREIGN KEY ("endedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeamSlaPolicy" ADD CONSTRAINT "TeamSlaPolicy_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: what a finding's covering exception, an engineer's queue and rule matching need
CREATE INDEX "Finding_exception_idx" ON "Finding" ("exceptionId") WHERE "exceptionId" IS NOT NULL;
CREATE INDEX "Finding_open_assignee_due_idx" ON "Finding" ((COALESCE("assigneeId", '')), "dueAt", id) WHERE status IN ('open', 'in_progress');
ALTER TABLE "RiskException" ADD CONSTRAINT "RiskException_scope_check" CHECK ("findingId" IS NOT NULL OR ("kind" IS NOT NULL AND "ruleId" IS NOT NULL));
ALTER TABLE "RiskException" ADD CONSTRAINT "RiskException_ends_check" CHECK ("expiresAt" IS NOT NULL OR "untilFixAvailable");
-- The default days for low findings are 120
UPDATE "SlaPolicy" SET days = 120 WHERE severity = 'low' AND days = 180;
-- What is fixable now had its fix when first seen, as far as anyone knows (the read model counts no such column)
SELECT set_config('portcullis.read_model', 'unchanged', true);
UPDATE "Finding" SET "fixAvailableAt" = "firstSeenAt" WHERE fixable AND "fixAvailableAt" IS NULL;
