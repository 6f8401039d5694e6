// The sandbox's imitation of OpenAI's Batch API (the spec in /work/shared/openapi: the Batch create
// body's `endpoint` enum and `completion_window: "24h"` only), served at /api/sandbox/openai/v1, and
// the shape every other imitation starts from. The built-in Sandbox (/api/sandbox/v1) is the same
// shape made lenient (sandboxImitation): any model, windows of 1 hour to 14 days, what the providers
// accept between them. Both keep their batches under the mode name "openai" (stored rows stay
// readable on either path).
import "server-only";
import { makeId } from "@/lib/providers/sandbox/model";
import { MB, type SandboxMode } from "@/lib/providers/sandbox/mode";

export const openaiImitation: SandboxMode = {
  name: "openai",
  uploadPurposes: ["assistants", "batch", "fine-tune", "vision", "user_data"],
  batchPurpose: "batch",
  createStatus: 200,
  fileId: () => makeId("file-"),
  batchId: () => makeId("batch_"),
  resultFileId: (batchId, kind) => makeId("file-", `${batchId}:${kind}`),
  // CreateBatchRequest.endpoint in the spec.
  endpoints: ["/v1/responses", "/v1/chat/completions", "/v1/embeddings", "/v1/completions", "/v1/moderations", "/v1/images/generations", "/v1/images/edits", "/v1/videos"],
  // "Currently only `24h` is supported."
  window: { values: ["24h"], units: ["h"], minHours: 24, maxHours: 24 },
  maxFileBytes: 200 * MB,
  oneModel: false,
  // "/v1/embeddings batches are also restricted to a maximum of 50,000 embedding inputs across all requests in the batch."
  maxEmbeddingInputs: 50_000,
  models: [
    "gpt-5",
    "gpt-5-mini",
    "gpt-5-nano",
    "gpt-4.1",
    "gpt-4.1-mini",
    "gpt-4.1-nano",
    "gpt-4o",
    "gpt-4o-mini",
    "o3",
    "o4-mini",
    "gpt-3.5-turbo-instruct",
    "text-embedding-3-small",
    "text-embedding-3-large",
    "omni-moderation-latest",
    "gpt-image-1",
    "sora-2",
    "batch-test-model",
  ],
  metadataKeyMax: {},
  upperCaseStatuses: false,
  isoDatesAndProgress: false,
  listAsArray: false,
  listFilters: ["after", "limit"],
  partialResults: false,
  ordered: false,
  nullFields: false,
};

/** The built-in Sandbox: OpenAI's shape, as lenient as the providers between them. */
export const sandboxImitation: SandboxMode = {
  ...openaiImitation,
  endpoints: ["/v1/chat/completions", "/v1/embeddings", "/v1/responses", "/v1/completions", "/v1/moderations", "/v1/images/generations", "/v1/images/edits", "/v1/videos"],
  window: { units: ["h", "d"], minHours: 1, maxHours: 336 },
  models: undefined,
  maxEmbeddingInputs: undefined,
};
