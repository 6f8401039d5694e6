-- DropIndex
DROP INDEX "Batch_teamId_createdAt_idx";

-- AlterTable
ALTER TABLE "Batch" ADD COLUMN     "usageAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "overviewSeenAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "ProviderConnection" ADD COLUMN     "monthlyBudget" DOUBLE PRECISION;

-- AlterTable
ALTER TABLE "Team" ADD COLUMN     "budgetCurrency" TEXT NOT NULL DEFAULT 'USD',
ADD COLUMN     "budgetEnforce" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "monthlyBudget" DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "BatchUsage" (
    "batchId" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "results" INTEGER NOT NULL,
    "promptTokens" BIGINT NOT NULL,
    "completionTokens" BIGINT NOT NULL,
    "cost" DOUBLE PRECISION,
    "currency" TEXT,

    CONSTRAINT "BatchUsage_pkey" PRIMARY KEY ("batchId","model")
);

-- CreateTable
CREATE TABLE "BudgetAlert" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL DEFAULT '',
    "month" TEXT NOT NULL,
    "threshold" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BudgetAlert_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "BudgetAlert_teamId_connectionId_month_threshold_key" ON "BudgetAlert"("teamId", "connectionId", "month", "threshold");

-- CreateIndex
CREATE INDEX "Batch_teamId_createdAt_id_idx" ON "Batch"("teamId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Batch_teamId_status_createdAt_idx" ON "Batch"("teamId", "status", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "Batch_teamId_connectionId_createdAt_idx" ON "Batch"("teamId", "connectionId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "Batch_teamId_createdById_createdAt_idx" ON "Batch"("teamId", "createdById", "createdAt" DESC);

-- AddForeignKey
ALTER TABLE "BatchUsage" ADD CONSTRAINT "BatchUsage_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "Batch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BudgetAlert" ADD CONSTRAINT "BudgetAlert_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;
