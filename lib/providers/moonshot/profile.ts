// Moonshot / Kimi (seeds/moonshot-create-batch.txt): two regions, ".jsonl" file names, one model per
// batch, a duration window of about 12h to 7d.
import { MB, openaiCapabilities, openaiMetadata, type ProviderProfile } from "@/lib/providers/profile";

export const moonshotProfile: ProviderProfile = {
  kind: "moonshot",
  label: "Moonshot (Kimi)",
  baseUrls: [
    { label: "China (api.moonshot.cn)", url: "https://api.moonshot.cn/v1" },
    { label: "International (api.moonshot.ai)", url: "https://api.moonshot.ai/v1" },
  ],
  uploadPurpose: "batch",
  endpoints: ["/v1/chat/completions"],
  completionWindows: ["24h", "12h", "48h", "72h", "7d"],
  windowRule: { kind: "duration", units: ["h", "d"], minHours: 12, maxHours: 168 },
  limits: {
    maxRequests: 50_000,
    maxFileBytes: 100 * MB,
    maxLineBytes: 100 * MB,
    oneModelPerBatch: true,
    // The context each model's name states.
    contextTokens: { "moonshot-v1-8k": 8_192, "moonshot-v1-32k": 32_768, "moonshot-v1-128k": 131_072 },
    fileName: { pattern: /\.jsonl$/i, rule: "a name ending in .jsonl" },
  },
  metadata: openaiMetadata,
  statuses: { spelling: "lower" },
  ids: { batch: "batch_...", file: "file-..." },
  capabilities: { ...openaiCapabilities, listBatches: { shape: "cursor", filters: ["after", "limit"] }, createWithoutEndpoint: true },
  uncertain: ["completion windows (about 12h..7d)", "max requests per file", "id forms", "metadata rules"],
  custom: false,
  sandboxMode: "moonshot",
  docsUrl: "https://platform.moonshot.cn/docs",
};
