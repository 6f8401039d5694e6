-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "actorLabel" TEXT,
ADD COLUMN     "ip" TEXT,
ADD COLUMN     "targetLabel" TEXT,
ADD COLUMN     "tokenId" TEXT,
ADD COLUMN     "tokenName" TEXT;

-- CreateIndex
CREATE INDEX "AuditEvent_teamId_id_idx" ON "AuditEvent"("teamId", "id");
