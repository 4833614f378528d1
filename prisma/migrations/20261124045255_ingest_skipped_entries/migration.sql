-- AlterTable
ALTER TABLE "Scan" ADD COLUMN     "skipped" JSONB NOT NULL DEFAULT '[]';
