// Doubleword (seeds/doubleword-batches.txt): bare UUIDs, 201s, a 1h window, "expired" (the seed lists it), custom_id
// of at most 64 ASCII characters, and results readable while the batch runs.
import { MB, openaiCapabilities, openaiMetadata, type ProviderProfile } from "@/lib/providers/profile";

export const doublewordProfile: ProviderProfile = {
  kind: "doubleword",
  label: "Doubleword",
  baseUrls: [{ label: "Doubleword", url: "https://api.doubleword.ai/v1" }],
  uploadPurpose: "batch",
  endpoints: ["/v1/chat/completions", "/v1/embeddings", "/v1/responses"],
  // 24h is the cheaper one; 1h costs more.
  completionWindows: ["24h", "1h"],
  windowRule: { kind: "list", values: ["24h", "1h"] },
  limits: { maxRequests: 50_000, maxFileBytes: 200 * MB, maxLineBytes: 200 * MB, maxCustomIdLength: 64, asciiCustomId: true, oneModelPerBatch: false },
  metadata: openaiMetadata,
  statuses: { spelling: "lower" },
  ids: { batch: "UUID", file: "UUID" },
  capabilities: {
    ...openaiCapabilities,
    partialResults: true,
    listBatches: { shape: "cursor", maxLimit: 100, filters: ["after", "limit", "search", "status", "created_after", "created_before"] },
    // "Polling frequency: Check every 30-60 seconds during processing."
    pollIntervalMs: 30_000,
  },
  createAnswers201: true,
  uncertain: ["endpoints /v1/embeddings and /v1/responses", "metadata rules"],
  custom: false,
  sandboxMode: "doubleword",
  docsUrl: "https://docs.doubleword.ai",
};
