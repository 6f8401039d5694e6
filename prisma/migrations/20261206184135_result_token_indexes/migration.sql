-- CreateIndex
CREATE INDEX "Result_batchId_totalTokens_idx" ON "Result"("batchId", "totalTokens");

-- CreateIndex
CREATE INDEX "Result_batchId_promptTokens_idx" ON "Result"("batchId", "promptTokens");

-- CreateIndex
CREATE INDEX "Result_batchId_completionTokens_idx" ON "Result"("batchId", "completionTokens");
