// The sandbox's imitation of Moonshot / Kimi (seeds/moonshot-create-batch.txt): .jsonl file names
// only, no empty file, one model per batch, windows of 12h..7d.
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
  refusesEmptyFile: true,
};
