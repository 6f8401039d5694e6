-- AlterTable
ALTER TABLE "Batch" ADD COLUMN     "searchDocsFor" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "ResultSearch" (
    "batchId" TEXT NOT NULL,
    "resultId" BIGINT NOT NULL,
    "doc" TEXT NOT NULL,

    CONSTRAINT "ResultSearch_pkey" PRIMARY KEY ("batchId","resultId")
);

-- AddForeignKey
ALTER TABLE "ResultSearch" ADD CONSTRAINT "ResultSearch_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "Batch"("id") ON DELETE CASCADE ON UPDATE CASCADE;
