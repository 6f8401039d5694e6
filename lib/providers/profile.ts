// What Batchboard knows of a provider kind, as data: its limits, windows, metadata rules, statuses
// and what it can do (Capabilities). One profile per kind, in lib/providers/<kind>/profile.ts, all
// listed in profiles.ts. Facts come from /work/shared/providers.md and the providers' own documents;
// a value marked `uncertain` there is a default the team may edit. No server-only code: the launch
// form, the upload panel and the limits form import the profiles too. Behaviour lives in the
// adapters (adapters.ts), one per protocol, which read these flags instead of a provider's name.

export const MB = 1024 * 1024;

export interface ProviderLimits {
  maxRequests: number;
  maxFileBytes: number;
  maxLineBytes: number;
  /** Characters; undefined when the provider states no limit. */
  maxCustomIdLength?: number;
  /** custom_id must be plain ASCII (Doubleword). */
  asciiCustomId?: boolean;
  /**
   * One model per batch, and with it one thinking mode (the bodies' enable_thinking): Bailian says
   * both, Moonshot the first (checks.ts lineChecker, and the split planner's cuts).
   */
  oneModelPerBatch: boolean;
  /** Embedding inputs across one /v1/embeddings batch (OpenAI: 50,000); warned about at upload. */
  maxEmbeddingInputs?: number;
  /** Context windows (tokens) of models the provider documents; a longer request is warned about at upload. */
  contextTokens?: Record<string, number>;
  /** The uploaded file's name must match (Moonshot: ".jsonl"). */
  fileName?: { pattern: RegExp; rule: string };
}

/** A completion window: a fixed list, or a duration in hours or days between two bounds. */
export type WindowRule = { kind: "list"; values: string[] } | { kind: "duration"; units: ("h" | "d")[]; minHours: number; maxHours: number };

export interface MetadataRules {
  /** 0: the provider's batches carry no metadata (the name and description stay on our row). */
  maxPairs: number;
  maxKeyLength: number;
  maxValueLength: number;
  /** Where the batch's name and description go, and how long they may be there. */
  nameKey: string;
  nameMax: number;
  descriptionKey: string;
  descriptionMax: number;
}

/** How the account's batches are listed (import history). */
export interface BatchListing {
  /** "cursor": pages with `after`/`has_more` (or Anthropic's after_id); "array": one plain array, no paging (Together). */
  shape: "cursor" | "array";
  maxLimit?: number;
  /** The query parameters it takes, paging included (import-filters.ts says what each means). */
  filters: string[];
  /** `status` takes a comma list of statuses (Bailian); otherwise one status at a time. */
  multiStatus?: boolean;
  /** Only the batches of the last this many days can be queried (Bailian: 30). */
  maxAgeDays?: number;
}

/** A free test run a provider offers (Bailian's batch-test-model): the first requests of a `from` file, rewritten to `model` and `endpoint`. */
export interface DryRun {
  from: string;
  endpoint: string;
  model: string;
  maxRequests: number;
  maxFileBytes: number;
  answer: string;
}

/** What a provider can do: the engine and the pages read these flags, never a provider's name. */
export interface Capabilities {
  /** The API family, and so the adapter that speaks it (adapters.ts). */
  protocol: "openai-batch" | "anthropic-message-batches";
  /** How the requests reach the provider: an uploaded JSONL file, or inline in the create call. */
  input: "file" | "inline";
  /** Result files readable while the batch runs, resumable from a line (Doubleword: X-Incomplete, X-Last-Line). */
  partialResults: boolean;
  dryRun?: DryRun;
  /** A running batch can be cancelled. */
  cancel: boolean;
  /** The account's batches can be listed, for import history; null: they cannot. */
  listBatches: BatchListing | null;
  /**
   * Batches carry our id in their metadata (batchboard_batch_id), so a create whose answer was lost
   * is found again. Without it, such a launch is closed as failed and never sent twice.
   */
  recoverByMetadata: boolean;
  /** Why an imported batch comes without its requests (the provider keeps none); undefined: its input file is imported. */
  inputNotKept?: string;
  /** A file over the limits may be launched as a job of several batches (split.ts). */
  split: boolean;
  /** Days the provider keeps a batch's results, where it says (Anthropic: 29). */
  resultRetentionDays?: number;
  /**
   * How often the provider asks to be polled about one batch, where it says (Doubleword: 30-60 s;
   * Bailian: once a minute); 30 s where it does not, never under 5 s (poll.ts).
   */
  pollIntervalMs?: number;
  /**
   * The provider lists the models a key may use at GET /models: a launch names a model the key
   * cannot use before anything is sent (Moonshot: "指定的模型必须存在且用户有访问权限").
   */
  listsModels?: boolean;
  /**
   * The create body leaves out `endpoint`: Moonshot documents `{input_file_id, completion_window}`
   * (its batches are chat completions).
   */
  createWithoutEndpoint?: boolean;
  /** What the provider allows one account, where it documents it: one limiter per connection applies it (limiter.ts, launch). */
  rateLimits?: RateLimits;
  /** The provider keeps uploaded files that can be listed and deleted (/v1/files): the connection's files page. */
  files: boolean;
  /** Uploads and creates take expires_after / output_expires_after (OpenAI): files that delete themselves. */
  fileExpiry?: { minSeconds: number; maxSeconds: number };
  /**
   * Error codes of a failed request (Result.errorCode) that the same request meets again when it is
   * retried, each with why in a few words: the retry dialog warns about them and leaves them out by
   * default. Codes not listed may go either way (a 429, a 500, a timeout usually pass on a retry).
   */
  nonRetryable?: Record<string, string>;
}

