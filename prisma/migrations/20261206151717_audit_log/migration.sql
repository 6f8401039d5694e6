-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "actorLabel" TEXT,
ADD COLUMN     "ip" TEXT,
ADD COLUMN     "targetLabel" TEXT,
ADD COLUMN     "tokenId" TEXT,
ADD COLUMN     "tokenName" TEXT;

-- CreateTable
CREATE TABLE "Instance" (
    "id" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "seenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Instance_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuditEvent_teamId_id_idx" ON "AuditEvent"("teamId", "id");
