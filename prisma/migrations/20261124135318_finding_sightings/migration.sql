-- A rescan updates every row here: room on each page keeps those updates on the page (HOT).
-- CreateTable
CREATE TABLE "FindingSighting" (
    "findingId" TEXT NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "lastScanId" TEXT NOT NULL,

    CONSTRAINT "FindingSighting_pkey" PRIMARY KEY ("findingId")
);

-- AddForeignKey
ALTER TABLE "FindingSighting" ADD CONSTRAINT "FindingSighting_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "Finding"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "FindingSighting" SET (fillfactor = 70);
