-- AlterTable
ALTER TABLE "Scan" ADD COLUMN     "bomSerialNumber" TEXT,
ADD COLUMN     "bomVersion" INTEGER;
