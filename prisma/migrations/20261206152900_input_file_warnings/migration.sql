-- AlterTable
ALTER TABLE "InputFile" ADD COLUMN     "warningCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "warnings" JSONB;
