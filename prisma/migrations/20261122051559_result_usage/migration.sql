-- AlterTable
ALTER TABLE "Result" ADD COLUMN     "usage" TEXT;
