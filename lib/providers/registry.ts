// One small declarative profile per provider, on top of one OpenAI-compatible adapter (client.ts).
// Validation at upload and launch, the launch form, the upload panel and the sync worker all read
// these. Facts come from /work/shared/providers.md and the providers' own documents; a value marked
// `uncertain` there is a default the team may edit. Adding a provider of the same shape is one entry
// here plus its tests (registry.test.ts, providers.e2e.test.ts). No server-only code: the launch
// form imports this module too.
import type { BatchStatus } from "@/lib/generated/prisma/enums";

export interface ProviderLimits {
  maxRequests: number;
  maxFileBytes: number;
  maxLineBytes: number;
  /** Characters; undefined when the provider states no limit. */
  maxCustomIdLength?: number;
  /** custom_id must be plain ASCII (Doubleword). */
  asciiCustomId?: boolean;
  oneModelPerBatch: boolean;
  /** The uploaded file's name must match (Moonshot: ".jsonl"). */
  fileName?: { pattern: RegExp; rule: string };
}

/** A completion window: a fixed list, or a duration in hours or days between two bounds. */
export type WindowRule = { kind: "list"; values: string[] } | { kind: "duration"; units: ("h" | "d")[]; minHours: number; maxHours: number };

export interface MetadataRules {
  maxPairs: number;
  maxKeyLength: number;
  maxValueLength: number;
  /** Where the batch's name and description go, and how long they may be there. */
  nameKey: string;
  nameMax: number;
  descriptionKey: string;
  descriptionMax: number;
}

export interface ProviderProfile {
  kind: string;
  label: string;
  /** Base URLs to offer (regions); the first is the default. "builtin" is resolved at run time (sandbox). */
  baseUrls: { label: string; url: string }[];
  uploadPurpose: string;
  endpoints: string[];
  /** Endpoints with rules of their own (Bailian's test endpoint takes only its test model). */
  endpointRules?: Record<string, { models?: string[]; maxRequests?: number; maxFileBytes?: number }>;
  /** What the launch form offers, in the provider's own syntax; the first is the default. */
  completionWindows: string[];
  /** What the provider accepts (the offered ones always are). */
  windowRule: WindowRule;
  limits: ProviderLimits;
  metadata: MetadataRules;
  statuses: {
    /** How the provider spells them; the raw value is kept on the batch either way. */
    spelling: "lower" | "upper";
    /** Statuses the provider never reports (Doubleword: never "expired"). */
    never?: string[];
  };
  ids: { batch: string; file: string };
  list: { shape: "cursor" | "array"; maxLimit?: number; filters: string[] };
  /** Requests per minute, where the provider documents them. */
  rateLimits?: { create?: number; retrieve?: number; list?: number };
  /** Creates answer 201 (the SDK accepts any 2xx). */
  createAnswers201?: boolean;
  /** The output file can be read while the batch runs (X-Incomplete / X-Last-Line). */
  partialResults?: boolean;
  /** Facts providers.md marks (?): defaults, to be confirmed against the live service. */
  uncertain?: string[];
  /**
   * A free test run the provider offers (Bailian's batch-test-model): the first requests of a
   * `from` file, rewritten to `model` and `endpoint`, within the test's own limits.
   */
  dryRun?: { from: string; endpoint: string; model: string; maxRequests: number; maxFileBytes: number; answer: string };
  /** Whether the base URL and key are typed by the user. */
  custom: boolean;
  docsUrl?: string;
  /**
   * The API's shape: "openai" (the default: files + batches through client.ts) or "anthropic"
   * (Message Batches with inline requests: lib/providers/anthropic*.ts, lib/batches/anthropic.ts).
   */
  shape?: "openai" | "anthropic";
  /** A file endpoint the provider runs under another API, its requests converted (Anthropic: chat completions as Messages). */
  runsAs?: Record<string, string>;
  /** Said under the completion window in the launch form (Anthropic: fixed at 24 hours). */
  windowNote?: string;
  /** Said under the base URL of a custom kind in the add-connection form. */
  baseUrlHint?: string;
}

const MB = 1024 * 1024;

const openaiEndpoints = ["/v1/chat/completions", "/v1/embeddings", "/v1/responses", "/v1/completions", "/v1/moderations"];

