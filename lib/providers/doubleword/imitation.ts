// The sandbox's imitation of Doubleword (seeds/doubleword-batches.txt): 201s, bare UUIDs, a 1h
// window, custom_id of at most 64 ASCII characters, "expired" for a batch out of time, a failed
// batch's problems in its error_file_id, list filters search / status / created_after /
// created_before, results readable while running (X-Incomplete, X-Last-Line, resumed with ?offset=
// or ?skip=), written in the order they finished.
import "server-only";
import { openaiImitation } from "@/lib/providers/openai/imitation";
import { seededUuid, uuid, type SandboxMode } from "@/lib/providers/sandbox/mode";

export const doublewordImitation: SandboxMode = {
  ...openaiImitation,
  name: "doubleword",
  uploadPurposes: ["batch"],
  createStatus: 201,
  fileId: uuid,
  batchId: uuid,
  resultFileId: (batchId, kind) => seededUuid(`${batchId}:${kind}`),
  window: { values: ["24h", "1h"], units: ["h"], minHours: 1, maxHours: 24 },
  maxCustomIdLength: 64,
  asciiCustomId: true,
  failedErrorFile: true,
  // The seed's own example model, and open models Doubleword serves.
  models: ["anthropic/claude-3-5-sonnet", "Qwen/Qwen3-VL-235B-A22B-Instruct-FP8", "Qwen/Qwen3-VL-30B-A3B-Instruct-FP8", "openai/gpt-oss-20b", "batch-test-model"],
  listFilters: ["after", "limit", "status", "search", "created_after", "created_before"],
  partialResults: true,
  ordered: true,
};
