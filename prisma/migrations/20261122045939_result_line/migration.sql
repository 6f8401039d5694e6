-- AlterTable
ALTER TABLE "Result" ADD COLUMN     "line" INTEGER;

-- CreateIndex
CREATE INDEX "Result_batchId_line_id_idx" ON "Result"("batchId", "line", "id");

-- CreateIndex
CREATE INDEX "Result_batchId_id_idx" ON "Result"("batchId", "id");

-- Backfill: results already stored take the line of their request.
UPDATE "Result" r SET "line" = q."line"
FROM "Batch" b, "Request" q
WHERE b."id" = r."batchId" AND q."fileId" = b."inputFileId" AND q."customId" = r."customId";