/** OpenAI's metadata rules: 16 pairs, key <= 64, value <= 512 characters. Others follow them (?). */
const openaiMetadata: MetadataRules = {
  maxPairs: 16,
  maxKeyLength: 64,
  maxValueLength: 512,
  nameKey: "name",
  nameMax: 512,
  descriptionKey: "description",
  descriptionMax: 512,
};

const cursorList = { shape: "cursor" as const, maxLimit: 100, filters: ["after", "limit"] };

/** Anthropic Message Batches (another shape: lib/batches/anthropic.ts), shared by the two Anthropic kinds. */
function anthropicLike(): ProviderProfile {
  return {
    kind: "anthropic",
    label: "Anthropic",
    // The SDK's paths carry /v1 themselves (/v1/messages/batches).
    baseUrls: [{ label: "Anthropic", url: "https://api.anthropic.com" }],
    uploadPurpose: "", // no upload: the requests go inline in the create call
    // The uploaded files are OpenAI chat-completions requests; launch converts each body to Messages params.
    endpoints: ["/v1/chat/completions"],
    runsAs: { "/v1/chat/completions": "/v1/messages (Message Batches)" },
    completionWindows: ["24h"],
    windowRule: { kind: "list", values: ["24h"] },
    windowNote: "Fixed by Anthropic: a batch ends within 24 hours.",
    limits: { maxRequests: 100_000, maxFileBytes: 256 * MB, maxLineBytes: 256 * MB, maxCustomIdLength: 64, asciiCustomId: true, oneModelPerBatch: false },
    // Anthropic batches carry no metadata: the name and description stay on our row only.
    metadata: { maxPairs: 0, maxKeyLength: 0, maxValueLength: 0, nameKey: "", nameMax: 200, descriptionKey: "", descriptionMax: 2000 },
    statuses: { spelling: "lower" },
    ids: { batch: "msgbatch_...", file: "none (requests inline)" },
    list: { shape: "cursor", maxLimit: 1000, filters: ["after_id", "before_id", "limit"] },
    custom: false,
    shape: "anthropic",
    docsUrl: "https://docs.anthropic.com/en/docs/build-with-claude/batch-processing",
  };
}

