-- CreateTable
CREATE TABLE "ImagePosture" (
    "imageId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "critical" INTEGER NOT NULL,
    "high" INTEGER NOT NULL,
    "medium" INTEGER NOT NULL,
    "low" INTEGER NOT NULL,
    "unknown" INTEGER NOT NULL,
    "criticalFixable" INTEGER NOT NULL,
    "highFixable" INTEGER NOT NULL,
    "mediumFixable" INTEGER NOT NULL,
    "lowFixable" INTEGER NOT NULL,
    "unknownFixable" INTEGER NOT NULL,
    "running" BOOLEAN NOT NULL,
    "retired" BOOLEAN NOT NULL,
    "score" INTEGER NOT NULL,

    CONSTRAINT "ImagePosture_pkey" PRIMARY KEY ("imageId")
);

-- CreateIndex
CREATE INDEX "ImagePosture_score_imageId_idx" ON "ImagePosture"("score", "imageId");

-- CreateIndex
CREATE INDEX "ImagePosture_teamId_score_idx" ON "ImagePosture"("teamId", "score");

-- AddForeignKey
ALTER TABLE "ImagePosture" ADD CONSTRAINT "ImagePosture_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The repositories page: the newest scan of each repository or filesystem target
CREATE INDEX "Scan_artifact_idx" ON "Scan" ("targetKey", "receivedAt" DESC) WHERE "targetKind" = 'artifact';
