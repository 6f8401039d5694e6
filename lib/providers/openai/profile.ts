// OpenAI's Batch API, the shape the other OpenAI-compatible providers follow (providers.md).
import { cursorList, MB, openaiCapabilities, openaiEndpoints, openaiMetadata, type ProviderProfile } from "@/lib/providers/profile";

export const openaiProfile: ProviderProfile = {
  kind: "openai",
  label: "OpenAI",
  baseUrls: [{ label: "OpenAI", url: "https://api.openai.com/v1" }],
  uploadPurpose: "batch",
  endpoints: openaiEndpoints,
  completionWindows: ["24h"],
  windowRule: { kind: "list", values: ["24h"] },
  limits: {
    maxRequests: 50_000,
    maxFileBytes: 200 * MB,
    maxLineBytes: 200 * MB,
    oneModelPerBatch: false,
    // "/v1/embeddings batches are also restricted to a maximum of 50,000 embedding inputs across all requests in the batch."
    maxEmbeddingInputs: 50_000,
    contextTokens: { "gpt-4o": 128_000, "gpt-4o-mini": 128_000, "gpt-3.5-turbo-instruct": 4_096 },
  },
  metadata: openaiMetadata,
  statuses: { spelling: "lower" },
  ids: { batch: "batch_...", file: "file-..." },
  // Files may carry expires_after (upload) and output_expires_after (batch create): between 1 hour and
  // 30 days (FileExpirationAfter, BatchFileExpirationAfter in the OpenAPI spec).
  capabilities: { ...openaiCapabilities, listBatches: cursorList, fileExpiry: { minSeconds: 3600, maxSeconds: 2_592_000 } },
  custom: false,
  sandboxMode: "openai",
  docsUrl: "https://platform.openai.com/docs/guides/batch",
};
