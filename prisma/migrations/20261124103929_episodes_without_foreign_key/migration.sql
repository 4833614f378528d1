-- DropForeignKey
ALTER TABLE "FindingEpisode" DROP CONSTRAINT "FindingEpisode_findingId_fkey";