export const profiles: Record<string, ProviderProfile> = {
  sandbox: {
    kind: "sandbox",
    label: "Sandbox (built in)",
    baseUrls: [{ label: "Built in", url: "builtin" }],
    uploadPurpose: "batch",
    endpoints: ["/v1/chat/completions", "/v1/embeddings", "/v1/responses"],
    completionWindows: ["24h", "1h"],
    windowRule: { kind: "list", values: ["24h", "1h"] },
    limits: { maxRequests: 50_000, maxFileBytes: 200 * MB, maxLineBytes: 6 * MB, maxCustomIdLength: 512, oneModelPerBatch: false },
    metadata: openaiMetadata,
    statuses: { spelling: "lower" },
    ids: { batch: "batch_...", file: "file-..." },
    list: cursorList,
    custom: false,
  },
  openai: {
    kind: "openai",
    label: "OpenAI",
    baseUrls: [{ label: "OpenAI", url: "https://api.openai.com/v1" }],
    uploadPurpose: "batch",
    endpoints: openaiEndpoints,
    completionWindows: ["24h"],
    windowRule: { kind: "list", values: ["24h"] },
    limits: { maxRequests: 50_000, maxFileBytes: 200 * MB, maxLineBytes: 200 * MB, oneModelPerBatch: false },
    metadata: openaiMetadata,
    statuses: { spelling: "lower" },
    ids: { batch: "batch_...", file: "file-..." },
    list: cursorList,
    custom: false,
    docsUrl: "https://platform.openai.com/docs/guides/batch",
  },
  doubleword: {
    kind: "doubleword",
    label: "Doubleword",
    baseUrls: [{ label: "Doubleword", url: "https://api.doubleword.ai/v1" }],
    uploadPurpose: "batch",
    endpoints: ["/v1/chat/completions", "/v1/embeddings", "/v1/responses"],
    // 24h is the cheaper one; 1h costs more.
    completionWindows: ["24h", "1h"],
    windowRule: { kind: "list", values: ["24h", "1h"] },
    limits: { maxRequests: 50_000, maxFileBytes: 200 * MB, maxLineBytes: 200 * MB, maxCustomIdLength: 64, asciiCustomId: true, oneModelPerBatch: false },
    metadata: openaiMetadata,
    statuses: { spelling: "lower", never: ["expired"] },
    ids: { batch: "UUID", file: "UUID" },
    list: { shape: "cursor", maxLimit: 100, filters: ["after", "limit", "search", "status", "created_after", "created_before"] },
    createAnswers201: true,
    partialResults: true,
    uncertain: ["endpoints /v1/embeddings and /v1/responses", "metadata rules"],
    custom: false,
    docsUrl: "https://docs.doubleword.ai",
  },
  moonshot: {
    kind: "moonshot",
    label: "Moonshot (Kimi)",
    baseUrls: [
      { label: "China (api.moonshot.cn)", url: "https://api.moonshot.cn/v1" },
      { label: "International (api.moonshot.ai)", url: "https://api.moonshot.ai/v1" },
    ],
    uploadPurpose: "batch",
    endpoints: ["/v1/chat/completions"],
    completionWindows: ["24h", "12h", "48h", "72h", "7d"],
    windowRule: { kind: "duration", units: ["h", "d"], minHours: 12, maxHours: 168 },
    limits: {
      maxRequests: 50_000,
      maxFileBytes: 100 * MB,
      maxLineBytes: 100 * MB,
      oneModelPerBatch: true,
      fileName: { pattern: /\.jsonl$/i, rule: "a name ending in .jsonl" },
    },
    metadata: openaiMetadata,
    statuses: { spelling: "lower" },
    ids: { batch: "batch_...", file: "file-..." },
    list: { shape: "cursor", filters: ["after", "limit"] },
    uncertain: ["completion windows (about 12h..7d)", "max requests per file", "id forms", "metadata rules"],
    custom: false,
    docsUrl: "https://platform.moonshot.cn/docs",
  },
  bailian: {
    kind: "bailian",
    label: "Alibaba Bailian (DashScope)",
    baseUrls: [
      { label: "Beijing", url: "https://dashscope.aliyuncs.com/compatible-mode/v1" },
      { label: "Singapore", url: "https://dashscope-intl.aliyuncs.com/compatible-mode/v1" },
    ],
    uploadPurpose: "batch",
    endpoints: ["/v1/chat/completions", "/v1/embeddings", "/v1/chat/ds-test"],
    endpointRules: { "/v1/chat/ds-test": { models: ["batch-test-model"], maxRequests: 100, maxFileBytes: 1 * MB } },
    dryRun: { from: "/v1/chat/completions", endpoint: "/v1/chat/ds-test", model: "batch-test-model", maxRequests: 100, maxFileBytes: 1 * MB, answer: "This is a test result." },
    completionWindows: ["24h", "48h", "72h", "7d", "14d"],
    windowRule: { kind: "duration", units: ["h", "d"], minHours: 24, maxHours: 336 },
    limits: { maxRequests: 50_000, maxFileBytes: 500 * MB, maxLineBytes: 6 * MB, oneModelPerBatch: true },
    metadata: { ...openaiMetadata, nameKey: "ds_name", nameMax: 100, descriptionKey: "ds_description", descriptionMax: 200 },
    statuses: { spelling: "lower" },
    ids: { batch: "batch_...", file: "file-batch-..." },
    list: { shape: "cursor", maxLimit: 100, filters: ["after", "limit", "ds_name", "input_file_ids", "status", "create_after", "create_before"] },
    rateLimits: { create: 1000, retrieve: 1000, list: 100 },
    uncertain: ["metadata pairs other than ds_name/ds_description"],
    custom: false,
    docsUrl: "https://help.aliyun.com/zh/model-studio/batch-interfaces-compatible-with-openai",
  },
  groq: {
    kind: "groq",
    label: "Groq",
    baseUrls: [{ label: "Groq", url: "https://api.groq.com/openai/v1" }],
    uploadPurpose: "batch",
    endpoints: ["/v1/chat/completions"],
    completionWindows: ["24h", "48h", "72h", "7d"],
    windowRule: { kind: "duration", units: ["h", "d"], minHours: 24, maxHours: 168 },
    limits: { maxRequests: 50_000, maxFileBytes: 100 * MB, maxLineBytes: 100 * MB, oneModelPerBatch: false },
    metadata: openaiMetadata,
    statuses: { spelling: "lower" },
    ids: { batch: "batch_...", file: "file_..." },
    list: { shape: "cursor", filters: [] },
    uncertain: ["max requests (50,000)", "max file size (100-200 MB: 100 MB kept)", "one model per batch", "metadata rules"],
    custom: false,
    docsUrl: "https://console.groq.com/docs/batch",
  },
  together: {
    kind: "together",
    label: "Together AI",
    baseUrls: [{ label: "Together", url: "https://api.together.xyz/v1" }],
    uploadPurpose: "batch-api",
    endpoints: ["/v1/chat/completions", "/v1/completions"],
    completionWindows: ["24h"],
    windowRule: { kind: "list", values: ["24h"] },
    limits: { maxRequests: 50_000, maxFileBytes: 100 * MB, maxLineBytes: 100 * MB, oneModelPerBatch: false },
    metadata: openaiMetadata,
    statuses: { spelling: "upper", never: ["finalizing"] },
    ids: { batch: "UUID", file: "UUID" },
    list: { shape: "array", filters: [] },
    uncertain: ["one model per batch", "metadata rules"],
    custom: false,
    docsUrl: "https://docs.together.ai/docs/batch-inference",
  },
  anthropic: anthropicLike(),
  // The same API behind another URL: a gateway or proxy in front of Anthropic, or the sandbox's
  // imitation (/api/sandbox/anthropic), so the whole Anthropic journey can run without a key.
  "anthropic-compatible": {
    ...anthropicLike(),
    kind: "anthropic-compatible",
    label: "Custom Anthropic-compatible",
    baseUrls: [],
    baseUrlHint: "The base URL without /v1, like https://api.anthropic.com (Batchboard adds /v1/messages/batches).",
    custom: true,
  },
  "openai-compatible": {
    kind: "openai-compatible",
    label: "Custom OpenAI-compatible",
    baseUrls: [],
    uploadPurpose: "batch",
    endpoints: openaiEndpoints,
    completionWindows: ["24h"],
    windowRule: { kind: "duration", units: ["h", "d"], minHours: 1, maxHours: 336 },
    // Defaults: each connection may override them (ProviderConnection.limits, connections.limits.ts).
    limits: { maxRequests: 50_000, maxFileBytes: 200 * MB, maxLineBytes: 200 * MB, oneModelPerBatch: false },
    metadata: openaiMetadata,
    statuses: { spelling: "lower" },
    ids: { batch: "any", file: "any" },
    list: cursorList,
    uncertain: ["every limit: the provider's own documents decide"],
    custom: true,
  },
};

