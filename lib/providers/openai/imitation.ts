// The sandbox's imitation of OpenAI's Batch API: the shape every other imitation starts from, and
// the default mode (/api/sandbox/v1, the built-in Sandbox). As lenient as OpenAI between them.
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
  endpoints: ["/v1/chat/completions", "/v1/embeddings", "/v1/responses"],
  // The default mode stays as lenient as before: 1h to 14d, what the providers accept between them.
  window: { units: ["h", "d"], minHours: 1, maxHours: 336 },
  maxFileBytes: 200 * MB,
  oneModel: false,
  metadataKeyMax: {},
  upperCaseStatuses: false,
  neverExpired: false,
  isoDatesAndProgress: false,
  listAsArray: false,
  listFilters: ["after", "limit"],
  partialResults: false,
  ordered: false,
  nullFields: false,
};
