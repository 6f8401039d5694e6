-- AlterTable
ALTER TABLE "InputFile" ADD COLUMN     "checkedFor" TEXT;

-- CreateTable
CREATE TABLE "FileProblem" (
    "id" BIGSERIAL NOT NULL,
    "fileId" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "field" TEXT,
    "message" TEXT NOT NULL,

    CONSTRAINT "FileProblem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "FileProblem_fileId_line_idx" ON "FileProblem"("fileId", "line");

-- CreateIndex
CREATE INDEX "InputFile_teamId_sha256_idx" ON "InputFile"("teamId", "sha256");

-- AddForeignKey
ALTER TABLE "FileProblem" ADD CONSTRAINT "FileProblem_fileId_fkey" FOREIGN KEY ("fileId") REFERENCES "InputFile"("id") ON DELETE CASCADE ON UPDATE CASCADE;
