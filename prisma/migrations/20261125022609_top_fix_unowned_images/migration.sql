-- AlterTable
ALTER TABLE "TopFixSnapshot" ADD COLUMN     "unownedImages" INTEGER NOT NULL DEFAULT 0;
