// The contract between the batch engine (lib/batches/engine) and a provider: what the engine may ask
// of any provider, in its own words (RemoteBatch, ParsedResult, ProviderFailure), so that it imports
// no SDK and names no provider. One adapter per protocol (openai-compatible/, anthropic/), chosen by
// the profile's capabilities.protocol in adapters.ts; what differs between providers of one protocol
// is data on their profiles. An adapter is bound to one connection: its SDK client is made inside,
// with the decrypted key, and every call goes out through providerFetch (http.ts). Types only, and
// the one metadata key both sides must agree on.
import type { Prisma } from "@/lib/generated/prisma/client";
import type { BatchStatus } from "@/lib/generated/prisma/enums";
import type { ProviderProfile } from "./profile";

/** The metadata key that ties a provider batch back to our row (where the provider keeps metadata). */
export const BATCH_ID_METADATA_KEY = "batchboard_batch_id";

export type ProbeOutcome = "ok" | "auth" | "unreachable" | "http";

/** A connection test's answer, in plain words. */
export interface ProbeResult {
  ok: boolean;
  outcome: ProbeOutcome;
  message: string;
}

/**
 * A provider batch in our columns. Fields the provider omits stay undefined, so a sparse answer
 * never erases what an earlier one told us.
 */
export interface BatchFields {
  status: BatchStatus;
  rawStatus: string | null;
  providerBatchId: string;
  providerInputFileId?: string;
  /** The output file's id, or where the results are served (Anthropic: results_url). */
  outputFileId?: string;
  errorFileId?: string;
  errors?: Prisma.InputJsonValue;
  total?: number;
  completed?: number;
  failed?: number;
  providerCreatedAt?: Date;
  inProgressAt?: Date;
  finalizingAt?: Date;
  completedAt?: Date;
  failedAt?: Date;
  expiredAt?: Date;
  cancellingAt?: Date;
  cancelledAt?: Date;
  expiresAt?: Date;
}

/** One provider batch, as the engine sees it. */
export interface RemoteBatch {
  id: string;
  fields: BatchFields;
  /** 0..100 where the provider reports a percentage instead of request counts (Together). */
  progressPercent?: number;
  /** Our batch id, from the metadata a launch from Batchboard gave it. */
  ours?: string;
  /** From the metadata keys where the profile keeps a name and a description (ds_name on Bailian). */
  name: string | null;
  description: string | null;
  endpoint: string | null;
  completionWindow: string | null;
  /** Why its results can no longer be had (Anthropic archives a batch after 29 days); undefined: they can. */
  resultsGone?: string;
}

/** One line of a provider's results as a Result row. */
export interface ParsedResult {
  customId: string;
  succeeded: boolean;
  statusCode: number | null;
  providerRequestId: string | null;
  model: string | null;
  created: number | null;
  content: string | null;
  reasoningContent: string | null;
  finishReason: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  reasoningTokens: number | null;
  totalTokens: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** The provider's usage object as JSON text, in its own key order (the CSV export's "usage"). */
  usage: string | null;
  raw: Prisma.InputJsonValue;
}

/** A failed call, judged by the adapter that made it. */
export interface ProviderFailure {
  /** In words, for lastSyncError, messages and logs: never a raw body (failure.ts). */
  message: string;
  /** No answer in time, no connection at all, an HTTP answer, or anything else. */
  reason: "timeout" | "unreachable" | "http" | "other";
  status?: number;
  /** The provider's own words from a JSON error body. */
  said?: string;
  /** Worth another try: a rate limit, an overload, a server error, a broken connection. */
  retryable: boolean;
  /** How long the provider asked us to wait (Retry-After). */
  retryAfterMs?: number;
  /**
   * Whether a create may have made a batch: "no" (nothing left this machine, or the provider said it
   * did not take it), "maybe" (no clear answer: a timeout, a reset, a 5xx), "yes".
   */
  sent: "no" | "maybe" | "yes";
}

/** How the built input is framed: open + requests joined by separator + close. */
export interface InputFrame {
  /** The ending of the built file's name: the provider may see it (Moonshot wants ".jsonl"). */
  suffix: string;
  open: string;
  separator: string;
  close: string;
}

/** One stored request, as it is to be sent. */
export interface RequestLine {
  line: number;
  customId: string;
  endpoint: string;
  body: unknown;
}

/**
 * A request as the provider takes it (`text`, without separator), and why it cannot be sent. Where
 * the adapter refused the custom_id itself (`customIdRefused`), its words replace the profile's.
 */
