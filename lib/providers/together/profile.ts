// Together AI: purpose "batch-api", upper-case statuses, UUIDs, ISO dates and a percentage instead of
// request counts, and a list that is one plain array.
import { MB, openaiCapabilities, openaiMetadata, type ProviderProfile } from "@/lib/providers/profile";

export const togetherProfile: ProviderProfile = {
  kind: "together",
  label: "Together AI",
  baseUrls: [{ label: "Together", url: "https://api.together.xyz/v1" }],
  uploadPurpose: "batch-api",
  endpoints: ["/v1/chat/completions", "/v1/completions"],
  completionWindows: ["24h"],
  windowRule: { kind: "list", values: ["24h"] },
  limits: { maxRequests: 50_000, maxFileBytes: 100 * MB, maxLineBytes: 100 * MB, oneModelPerBatch: false },
  metadata: openaiMetadata,
  statuses: { spelling: "upper", never: ["finalizing"] },
  ids: { batch: "UUID", file: "UUID" },
  capabilities: { ...openaiCapabilities, listBatches: { shape: "array", filters: [] } },
  uncertain: ["one model per batch", "metadata rules"],
  custom: false,
  sandboxMode: "together",
  docsUrl: "https://docs.together.ai/docs/batch-inference",
};
