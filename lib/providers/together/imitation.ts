// The sandbox's imitation of Together: purpose batch-api, UUIDs, UPPERCASE statuses (no finalizing,
// CANCELING), ISO dates and a progress percentage instead of counts, a list that is a plain array.
import "server-only";
import { openaiImitation } from "@/lib/providers/openai/imitation";
import { MB, seededUuid, uuid, type SandboxMode } from "@/lib/providers/sandbox/mode";

export const togetherImitation: SandboxMode = {
  ...openaiImitation,
  name: "together",
  uploadPurposes: ["batch-api", "fine-tune", "eval"],
  batchPurpose: "batch-api",
  fileId: uuid,
  batchId: uuid,
  resultFileId: (batchId, kind) => seededUuid(`${batchId}:${kind}`),
  endpoints: ["/v1/chat/completions", "/v1/completions"],
  window: { values: ["24h"], units: ["h"], minHours: 24, maxHours: 24 },
  maxFileBytes: 100 * MB,
  upperCaseStatuses: true,
  isoDatesAndProgress: true,
  listAsArray: true,
  listFilters: [],
  models: ["meta-llama/Llama-3.3-70B-Instruct-Turbo", "Qwen/Qwen2.5-72B-Instruct-Turbo", "deepseek-ai/DeepSeek-V3", "batch-test-model"],
};
