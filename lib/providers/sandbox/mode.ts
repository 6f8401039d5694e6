// What an imitation of a provider's OpenAI-shaped batch API is made of (a SandboxMode), as data the
// sandbox's server reads (server.ts, files.ts, batches/): each kind's imitation.ts beside its
// profile says its provider's quirks, as that provider's own documents state them
// (/work/shared/providers.md and seeds/). An imitation never reads a profile, an adapter or their
// registries (an ESLint wall keeps it so): a test where the client and the imitation of the server
// share one table would prove nothing.
import "server-only";
import crypto from "node:crypto";

export interface SandboxMode {
  name: string;
  /** Purposes an upload may carry, and the one a batch input file must have. */
  uploadPurposes: string[];
  batchPurpose: string;
  /** Status of a successful file upload and batch create. */
  createStatus: 200 | 201;
  fileId(): string;
  batchId(): string;
  resultFileId(batchId: string, kind: "output" | "error"): string;
  endpoints: string[];
  /** Hours a completion_window may ask for, and the units it may use. */
  window: { values?: string[]; units: ("h" | "d")[]; minHours: number; maxHours: number };
  maxFileBytes: number;
  maxLineBytes?: number;
  /** Upload file names must match (Moonshot: .jsonl). */
  fileName?: RegExp;
  oneModel: boolean;
  maxCustomIdLength?: number;
  /** Embedding inputs (strings or token arrays) across the whole batch (OpenAI: 50,000). */
  maxEmbeddingInputs?: number;
  /** custom_id must be plain ASCII (Doubleword: "at most 64 ASCII characters"). */
  asciiCustomId?: boolean;
  /**
   * The models the provider's key may use, listed at GET /models; a batch naming another fails
   * validation ("the model must exist and the key may use it": Moonshot). Undefined: any model (the
   * built-in Sandbox).
   */
  models?: string[];
  /** The create body may leave out `endpoint`; this one is meant (Moonshot documents `{input_file_id, completion_window}`). */
  defaultEndpoint?: string;
  /** All requests share one thinking mode (Bailian: body.enable_thinking, false when absent). */
  oneThinkingMode?: boolean;
  /** A batch that fails validation names an error file with one line per problem (Doubleword: "failed - check error_file_id"). */
  failedErrorFile?: boolean;
  /** Only result files can be downloaded, never an uploaded input (Bailian: only `file-batch_output-` ids). */
  resultFilesOnly?: boolean;
  /** Only batches created within this many days can be retrieved or listed (Bailian: 30). */
  queryDays?: number;
  /** input_file_id may name an OSS object in the provider's cloud, which the sandbox cannot read (Bailian). */
  ossInput?: boolean;
  /** Metadata rules: OpenAI's (16 pairs, 64/512), plus named keys with their own length. */
  metadataKeyMax: Record<string, number>;
  upperCaseStatuses: boolean;
  /** An empty upload is refused (Moonshot: "不能为空"). */
  refusesEmptyFile?: boolean;
  /** Timestamps as ISO 8601 strings, a `progress` percentage and no request_counts (Together). */
  isoDatesAndProgress: boolean;
  /** Lists answer a plain array without paging (Together). */
  listAsArray: boolean;
  /** List filters the mode applies (others are ignored, as providers do). */
  listFilters: string[];
  /** Output and error files readable while the batch runs, with X-Incomplete and X-Last-Line. */
  partialResults: boolean;
  /** Results in the order they finished rather than shuffled (needed for resumable partial reads). */
  ordered: boolean;
  /** Unset fields sent as null (as Bailian's examples show) instead of left out. */
  nullFields: boolean;
  /** An endpoint reserved to a test model, with its own limits (Bailian's /v1/chat/ds-test). */
  testEndpoint?: { endpoint: string; model: string; maxLines: number; maxBytes: number };
}

export const MB = 1024 * 1024;
export const uuid = () => crypto.randomUUID();
/** A UUID derived from a seed, so result files get the same id from any instance. */
export function seededUuid(seed: string) {
  const h = crypto.createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
