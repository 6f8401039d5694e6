-- AlterTable
ALTER TABLE "Batch" ADD COLUMN     "inputDeletedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "ProviderConnection" ADD COLUMN     "backoffUntil" TIMESTAMP(3),
ADD COLUMN     "deleteInputFiles" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "fileExpiryDays" INTEGER;
