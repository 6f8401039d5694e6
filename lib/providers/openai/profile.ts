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
  // "Enqueued prompt tokens per model: each model has a maximum number of enqueued prompt tokens
  // allowed for batch processing" (Batch guide), set by the organisation's usage tier. OpenAI's
  // per-model pages give the numbers; these are the ones quoted from them (tier 1 table, gpt-4o-mini
  // per tier, the tier 4 table of openai-cookbook's oai_docs). Each organisation sees its own on
  // its Limits page: the form pre-fills from the tier, the team corrects any of them.
  queue: {
    tiers: {
      names: ["Tier 1", "Tier 2", "Tier 3", "Tier 4", "Tier 5"],
      default: "Tier 1",
      models: {
        "gpt-4o-mini": [2_000_000, 20_000_000, 40_000_000, 1_000_000_000, 15_000_000_000],
        "gpt-4o": [90_000, null, null, 80_000_000, null],
        "gpt-4-turbo": [90_000, null, null, 80_000_000, null],
        "gpt-4": [100_000, null, null, 30_000_000, null],
        "gpt-3.5-turbo": [2_000_000, null, null, 100_000_000, null],
        "o1-mini": [2_000_000, null, null, null, null],
        "text-embedding-3-large": [3_000_000, null, null, 500_000_000, null],
        "text-embedding-3-small": [3_000_000, null, null, 500_000_000, null],
        "text-embedding-ada-002": [3_000_000, null, null, 500_000_000, null],
      },
      source: "OpenAI's rate-limit tables as quoted (platform.openai.com/docs/guides/rate-limits); check your organisation's Limits page",
    },
  },
  custom: false,
  sandboxMode: "openai",
  docsUrl: "https://platform.openai.com/docs/guides/batch",
};
