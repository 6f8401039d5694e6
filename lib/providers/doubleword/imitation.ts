// The sandbox's imitation of Doubleword (seeds/doubleword-batches.txt): 201s, bare UUIDs, a 1h
// window, custom_id <= 64, never "expired", and results readable while running (X-Incomplete,
// X-Last-Line, resumed with ?offset= or ?skip=), written in the order they finished.
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
  neverExpired: true,
  listFilters: ["after", "limit", "status"],
  partialResults: true,
  ordered: true,
};
