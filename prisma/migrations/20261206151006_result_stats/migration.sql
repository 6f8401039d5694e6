-- CreateTable
CREATE TABLE "ResultStats" (
    "batchId" TEXT NOT NULL,
    "ingestedAt" TIMESTAMP(3) NOT NULL,
    "counts" TEXT NOT NULL,
    "facets" TEXT NOT NULL,

    CONSTRAINT "ResultStats_pkey" PRIMARY KEY ("batchId")
);

-- AddForeignKey
ALTER TABLE "ResultStats" ADD CONSTRAINT "ResultStats_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "Batch"("id") ON DELETE CASCADE ON UPDATE CASCADE;
