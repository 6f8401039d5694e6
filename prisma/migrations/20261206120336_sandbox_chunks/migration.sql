-- AlterTable
ALTER TABLE "SandboxBatch" ADD COLUMN     "errors" JSONB;

-- AlterTable
ALTER TABLE "SandboxFile" DROP COLUMN "path";

-- CreateTable
CREATE TABLE "SandboxChunk" (
    "blobId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SandboxChunk_pkey" PRIMARY KEY ("blobId","seq")
);

-- Stored uncompressed (written by hand: Prisma has no word for it): faster to write, and files took as much on disk before.
ALTER TABLE "SandboxChunk" ALTER COLUMN "data" SET STORAGE EXTERNAL;

-- CreateIndex
CREATE INDEX "SandboxBatch_inputFileId_idx" ON "SandboxBatch"("inputFileId");
