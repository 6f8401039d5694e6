// Anthropic Message Batches (providers.md): requests inline in the create call, converted from the
// uploaded chat-completions bodies; no metadata, no input file kept, results at one URL for 29 days.
import { MB, type ProviderProfile } from "@/lib/providers/profile";

/** Said of every imported Anthropic batch (and on its input file): where its prompts went. */
export const ANTHROPIC_NO_INPUT =
  "Imported without its requests: Anthropic keeps no input file for a Message Batch (its requests were sent inline, and no API gives them back), " +
  "so Batchboard knows them only by the custom_id of each result. Its results are stored; prompts are not shown beside them.";

export const anthropicProfile: ProviderProfile = {
  kind: "anthropic",
  label: "Anthropic",
  // The SDK's paths carry /v1 themselves (/v1/messages/batches).
  baseUrls: [{ label: "Anthropic", url: "https://api.anthropic.com" }],
  // The uploaded files are OpenAI chat-completions requests; the adapter converts each body to Messages params.
  endpoints: ["/v1/chat/completions"],
  runsAs: { "/v1/chat/completions": "/v1/messages (Message Batches)" },
  completionWindows: ["24h"],
  windowRule: { kind: "list", values: ["24h"] },
  windowNote: "Fixed by Anthropic: a batch ends within 24 hours.",
  limits: { maxRequests: 100_000, maxFileBytes: 256 * MB, maxLineBytes: 256 * MB, maxCustomIdLength: 64, asciiCustomId: true, oneModelPerBatch: false },
  // Anthropic batches carry no metadata: the name and description stay on our row only.
  metadata: { maxPairs: 0, maxKeyLength: 0, maxValueLength: 0, nameKey: "", nameMax: 200, descriptionKey: "", descriptionMax: 2000 },
  statuses: { spelling: "lower" },
  ids: { batch: "msgbatch_...", file: "none (requests inline)" },
  capabilities: {
    protocol: "anthropic-message-batches",
    input: "inline",
    partialResults: false,
    cancel: true,
    listBatches: { shape: "cursor", maxLimit: 1000, filters: ["after_id", "before_id", "limit"] },
    recoverByMetadata: false,
    inputNotKept: ANTHROPIC_NO_INPUT,
    // Up to 100,000 requests and 256 MB a batch: Batchboard does not split files for it.
    split: false,
    resultRetentionDays: 29,
    // Requests go inline in the create call: no files are kept to list or delete.
    files: false,
    // An errored result's error type (results.ts): a request refused as invalid is refused again.
    nonRetryable: { invalid_request_error: "refused by Anthropic as an invalid request" },
  },
  custom: false,
  sandboxMode: "anthropic",
  docsUrl: "https://docs.anthropic.com/en/docs/build-with-claude/batch-processing",
};
