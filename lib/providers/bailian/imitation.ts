// The sandbox's imitation of Alibaba Bailian (seeds/bailian-openai-compatible-batch.txt): file-batch-
// ids, windows of 24h..336h, ds_name/ds_description, one model per batch, batch-test-model on
// /v1/chat/ds-test, unset fields sent as null, and its list filters.
import "server-only";
import { openaiImitation } from "@/lib/providers/openai/imitation";
import { makeId } from "@/lib/providers/sandbox/model";
import { MB, type SandboxMode } from "@/lib/providers/sandbox/mode";

export const bailianImitation: SandboxMode = {
  ...openaiImitation,
  name: "bailian",
  uploadPurposes: ["batch", "file-extract"],
  fileId: () => makeId("file-batch-"),
  batchId: () => makeId("batch_"),
  resultFileId: (batchId, kind) => makeId(kind === "output" ? "file-batch_output-" : "file-batch_error-", `${batchId}:${kind}`),
  endpoints: ["/v1/chat/completions", "/v1/embeddings", "/v1/chat/ds-test"],
  window: { units: ["h", "d"], minHours: 24, maxHours: 336 },
  maxFileBytes: 500 * MB,
  maxLineBytes: 6 * MB,
  oneModel: true,
  metadataKeyMax: { ds_name: 100, ds_description: 200 },
  listFilters: ["after", "limit", "ds_name", "input_file_ids", "status", "create_after", "create_before"],
  nullFields: true,
  testEndpoint: { endpoint: "/v1/chat/ds-test", model: "batch-test-model", maxLines: 100, maxBytes: 1 * MB },
};
