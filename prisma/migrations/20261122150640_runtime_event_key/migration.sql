-- AlterTable
ALTER TABLE "RuntimeEvent" ADD COLUMN     "eventKey" TEXT NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "RuntimeEvent_eventKey_key" ON "RuntimeEvent"("eventKey");