// ---------------------------------------------------------------------------------------------
// The sandbox's imitations: a connection of any kind may run on the built-in sandbox in the mode
// that imitates that provider (lib/sandbox/modes.ts), with no key and no cost. Its base URL is
// stored as "builtin:<mode>" and resolved to this app's own /api/sandbox/<mode> at call time.

const SANDBOX_MODES: Record<string, string> = {
  openai: "openai",
  doubleword: "doubleword",
  moonshot: "moonshot",
  bailian: "bailian",
  groq: "groq",
  together: "together",
  anthropic: "anthropic",
  "anthropic-compatible": "anthropic",
  "openai-compatible": "openai",
};

/** The sandbox mode that imitates a kind (every kind a person may add has one). */
export const sandboxModeOf = (kind: string): string | undefined => SANDBOX_MODES[kind];
export const SANDBOX_TARGET = "builtin:";
/** A base URL that names the sandbox: "builtin" (the Sandbox connection) or "builtin:<mode>". */
export const isSandboxTarget = (baseUrl: string) => baseUrl === "builtin" || baseUrl.startsWith(SANDBOX_TARGET);

export function profileOf(kind: string): ProviderProfile {
  const p = profiles[kind];
  if (!p) throw new Error(`Unknown provider kind: ${kind}`);
  return p;
}

/** Limits that hold for a file before any provider is chosen: the loosest profile's. */
export const uploadLimits: ProviderLimits = {
  maxRequests: 50_000,
  maxFileBytes: 200 * MB,
  maxLineBytes: 6 * MB,
  maxCustomIdLength: 512,
  oneModelPerBatch: false,
};

/** The limits an upload checks a file against when it is meant for this profile. */
export function uploadLimitsFor(p: ProviderProfile): ProviderLimits {
  return { ...p.limits, maxCustomIdLength: p.limits.maxCustomIdLength ?? uploadLimits.maxCustomIdLength };
}

