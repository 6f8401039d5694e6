// The built-in Sandbox's profile: the test provider every team has, served by this app itself
// (server.ts beside this file). The server keeps its own facts: this profile is the client's view.
import { cursorList, MB, openaiCapabilities, openaiMetadata, openaiNonRetryable, type ProviderProfile } from "@/lib/providers/profile";

export const sandboxProfile: ProviderProfile = {
  kind: "sandbox",
  label: "Sandbox (built in)",
  baseUrls: [{ label: "Built in", url: "builtin" }],
  uploadPurpose: "batch",
  endpoints: ["/v1/chat/completions", "/v1/embeddings", "/v1/responses"],
  completionWindows: ["24h", "1h"],
  windowRule: { kind: "list", values: ["24h", "1h"] },
  limits: { maxRequests: 50_000, maxFileBytes: 200 * MB, maxLineBytes: 6 * MB, maxCustomIdLength: 512, oneModelPerBatch: false },
  metadata: openaiMetadata,
  statuses: { spelling: "lower" },
  ids: { batch: "batch_...", file: "file-..." },
  // Batchboard's own test provider: its batches take seconds, so it is polled at the floor. It takes
  // any model: its /models lists only the test model.
  capabilities: {
    ...openaiCapabilities,
    listBatches: cursorList,
    pollIntervalMs: 5_000,
    listsModels: false,
    // Its test model refuses a request holding "[fail]" as Bailian's inspection does, every time.
    nonRetryable: { ...openaiNonRetryable, data_inspection_failed: "refused by the content inspection (the test model refuses “[fail]” every time)" },
  },
  custom: false,
  builtIn: true,
};
