-- The metadata pairs a batch was launched with, answered back by the API (lib/api/openai.ts).
ALTER TABLE "Batch" ADD COLUMN "metadata" JSONB;
