// The sandbox's modes: each imitates one provider's quirks, as that provider's own documents state
// them (/work/shared/providers.md and seeds/), so every provider profile can run end to end over
// HTTP in the tests. Served at /api/sandbox/<mode>/v1 (/api/sandbox/v1 is "openai"). These facts are
// written here on purpose rather than read from lib/providers/registry.ts: a test where the client
// and the imitation of the server share one table would prove nothing.
//
// Fault injection, usable with any mode, is a path segment before /v1:
//   /api/sandbox/<mode>/faults=429@3,500@5,omit-nulls,run=<tag>/v1
// 429@N answers the N-th call with 429 and Retry-After (retry-after=S seconds, default 1); 500@N (or
// any 5xx) answers the N-th call with that status; omit-nulls drops every null field of the JSON
// answers. Calls are counted per team, mode and fault segment in this process (run=<tag> makes a
// fresh count).
import "server-only";
import crypto from "node:crypto";
import { makeId } from "@/lib/providers/sandbox/model";

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
  /** Metadata rules: OpenAI's (16 pairs, 64/512), plus named keys with their own length. */
  metadataKeyMax: Record<string, number>;
  upperCaseStatuses: boolean;
  /** The provider never says "expired": a batch out of time ends "completed" with the rest as errors. */
  neverExpired: boolean;
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

const MB = 1024 * 1024;
const uuid = () => crypto.randomUUID();
/** A UUID derived from a seed, so result files get the same id from any instance. */
function seededUuid(seed: string) {
  const h = crypto.createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const openaiLike: SandboxMode = {
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

export const modes: Record<string, SandboxMode> = {
  openai: openaiLike,
  doubleword: {
    ...openaiLike,
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
  },
  together: {
    ...openaiLike,
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
  },
  bailian: {
    ...openaiLike,
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
  },
  moonshot: {
    ...openaiLike,
    name: "moonshot",
    uploadPurposes: ["batch", "file-extract"],
    endpoints: ["/v1/chat/completions"],
    window: { units: ["h", "d"], minHours: 12, maxHours: 168 },
    maxFileBytes: 100 * MB,
    fileName: /\.jsonl$/i,
    oneModel: true,
  },
  groq: {
    ...openaiLike,
    name: "groq",
    uploadPurposes: ["batch"],
    fileId: () => makeId("file_"),
    endpoints: ["/v1/chat/completions"],
    window: { units: ["h", "d"], minHours: 24, maxHours: 168 },
    maxFileBytes: 100 * MB,
    listFilters: [],
  },
};

export function modeOf(name: string | undefined | null): SandboxMode {
  return modes[name ?? "openai"] ?? openaiLike;
}

export interface Faults {
  /** 1-based call numbers answered with 429, and the Retry-After seconds. */
  rateLimitAt: number[];
  retryAfter: number;
  /** Call number -> 5xx status. */
  serverErrorAt: Map<number, number>;
  omitNulls: boolean;
  /** The counter's key. */
  key: string;
}

/** Reads "faults=429@3,500@5,omit-nulls,retry-after=2,run=x". */
export function parseFaults(segment: string): Faults {
  const f: Faults = { rateLimitAt: [], retryAfter: 1, serverErrorAt: new Map(), omitNulls: false, key: segment };
  for (const part of segment.replace(/^faults=/, "").split(",")) {
    const m = /^(\d{3})((?:@\d+)+)$/.exec(part);
    if (m) {
      const status = Number(m[1]);
      const at = m[2].split("@").filter(Boolean).map(Number);
      if (status === 429) f.rateLimitAt.push(...at);
      else if (status >= 500 && status <= 599) for (const n of at) f.serverErrorAt.set(n, status);
    } else if (part === "omit-nulls") f.omitNulls = true;
    else if (part.startsWith("retry-after=")) f.retryAfter = Math.max(0, Number(part.slice(12)) || 0);
  }
  return f;
}

const callCounts = new Map<string, number>();

/** Counts this call; answers the injected fault for it, if there is one. */
export function injectedFault(f: Faults, teamId: string, mode: string): Response | undefined {
  const key = `${teamId}|${mode}|${f.key}`;
  const n = (callCounts.get(key) ?? 0) + 1;
  callCounts.set(key, n);
  if (f.rateLimitAt.includes(n)) {
    return Response.json(
      { error: { message: "Rate limit reached for requests (injected by the sandbox).", type: "requests", param: null, code: "rate_limit_exceeded" } },
      { status: 429, headers: { "retry-after": String(f.retryAfter) } },
    );
  }
  const status = f.serverErrorAt.get(n);
  if (status) {
    return Response.json(
      { error: { message: `The server had an error while processing your request (injected ${status}).`, type: "server_error", param: null, code: null } },
      { status },
    );
  }
  return undefined;
}

/** Drops every null field, at any depth, of a JSON value. */
export function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) out[k] = withoutNulls(x);
    return out;
  }
  return v;
}
