-- AlterTable
ALTER TABLE "Batch" ADD COLUMN     "dryRun" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "errorLinesRead" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "importedAt" TIMESTAMP(3),
ADD COLUMN     "outputLinesRead" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "InputFile" ADD COLUMN     "origin" TEXT NOT NULL DEFAULT 'upload';

-- AlterTable
ALTER TABLE "ProviderConnection" ADD COLUMN     "limits" JSONB;