/** Calls per minute per kind of call, and how many batches may be unfinished at once. */
export interface RateLimits {
  create?: number;
  retrieve?: number;
  list?: number;
  cancel?: number;
  /** Unfinished batches one account may have (Bailian: 1000). */
  maxUnfinished?: number;
  /** Unfinished batches of one model at once (Bailian's batch-test-model: 2). */
  maxUnfinishedPerModel?: Record<string, number>;
}

/**
 * How much the provider runs at once for an account, where its documents say: enqueued input
 * tokens per model by usage tier (OpenAI); with the unfinished batches of capabilities.rateLimits
 * (Bailian: 1000 tasks), the defaults of a connection's "Queue limits" (queue-limits.ts): what does
 * not fit waits in the queue.
 */
export interface QueueDefaults {
  tiers?: {
    names: string[];
    default: string;
    /** Per model, one value per tier name; null: not documented for that tier. */
    models: Record<string, (number | null)[]>;
    /** Where the numbers come from, shown beside the tier choice. */
    source: string;
  };
}

export interface ProviderProfile {
  kind: string;
  label: string;
  /** Base URLs to offer (regions); the first is the default. "builtin" is resolved at run time (sandbox). */
  baseUrls: { label: string; url: string }[];
  /** The purpose of the uploaded input file (input "file" only). */
  uploadPurpose?: string;
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
  capabilities: Capabilities;
  /** How much may run at once (queue-limits.ts); undefined: no limit known. */
  queue?: QueueDefaults;
  /** Creates answer 201 (the SDK accepts any 2xx). */
  createAnswers201?: boolean;
  /** Facts providers.md marks (?): defaults, to be confirmed against the live service. */
  uncertain?: string[];
  /** Whether the base URL and key are typed by the user. */
  custom: boolean;
  /** Built into Batchboard (the Sandbox): every team has one, nobody adds or removes it. */
  builtIn?: boolean;
  /** The sandbox mode that imitates this provider (imitations.ts), served at /api/sandbox/<mode>. */
  sandboxMode?: string;
  docsUrl?: string;
  /** A file endpoint the provider runs under another API, its requests converted (Anthropic: chat completions as Messages). */
  runsAs?: Record<string, string>;
  /** Said under the completion window in the launch form (Anthropic: fixed at 24 hours). */
  windowNote?: string;
  /** Said under the base URL of a custom kind in the add-connection form. */
  baseUrlHint?: string;
}

// ---------------------------------------------------------------------------------------------
// What most OpenAI-shaped profiles share

/** The Batch API's endpoints in OpenAI's spec (CreateBatchRequest.endpoint), chat first: the form's default. */
export const openaiEndpoints = [
  "/v1/chat/completions",
  "/v1/embeddings",
  "/v1/responses",
  "/v1/completions",
  "/v1/moderations",
  "/v1/images/generations",
  "/v1/images/edits",
  "/v1/videos",
];

/** OpenAI's metadata rules: 16 pairs, key <= 64, value <= 512 characters. Others follow them (?). */
export const openaiMetadata: MetadataRules = {
  maxPairs: 16,
  maxKeyLength: 64,
  maxValueLength: 512,
  nameKey: "name",
  nameMax: 512,
  descriptionKey: "description",
  descriptionMax: 512,
};

export const cursorList: BatchListing = { shape: "cursor", maxLimit: 100, filters: ["after", "limit"] };

/**
 * Failures of the OpenAI Batch API's requests that a retry of the same request meets again: the
 * content filter's and usage policy's refusals, and requests too long for the model.
 */
export const openaiNonRetryable: Record<string, string> = {
  content_filter: "refused by the provider's content filter",
  content_policy_violation: "refused under the provider's content policy",
  invalid_prompt: "flagged by the provider's usage policy",
  context_length_exceeded: "longer than the model's context (another model may take it)",
  string_above_max_length: "a text over the provider's length limit",
};

/** The capabilities of the OpenAI Batch API; a profile spreads them and says where its provider differs. */
export const openaiCapabilities: Capabilities = {
  protocol: "openai-batch",
  input: "file",
  partialResults: false,
  cancel: true,
  listBatches: cursorList,
  recoverByMetadata: true,
  split: true,
  files: true,
  listsModels: true,
  nonRetryable: openaiNonRetryable,
};

/** A connection as pages and messages name it: "Team OpenAI (OpenAI)", or once where the provider's label starts with its name ("Sandbox (built in)"). */
export function connectionLabel(name: string, providerLabel: string): string {
  return providerLabel.startsWith(name) ? providerLabel : `${name} (${providerLabel})`;
}
