-- CreateTable
CREATE TABLE "TopFixSnapshot" (
    "rank" INTEGER NOT NULL,
    "packageName" TEXT NOT NULL,
    "installedVersion" TEXT NOT NULL,
    "purl" TEXT,
    "fixes" TEXT[],
    "critical" INTEGER NOT NULL,
    "high" INTEGER NOT NULL,
    "medium" INTEGER NOT NULL,
    "low" INTEGER NOT NULL,
    "findings" INTEGER NOT NULL,
    "vulnerabilities" INTEGER NOT NULL,
    "images" INTEGER NOT NULL,
    "teams" INTEGER NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TopFixSnapshot_pkey" PRIMARY KEY ("rank")
);