export interface EncodedRequest {
  text?: string;
  problems: string[];
  customIdRefused?: boolean;
}

/** What a create sends: the built input, staged (`inputFileId`) or as the create's body (inline). */
export interface Submission {
  bodyFile: string;
  inputFileId?: string;
  endpoint: string;
  completionWindow: string;
  /** Sent only where the provider keeps metadata: the name, description and our id among them. */
  metadata: Record<string, string>;
}

/** Where a batch's results are read from. */
export interface ResultSource {
  /** Which offset column follows it (partial results): Batch.outputLinesRead or errorLinesRead. */
  slot: "output" | "error";
  id: string;
}

export interface ResultRead {
  lines: AsyncIterable<string>;
  /** The provider's own last line of a partial answer (X-Last-Line), where it says. */
  lastLine?: number;
}

/** The batch ids a result source is found from. */
export interface ResultRefs {
  providerBatchId: string | null;
  outputFileId: string | null;
  errorFileId: string | null;
}

export interface RemoteList {
  items: RemoteBatch[];
  pages: number;
  /** More batches than asked for exist: only the newest were listed. */
  truncated: boolean;
}

/** A batch's input file at the provider, to import its requests; or why there is none to read. */
export type RemoteInput = { name: string; content: ReadableStream<Uint8Array> } | { missing: string };

/** A file kept at the provider (the connection's files page). */
export interface RemoteFile {
  id: string;
  name: string | null;
  bytes: number | null;
  purpose: string | null;
  createdAt: Date | null;
  /** When the provider deletes it by itself, where it says. */
  expiresAt: Date | null;
}

export interface RemoteFileList {
  files: RemoteFile[];
  /** More files than listed exist: only the first were read. */
  truncated: boolean;
}

/** Timeouts and retries of one operation's calls (the SDKs' own retries: 0 where the engine retries itself). */
export interface CallOptions {
  maxRetries?: number;
  timeoutMs?: number;
}

/** What an adapter is given to speak to one connection's provider. */
export interface ConnectionTarget {
  kind: string;
  baseUrl: string;
  apiKey: string;
  profile: ProviderProfile;
  /** Files uploaded and written by a batch delete themselves after this long (capabilities.fileExpiry). */
  fileExpirySeconds?: number;
}

/** One connection's provider: every call the engine makes, and the reading of what it answers. */
export interface ProviderAdapter {
  readonly frame: InputFrame;
  encodeRequest(r: RequestLine): EncodedRequest;
  /** Uploads the built input (capabilities.input "file"); answers its id at the provider. */
  stageInput(path: string): Promise<string>;
  /** Best effort: deletes a staged input no batch will use (a refused launch). */
  discardInput(fileId: string): Promise<void>;
  /** One create call, no retry inside: the engine decides with classify(). */
  submit(s: Submission): Promise<RemoteBatch>;
  /** The batch a launch made, by our id in its metadata, among the latest (capabilities.recoverByMetadata). */
  findByOurId(batchId: string, scan?: number): Promise<RemoteBatch | undefined>;
  retrieve(id: string): Promise<RemoteBatch>;
  cancel(id: string): Promise<RemoteBatch>;
  resultSources(b: ResultRefs): ResultSource[];
  /** The ids of the models the key may use (GET /models), where the provider lists them (capabilities.listsModels). */
  models?(): Promise<string[]>;
  /** A source's lines, from line `from` on where the provider resumes (capabilities.partialResults). */
  readResults(source: ResultSource, from: number): Promise<ResultRead>;
  parseResultLine(line: string): ParsedResult | null;
  /** The account's batches, newest first, every page (to `max`), with the profile's filters. */
  list(query: Record<string, string>, opts: { pageSize?: number; max: number }): Promise<RemoteList>;
  /** The input file of a batch, for import (providers that keep one). */
  inputOf(remote: RemoteBatch): Promise<RemoteInput>;
  /** The files the provider keeps for this key, newest first, up to `max` (capabilities.files). */
  listFiles(max?: number): Promise<RemoteFileList>;
  /** Deletes one file at the provider; a file already gone is no error. */
  deleteFile(fileId: string): Promise<void>;
  classify(err: unknown): ProviderFailure;
}

/** A protocol's adapter: bound to a connection, or used for a connection test before one exists. */
export interface AdapterFactory {
  connect(target: ConnectionTarget, opts?: CallOptions): ProviderAdapter;
  /** A cheap authenticated call, and what happened in plain words. */
  probe(target: ConnectionTarget, timeoutMs: number): Promise<ProbeResult>;
}
