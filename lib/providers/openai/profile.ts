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
  limits: { maxRequests: 50_000, maxFileBytes: 200 * MB, maxLineBytes: 200 * MB, oneModelPerBatch: false },
  metadata: openaiMetadata,
  statuses: { spelling: "lower" },
  ids: { batch: "batch_...", file: "file-..." },
  capabilities: { ...openaiCapabilities, listBatches: cursorList },
  custom: false,
  sandboxMode: "openai",
  docsUrl: "https://platform.openai.com/docs/guides/batch",
};
