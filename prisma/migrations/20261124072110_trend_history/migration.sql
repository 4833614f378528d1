-- DropForeignKey
ALTER TABLE "PostureSnapshot" DROP CONSTRAINT "PostureSnapshot_teamId_fkey";

-- DropForeignKey
ALTER TABLE "PostureSnapshot" DROP CONSTRAINT "PostureSnapshot_clusterId_fkey";

-- DropTable
DROP TABLE "PostureSnapshot";

-- CreateTable
CREATE TABLE "PostureDaily" (
    "day" DATE NOT NULL,
    "teamId" TEXT NOT NULL,
    "clusterId" TEXT NOT NULL,
    "severity" "Severity" NOT NULL,
    "kind" "FindingKind" NOT NULL,
    "open" INTEGER NOT NULL,
    "accepted" INTEGER NOT NULL,
    "breached" INTEGER NOT NULL,
    "atRisk" INTEGER NOT NULL,
    "age30" INTEGER NOT NULL,
    "age60" INTEGER NOT NULL,
    "age90" INTEGER NOT NULL,
    "new" INTEGER NOT NULL,
    "reopened" INTEGER NOT NULL,
    "fixed" INTEGER NOT NULL,
    "fixedWithDue" INTEGER NOT NULL,
    "fixedOnTime" INTEGER NOT NULL,
    "closedOther" INTEGER NOT NULL,
    "acceptedNew" INTEGER NOT NULL,

    CONSTRAINT "PostureDaily_pkey" PRIMARY KEY ("day","teamId","clusterId","severity","kind")
);

-- CreateTable
CREATE TABLE "FixDurationDaily" (
    "day" DATE NOT NULL,
    "teamId" TEXT NOT NULL,
    "clusterId" TEXT NOT NULL,
    "severity" "Severity" NOT NULL,
    "days" INTEGER NOT NULL,
    "fixes" INTEGER NOT NULL,

    CONSTRAINT "FixDurationDaily_pkey" PRIMARY KEY ("day","teamId","clusterId","severity","days")
);

-- CreateTable
CREATE TABLE "FindingEpisode" (
    "id" BIGSERIAL NOT NULL,
    "findingId" TEXT NOT NULL,
    "openedAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),
    "closedAs" "FindingStatus",
    "reopened" BOOLEAN NOT NULL DEFAULT false,
    "dueAt" TIMESTAMP(3),

    CONSTRAINT "FindingEpisode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImageClusterPeriod" (
    "id" BIGSERIAL NOT NULL,
    "imageId" TEXT NOT NULL,
    "clusterId" TEXT NOT NULL,
    "fromAt" TIMESTAMP(3) NOT NULL,
    "toAt" TIMESTAMP(3),

    CONSTRAINT "ImageClusterPeriod_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PostureDaily_teamId_clusterId_day_idx" ON "PostureDaily"("teamId", "clusterId", "day");

-- CreateIndex
CREATE INDEX "PostureDaily_clusterId_day_idx" ON "PostureDaily"("clusterId", "day");

-- CreateIndex
CREATE INDEX "FixDurationDaily_teamId_clusterId_day_idx" ON "FixDurationDaily"("teamId", "clusterId", "day");

-- CreateIndex
CREATE INDEX "FindingEpisode_findingId_openedAt_idx" ON "FindingEpisode"("findingId", "openedAt");

-- CreateIndex
CREATE INDEX "FindingEpisode_closedAt_idx" ON "FindingEpisode"("closedAt");

-- CreateIndex
CREATE INDEX "ImageClusterPeriod_imageId_clusterId_idx" ON "ImageClusterPeriod"("imageId", "clusterId");

-- CreateIndex
CREATE INDEX "ImageClusterPeriod_clusterId_idx" ON "ImageClusterPeriod"("clusterId");

-- AddForeignKey
ALTER TABLE "FindingEpisode" ADD CONSTRAINT "FindingEpisode_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "Finding"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImageClusterPeriod" ADD CONSTRAINT "ImageClusterPeriod_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImageClusterPeriod" ADD CONSTRAINT "ImageClusterPeriod_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;