// ---------------------------------------------------------------------------------------------
// Completion windows

/** Hours of "24h" or "14d" (whole numbers only); undefined for anything else. */
export function windowHours(w: string, units: ("h" | "d")[] = ["h", "d"]): number | undefined {
  const m = /^([1-9]\d{0,4})([hd])$/.exec(w);
  if (!m || !units.includes(m[2] as "h" | "d")) return undefined;
  return Number(m[1]) * (m[2] === "d" ? 24 : 1);
}

export function acceptsWindow(p: ProviderProfile, w: string): boolean {
  const r = p.windowRule;
  if (r.kind === "list") return r.values.includes(w);
  const h = windowHours(w, r.units);
  return h !== undefined && h >= r.minHours && h <= r.maxHours;
}

const hoursLabel = (h: number) => (h % 24 === 0 && h >= 48 ? `${h}h (${h / 24}d)` : `${h}h`);

/** What a profile accepts, in words: "24h, 1h" or "24h to 336h (14d), in whole hours or days, e.g. 48h or 14d". */
export function describeWindows(p: ProviderProfile): string {
  const r = p.windowRule;
  if (r.kind === "list") return r.values.join(", ");
  const units = r.units.length === 2 ? "whole hours or days, e.g. 48h or 2d" : r.units[0] === "h" ? "whole hours, e.g. 48h" : "whole days, e.g. 2d";
  return `${hoursLabel(r.minHours)} to ${hoursLabel(r.maxHours)}, in ${units}`;
}

// ---------------------------------------------------------------------------------------------
// Checks against a profile, shared by launch (server) and the launch form (browser)

export interface ProfileProblem {
  /** The form field at fault, when one is. */
  field?: "endpoint" | "completionWindow" | "name" | "description" | "metadata" | "inputFileId";
  /** Line of the file, when one line is at fault. */
  line?: number;
  message: string;
}

const fmt = (n: number | bigint) => Number(n).toLocaleString("en-US");
export const mb = (n: number | bigint) => `${(Number(n) / MB).toFixed(1)} MB`;

export interface FileFacts {
  endpoint: string;
  requestCount: number;
  /** Unknown in the browser when the launch options do not carry it. */
  bytes?: number | bigint;
  models: string[];
}

/** What stops a file from launching on a profile, before any line is read. */
export function checkFileForProfile(p: ProviderProfile, file: FileFacts): ProfileProblem[] {
  const out: ProfileProblem[] = [];
  const l = p.limits;
  if (!p.endpoints.includes(file.endpoint)) {
    out.push({ field: "endpoint", message: `${p.label} does not offer ${file.endpoint}; it offers ${p.endpoints.join(", ")}.` });
  }
  if (file.requestCount > l.maxRequests) {
    out.push({ message: `The file has ${fmt(file.requestCount)} requests, over ${p.label}'s limit of ${fmt(l.maxRequests)} per batch.` });
  }
  if (file.bytes !== undefined && BigInt(file.bytes) > BigInt(l.maxFileBytes)) {
    out.push({ message: `The file is ${mb(file.bytes)}, over ${p.label}'s limit of ${mb(l.maxFileBytes)} per file.` });
  }
  if (l.oneModelPerBatch && file.models.length > 1) {
    out.push({ message: `${p.label} takes one model per batch; this file uses ${file.models.length} (${file.models.join(", ")}).` });
  }
  const rule = p.endpointRules?.[file.endpoint];
  if (rule) {
    const others = rule.models ? file.models.filter((m) => !rule.models!.includes(m)) : [];
    if (others.length) {
      out.push({ field: "endpoint", message: `${p.label}'s ${file.endpoint} takes only ${rule.models!.join(", ")}; this file uses ${others.join(", ")}.` });
    }
    if (rule.maxRequests !== undefined && file.requestCount > rule.maxRequests) {
      out.push({ message: `${p.label}'s ${file.endpoint} takes at most ${fmt(rule.maxRequests)} requests; this file has ${fmt(file.requestCount)}.` });
    }
    if (rule.maxFileBytes !== undefined && file.bytes !== undefined && BigInt(file.bytes) > BigInt(rule.maxFileBytes)) {
      out.push({ message: `${p.label}'s ${file.endpoint} takes files of at most ${mb(rule.maxFileBytes)}; this one is ${mb(file.bytes)}.` });
    }
  }
  return out;
}

