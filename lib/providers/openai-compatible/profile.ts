// Any OpenAI-compatible batch API at a URL the team types (vLLM, a gateway...): every limit is a
// default the connection may override (ProviderConnection.limits, connections.limits.ts).
import { cursorList, MB, openaiCapabilities, openaiEndpoints, openaiMetadata, type ProviderProfile } from "@/lib/providers/profile";

export const openaiCompatibleProfile: ProviderProfile = {
  kind: "openai-compatible",
  label: "Custom OpenAI-compatible",
  baseUrls: [],
  uploadPurpose: "batch",
  endpoints: openaiEndpoints,
  completionWindows: ["24h"],
  windowRule: { kind: "duration", units: ["h", "d"], minHours: 1, maxHours: 336 },
  limits: { maxRequests: 50_000, maxFileBytes: 200 * MB, maxLineBytes: 200 * MB, oneModelPerBatch: false },
  metadata: openaiMetadata,
  statuses: { spelling: "lower" },
  ids: { batch: "any", file: "any" },
  // A custom server's /models may not be the whole truth (aliases, routers): the server judges.
  capabilities: { ...openaiCapabilities, listBatches: cursorList, listsModels: false },
  uncertain: ["every limit: the provider's own documents decide"],
  custom: true,
  // Any server of OpenAI's shape: the lenient built-in Sandbox, not OpenAI's 24h-only imitation.
  sandboxMode: "custom",
};
