// Groq: OpenAI's shape at /openai/v1, windows of 24h to 7d, a list that takes no parameters.
import { MB, openaiCapabilities, openaiMetadata, type ProviderProfile } from "@/lib/providers/profile";

export const groqProfile: ProviderProfile = {
  kind: "groq",
  label: "Groq",
  baseUrls: [{ label: "Groq", url: "https://api.groq.com/openai/v1" }],
  uploadPurpose: "batch",
  endpoints: ["/v1/chat/completions"],
  completionWindows: ["24h", "48h", "72h", "7d"],
  windowRule: { kind: "duration", units: ["h", "d"], minHours: 24, maxHours: 168 },
  limits: { maxRequests: 50_000, maxFileBytes: 100 * MB, maxLineBytes: 100 * MB, oneModelPerBatch: false },
  metadata: openaiMetadata,
  statuses: { spelling: "lower" },
  ids: { batch: "batch_...", file: "file_..." },
  capabilities: { ...openaiCapabilities, listBatches: { shape: "cursor", filters: [] } },
  uncertain: ["max requests (50,000)", "max file size (100-200 MB: 100 MB kept)", "one model per batch", "metadata rules"],
  custom: false,
  sandboxMode: "groq",
  docsUrl: "https://console.groq.com/docs/batch",
};
