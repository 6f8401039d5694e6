// The sandbox's imitation of Moonshot / Kimi (seeds/moonshot-create-batch.txt): .jsonl file names
// only, no empty file, one model per batch that must exist for the key, windows of 12h..7d, and the
// documented create body {input_file_id, completion_window} (no endpoint: chat completions).
import "server-only";
import { openaiImitation } from "@/lib/providers/openai/imitation";
import { MB, type SandboxMode } from "@/lib/providers/sandbox/mode";

export const moonshotImitation: SandboxMode = {
  ...openaiImitation,
  name: "moonshot",
  uploadPurposes: ["batch", "file-extract"],
  endpoints: ["/v1/chat/completions"],
  window: { units: ["h", "d"], minHours: 12, maxHours: 168 },
  maxFileBytes: 100 * MB,
  fileName: /\.jsonl$/i,
  oneModel: true,
  // "指定的模型必须存在且用户有访问权限"
  models: ["kimi-k2-0905-preview", "kimi-k2-turbo-preview", "kimi-k2-thinking", "moonshot-v1-8k", "moonshot-v1-32k", "moonshot-v1-128k", "batch-test-model"],
  defaultEndpoint: "/v1/chat/completions",
  refusesEmptyFile: true,
};
