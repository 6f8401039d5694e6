// The sandbox's imitation of Groq: file_ ids, chat completions only, windows of 24h..7d, a list
// that takes no parameters.
import "server-only";
import { openaiImitation } from "@/lib/providers/openai/imitation";
import { makeId } from "@/lib/providers/sandbox/model";
import { MB, type SandboxMode } from "@/lib/providers/sandbox/mode";

export const groqImitation: SandboxMode = {
  ...openaiImitation,
  name: "groq",
  uploadPurposes: ["batch"],
  fileId: () => makeId("file_"),
  endpoints: ["/v1/chat/completions"],
  window: { units: ["h", "d"], minHours: 24, maxHours: 168 },
  maxFileBytes: 100 * MB,
  listFilters: [],
  models: ["llama-3.1-8b-instant", "llama-3.3-70b-versatile", "openai/gpt-oss-20b", "openai/gpt-oss-120b", "batch-test-model"],
};
