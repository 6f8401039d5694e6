-- AlterTable
ALTER TABLE "Batch" ADD COLUMN     "enqueuedTokens" JSONB;

-- AlterTable
ALTER TABLE "ProviderConnection" ADD COLUMN     "queueLeaseOwner" TEXT,
ADD COLUMN     "queueLeaseUntil" TIMESTAMP(3),
ADD COLUMN     "queueLimits" JSONB;

-- CreateTable
CREATE TABLE "QueuedPart" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "part" INTEGER NOT NULL,
    "fromLine" INTEGER NOT NULL,
    "toLine" INTEGER NOT NULL,
    "requests" INTEGER NOT NULL,
    "bytes" INTEGER NOT NULL,
    "model" TEXT,
    "tokens" JSONB,
    "state" TEXT NOT NULL DEFAULT 'queued',
    "startAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reason" TEXT,
    "nextCheckAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "QueuedPart_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "QueuedPart_connectionId_state_nextCheckAt_idx" ON "QueuedPart"("connectionId", "state", "nextCheckAt");

-- CreateIndex
CREATE UNIQUE INDEX "QueuedPart_jobId_part_key" ON "QueuedPart"("jobId", "part");

-- AddForeignKey
ALTER TABLE "QueuedPart" ADD CONSTRAINT "QueuedPart_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job"("id") ON DELETE CASCADE ON UPDATE CASCADE;