export function checkWindow(p: ProviderProfile, w: string): ProfileProblem[] {
  if (acceptsWindow(p, w)) return [];
  return [{ field: "completionWindow", message: `${p.label} does not accept the completion window ${w}; it accepts ${describeWindows(p)}.` }];
}

/** The metadata a batch is created with: the user's pairs, its name and description under the profile's keys, our id. */
export function batchMetadataFor(
  p: ProviderProfile,
  input: { name: string; description?: string; metadata?: Record<string, string> },
  ownKeys: Record<string, string>,
): { metadata: Record<string, string>; problems: ProfileProblem[] } {
  const m = p.metadata;
  const problems: ProfileProblem[] = [];
  if (input.name.length > m.nameMax) {
    problems.push({ field: "name", message: `${p.label} keeps a batch name (metadata ${m.nameKey}) to ${fmt(m.nameMax)} characters; this one has ${fmt(input.name.length)}.` });
  }
  if (input.description && input.description.length > m.descriptionMax) {
    problems.push({
      field: "description",
      message: `${p.label} keeps a description (metadata ${m.descriptionKey}) to ${fmt(m.descriptionMax)} characters; this one has ${fmt(input.description.length)}.`,
    });
  }
  const metadata: Record<string, string> = {
    ...input.metadata,
    [m.nameKey]: input.name,
    ...(input.description ? { [m.descriptionKey]: input.description } : {}),
    ...ownKeys,
  };
  const pairs = Object.keys(metadata).length;
  if (pairs > m.maxPairs) {
    problems.push({ field: "metadata", message: `${p.label} takes at most ${m.maxPairs} metadata pairs; this batch would send ${pairs}.` });
  }
  for (const [k, v] of Object.entries(input.metadata ?? {})) {
    if (k.length > m.maxKeyLength) problems.push({ field: "metadata", message: `Metadata key "${k.slice(0, 40)}…" is ${k.length} characters, over ${p.label}'s limit of ${m.maxKeyLength}.` });
    if (v.length > m.maxValueLength) problems.push({ field: "metadata", message: `Metadata value of "${k}" is ${fmt(v.length)} characters, over ${p.label}'s limit of ${fmt(m.maxValueLength)}.` });
  }
  return { metadata, problems };
}

/** One request line as the provider will receive it. */
export interface LineFacts {
  line: number;
  customId: string;
  bytes: number;
}

/** A line's own problems for a profile (size, custom_id length and characters). */
export function checkLineForProfile(p: ProviderProfile, r: LineFacts): ProfileProblem[] {
  const l = p.limits;
  const out: ProfileProblem[] = [];
  if (r.bytes > l.maxLineBytes) {
    out.push({ line: r.line, message: `Line ${r.line} is ${mb(r.bytes)}, over ${p.label}'s limit of ${mb(l.maxLineBytes)} per line.` });
  }
  if (l.maxCustomIdLength !== undefined && r.customId.length > l.maxCustomIdLength) {
    out.push({
      line: r.line,
      message: `Line ${r.line}: custom_id is ${fmt(r.customId.length)} characters, over ${p.label}'s limit of ${fmt(l.maxCustomIdLength)}.`,
    });
  }
  if (l.asciiCustomId && !/^[\x20-\x7e]*$/.test(r.customId)) {
    out.push({ line: r.line, message: `Line ${r.line}: custom_id must be plain ASCII for ${p.label}.` });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Statuses

const statusMap: Record<string, BatchStatus> = {
  validating: "VALIDATING",
  in_progress: "IN_PROGRESS",
  finalizing: "FINALIZING",
  completed: "COMPLETED",
  failed: "FAILED",
  expired: "EXPIRED",
  cancelling: "CANCELLING",
  canceling: "CANCELLING",
  cancelled: "CANCELLED",
  canceled: "CANCELLED",
};

/** Providers spell statuses their own way (Together: upper case); the raw value is kept too. */
export function normaliseStatus(raw: string | null | undefined): BatchStatus {
  return statusMap[(raw ?? "").toLowerCase()] ?? "VALIDATING";
}

export const terminalStatuses: BatchStatus[] = ["COMPLETED", "FAILED", "EXPIRED", "CANCELLED"];

export function isTerminal(s: BatchStatus) {
  return terminalStatuses.includes(s);
}
