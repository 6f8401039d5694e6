// Checks a JSONL batch file on disk, line by line as a stream, against a provider's limits and the
// endpoint chosen for it. Only a map of custom_ids (for duplicates) and the first problems are
// held in memory, so a 200 MB file costs about as much as a small one.
// Bytes come first: a file that is not UTF-8 text at all (UTF-16, an image, a workbook: sniff.ts) is
// one problem, and so is a JSON array (json-array.ts, which offers to convert it); each line must be valid UTF-8 without a NUL, raw or escaped (\u0000), and without
// an unpaired surrogate escape, which PostgreSQL cannot store (lib/storable.ts). Nothing is decoded
// with replacement characters and called valid.
import { isUtf8 } from "node:buffer";
import crypto from "node:crypto";
import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import type { ProviderLimits } from "@/lib/providers/profile";
import type { FileSizeLimits } from "@/lib/providers/profiles";
import { findUnstorable, unstorableMessage } from "@/lib/storable";
import { formatBytes } from "./format";
import { bodyWarnings, embeddingInputCounter } from "./warnings";
import { readLines } from "./read-lines";
import { JSON_ARRAY_CODE, jsonArrayMessage, looksLikeJsonArray } from "./json-array";
import { notTextMessage, SNIFF_HEAD_BYTES, sniffBytes } from "./sniff";
import { JOB_NOTE_CODE, type Problem } from "./types";

export type { Problem };
export { formatBytes };

export const MAX_KEPT_PROBLEMS = 100;

/**
 * Every problem found, gathered for `hand` (when there is one) and handed over in a batch at each
 * handOver(): the caller awaits it between reads, so a slow store holds the reading back.
 */
export function problemBatches(hand?: (batch: Problem[]) => Promise<void>) {
  let found: Problem[] = [];
  return {
    add(p: Problem) {
      if (hand) found.push(p);
    },
    get size() {
      return found.length;
    },
    async handOver() {
      if (!hand || found.length === 0) return;
      const batch = found;
      found = [];
      await hand(batch);
    },
  };
}
/** The problem of a file that is not text (an image, a workbook, UTF-16: sniff.ts). */
export const NOT_TEXT_CODE = "not-text";

export type ValidationLimits = Pick<ProviderLimits, "maxRequests" | "maxFileBytes" | "maxLineBytes" | "maxCustomIdLength"> &
  Partial<Pick<ProviderLimits, "oneModelPerBatch" | "asciiCustomId" | "maxEmbeddingInputs" | "contextTokens">> & {
    /** Whose limits these are, for the messages ("Doubleword's"); none for the loosest defaults. */
    label?: string;
    /**
     * Where the target can split a file into a job of parts (profiles.ts jobLimitsFor): what the whole
     * file may hold. maxRequests and maxFileBytes are then one batch's, and a file over them is valid,
     * with a warning (JOB_NOTE_CODE) that it will be launched as a job of parts.
     */
    job?: FileSizeLimits | null;
  };

export { JOB_NOTE_CODE };

/** The request count and size a file is refused over: the job's where the target splits, else one batch's. */
export function fileLimitsOf(limits: ValidationLimits): FileSizeLimits {
  return limits.job ?? { maxRequests: limits.maxRequests, maxFileBytes: limits.maxFileBytes };
}

export interface ValidateOptions {
  limits: ValidationLimits;
  /** The endpoint the file is for: every line's url must equal it. */
  endpoint: string;
  /** Lines checked and bytes read so far; called about every `progressEvery` lines and once at the end. */
  onProgress?: (lines: number, bytes: number) => void;
  progressEvery?: number;
  signal?: AbortSignal;
  /** Compute the file's sha256 in the same pass (skip it when the upload already did). */
  sha256?: boolean;
  /** Every problem, not only the first MAX_KEPT_PROBLEMS: handed over in batches as they are found (problems.ts keeps them). */
  allProblems?: (batch: Problem[]) => Promise<void>;
  /** Each request checked while the file has no problem yet, to store it in the same pass (store.ts); awaited when it returns a promise. */
  onRequest?: (line: number, value: Record<string, unknown>) => Promise<void> | void;
}

export interface ValidationResult {
  valid: boolean;
  bytes: number;
  /** Every line of the file, blank ones included. */
  lineCount: number;
  /** Non-blank lines: each is a request (or was meant to be one). */
  requestCount: number;
  /** The distinct body.model values, sorted. */
  models: string[];
  /** The first MAX_KEPT_PROBLEMS, in line order. */
  problems: Problem[];
  /** All of them. */
  problemCount: number;
  /** What will likely fail without making the file unusable (warnings.ts): the first MAX_KEPT_PROBLEMS, in line order. */
  warnings: Problem[];
  warningCount: number;
  sha256?: string;
}

const fmt = (n: number) => n.toLocaleString("en-US");

function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  if (typeof v === "string") return "a string";
  if (typeof v === "number") return "a number";
  if (typeof v === "boolean") return "a boolean";
  return typeof v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function quote(s: string, max = 60) {
  return JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);
}

/** What each endpoint's body cannot do without, beyond the model. */
function checkBodyForEndpoint(endpoint: string, body: Record<string, unknown>, add: (field: string, message: string) => void) {
  if (endpoint === "/v1/chat/completions") {
    if (!("messages" in body)) add("body.messages", "body.messages is missing: a chat completion needs a list of messages");
    else if (!Array.isArray(body.messages)) add("body.messages", `body.messages must be an array of messages, not ${kindOf(body.messages)}`);
    else if (body.messages.length === 0) add("body.messages", "body.messages is empty: a chat completion needs at least one message");
  } else if (endpoint === "/v1/embeddings") {
    if (body.input === undefined || body.input === null) add("body.input", "body.input is missing: an embedding needs the text to embed");
  } else if (endpoint === "/v1/images/generations" || endpoint === "/v1/images/edits" || endpoint === "/v1/videos") {
    // CreateImageRequest, CreateImageEditRequest and CreateVideoBody all require a prompt.
    if (typeof body.prompt !== "string" || !body.prompt) add("body.prompt", `body.prompt is missing: ${endpoint === "/v1/videos" ? "a video" : "an image"} needs a text prompt`);
    if (endpoint === "/v1/images/edits" && body.image === undefined && body.images === undefined) add("body.image", "body.image is missing: an image edit needs the image to edit");
  }
}

/** The first SNIFF_HEAD_BYTES of a file. */
async function readHead(file: string): Promise<Buffer> {
  const fh = await fs.open(file, "r");
  try {
    const buf = Buffer.alloc(SNIFF_HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

async function sha256Of(file: string, signal?: AbortSignal): Promise<string> {
  const hash = crypto.createHash("sha256");
  for await (const chunk of createReadStream(file, { signal })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Where the first byte that is not UTF-8 is, in a line known to hold one ("byte 12 (0xE9)"). */
export function firstInvalidUtf8(b: Uint8Array): { at: number; byte: number } {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    const n = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (n === 0 || i + n > b.length || !isUtf8(b.subarray(i, i + n))) return { at: i, byte: c };
    i += n;
  }
  return { at: b.length, byte: 0 };
}

const MAYBE_UNSTORABLE = /\\u(?:0000|[dD][89a-fA-F])/;

const NUL_BYTE = "This line contains a NUL byte (0x00), which cannot be stored. Remove it.";

/**
 * How deep a line's arrays and objects may nest. No request a provider takes comes near it (OpenAI's
 * structured outputs allow 10 levels), and past a few thousand the code that stores, counts and
 * sends a body (JSON.stringify, PostgreSQL's jsonb) runs out of stack: refused as a problem of its line.
 */
export const MAX_NESTING = 512;

/** Whether a line's JSON nests arrays and objects deeper than `max` (brackets inside strings do not count). */
function nestsDeeper(text: Buffer, max: number): boolean {
  // Fewer brackets than that in all cannot nest so deep: most lines end here after a few memchr.
  let brackets = 0;
  for (const b of [0x5b, 0x7b]) for (let i = text.indexOf(b); i >= 0 && brackets <= max; i = text.indexOf(b, i + 1)) brackets++;
  if (brackets <= max) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

function invalidUtf8Message(text: Buffer) {
  const { at, byte } = firstInvalidUtf8(text);
  const hex = byte.toString(16).toUpperCase().padStart(2, "0");
  return `This line is not valid UTF-8 (its byte ${fmt(at + 1)} is 0x${hex}). Save the file as UTF-8: it was likely saved as Windows-1252, Latin-1 or GBK.`;
}

export async function validateJsonl(file: string, opts: ValidateOptions): Promise<ValidationResult> {
  const { limits, endpoint } = opts;
  const head = await readHead(file);
  const notText = notTextMessage(sniffBytes(head), "a JSONL file");
  if (notText || looksLikeJsonArray(head)) {
    // One problem says it all: every line of an image, a UTF-16 file or a pretty-printed array would be wrong the same way.
    const bytes = (await fs.stat(file)).size;
    opts.onProgress?.(0, bytes);
    const sha256 = opts.sha256 ? await sha256Of(file, opts.signal) : undefined;
    const problem: Problem = notText ? { line: 1, code: NOT_TEXT_CODE, message: notText } : { line: 1, code: JSON_ARRAY_CODE, message: jsonArrayMessage };
    return { valid: false, bytes, lineCount: 0, requestCount: 0, models: [], problems: [problem], problemCount: 1, warnings: [], warningCount: 0, sha256 };
  }
  const every = opts.progressEvery ?? 1000;
  const problems: Problem[] = [];
  let problemCount = 0;
  const found = problemBatches(opts.allProblems);
  const report = (p: Problem) => {
    problemCount++;
    if (problems.length < MAX_KEPT_PROBLEMS) problems.push(p);
    found.add(p);
  };
  const handOver = found.handOver;

  const warnings: Problem[] = [];
  let warningCount = 0;
  const warn = (p: Problem) => {
    warningCount++;
    if (warnings.length < MAX_KEPT_PROBLEMS) warnings.push(p);
  };
  // The job notes (at most two) are kept whatever else is warned about: they come first.
  const jobNotes: Problem[] = [];
  const noteJob = (p: Problem) => {
    warningCount++;
    jobNotes.push(p);
  };
  const embeddingInputs = embeddingInputCounter(endpoint, limits);

  const firstUse = new Map<string, number>();
  const models = new Set<string>();
  const whose = limits.label ? `${limits.label}'s ` : "the ";
  let firstModel: { model: string; line: number } | undefined;
  const hash = opts.sha256 ? crypto.createHash("sha256") : null;
  let lineCount = 0;
  let requestCount = 0;
  let sizeReported = false;
  let sizeNoted = false;
  const fileMax = fileLimitsOf(limits);

  for await (const { line, text, bytes, end } of readLines(file, {
    maxLineBytes: limits.maxLineBytes,
    signal: opts.signal,
    onChunk: hash ? (c) => hash.update(c) : undefined,
  })) {
    lineCount = line;
    if (line % every === 0) opts.onProgress?.(line, end);
    if (found.size >= 1000) await handOver();
    if (!sizeReported && end > fileMax.maxFileBytes) {
      sizeReported = true;
      if (limits.job) report({ line, message: `The file is over the ${formatBytes(fileMax.maxFileBytes)} limit for a file launched as a job of parts; it passes it on this line` });
      else report({ line, message: `The file is over the ${formatBytes(fileMax.maxFileBytes)} limit; it passes it on this line` });
    }
    if (limits.job && !sizeNoted && end > limits.maxFileBytes) {
      sizeNoted = true;
      const message = limits.label
        ? `The file passes ${limits.label}'s limit of ${formatBytes(limits.maxFileBytes)} per batch on this line: it will be launched as a job of parts`
        : `The file passes the ${formatBytes(limits.maxFileBytes)} any one provider takes in a batch on this line: it will be launched as a job of parts`;
      noteJob({ line, code: JOB_NOTE_CODE, message });
    }

    if (text === null) {
      requestCount++;
      report({ line, message: `This line is ${formatBytes(bytes)}, over ${whose}${formatBytes(limits.maxLineBytes)} limit for one request` });
      continue;
    }
    const raw = text.toString("utf8");
    if (raw.trim() === "") continue;
    requestCount++;
    if (requestCount === fileMax.maxRequests + 1) {
      if (limits.job) report({ line, message: `Too many requests: a file launched as a job of parts may hold at most ${fmt(fileMax.maxRequests)}; this is request ${fmt(requestCount)}` });
      else {
        const who = limits.label ? `${limits.label} takes` : "a file may hold";
        report({ line, message: `Too many requests: ${who} at most ${fmt(limits.maxRequests)}; this is request ${fmt(requestCount)}` });
      }
    }
    if (limits.job && requestCount === limits.maxRequests + 1) {
      const message = limits.label
        ? `This is request ${fmt(requestCount)}, over ${limits.label}'s limit of ${fmt(limits.maxRequests)} per batch: the file will be launched as a job of parts`
        : `This is request ${fmt(requestCount)}, over the ${fmt(limits.maxRequests)} requests any one provider takes in a batch: the file will be launched as a job of parts`;
      noteJob({ line, code: JOB_NOTE_CODE, message });
    }

    // memchr and simdutf: both far quicker than the JSON.parse that follows.
    if (text.includes(0)) {
      report({ line, message: NUL_BYTE });
      continue;
    }
    if (!isUtf8(text)) {
      report({ line, message: invalidUtf8Message(text) });
      continue;
    }

    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      report({ line, message: `This line is not valid JSON: ${(err as Error).message}` });
      continue;
    }
    if (nestsDeeper(text, MAX_NESTING)) {
      report({ line, message: `This line nests arrays and objects more than ${MAX_NESTING} levels deep, which no provider takes` });
      continue;
    }
    if (!isObject(value)) {
      report({ line, message: `Each line must be a JSON object like {"custom_id": ..., "method": "POST", ...}, not ${kindOf(value)}` });
      continue;
    }
    // Only an escape (\u0000, or a surrogate \ud800-\udfff) can hide what the bytes did not show:
    // look inside when there is one (a surrogate pair is fine; "\\u0000" is text).
    if (MAYBE_UNSTORABLE.test(raw)) {
      const bad = findUnstorable(value);
      if (bad) {
        report({ line, field: bad.path, message: `This line ${unstorableMessage(bad.what)}` });
        continue;
      }
    }
    const add = (field: string, message: string) => report({ line, field, message });

    const id = value.custom_id;
    if (id === undefined) add("custom_id", "custom_id is missing: every request needs a unique id");
    else if (typeof id !== "string") add("custom_id", `custom_id must be a string, not ${kindOf(id)}`);
    else if (id.length === 0) add("custom_id", "custom_id is empty");
    else {
      const max = limits.maxCustomIdLength;
      if (max !== undefined && id.length > max) add("custom_id", `custom_id is ${fmt(id.length)} characters, over ${whose}limit of ${fmt(max)}`);
      if (limits.asciiCustomId && !/^[\x20-\x7e]*$/.test(id)) add("custom_id", `custom_id must be plain ASCII for ${limits.label ?? "this provider"}`);
      const first = firstUse.get(id);
      if (first !== undefined) add("custom_id", `custom_id ${quote(id)} is used twice: first on line ${first}, again on line ${line}`);
      else firstUse.set(id, line);
    }

    if (value.method === undefined) add("method", 'method is missing: it must be "POST"');
    else if (value.method !== "POST") add("method", `method is ${JSON.stringify(value.method)}; it must be "POST"`);

    if (value.url === undefined) add("url", `url is missing: it must be ${quote(endpoint)}`);
    else if (value.url !== endpoint) {
      add("url", `url is ${typeof value.url === "string" ? quote(value.url) : kindOf(value.url)}, but this file is for ${quote(endpoint)}`);
    }

    const body = value.body;
    if (body === undefined) add("body", "body is missing: it holds the request (model, messages...)");
    else if (!isObject(body)) add("body", `body must be a JSON object, not ${kindOf(body)}`);
    else {
      const model = body.model;
      if (model === undefined) add("body.model", "body.model is missing");
      else if (typeof model !== "string") add("body.model", `body.model must be a string, not ${kindOf(model)}`);
      else if (model.trim() === "") add("body.model", "body.model is empty");
      else {
        models.add(model);
        if (!firstModel) firstModel = { model, line };
        else if (limits.oneModelPerBatch && model !== firstModel.model) {
          add("body.model", `${limits.label ?? "This provider"} takes one model per batch: ${quote(model)} differs from ${quote(firstModel.model)} on line ${firstModel.line}`);
        }
      }
      checkBodyForEndpoint(endpoint, body, add);
      for (const w of bodyWarnings(endpoint, body, limits)) warn({ line, ...w });
      const over = embeddingInputs(body);
      if (over) warn({ line, ...over });
    }
    if (opts.onRequest && problemCount === 0) {
      const stored = opts.onRequest(line, value);
      if (stored) await stored;
    }
  }

  // A missing file or an aborted read has already thrown; what is left is the file's own shape.
  const bytes = (await fs.stat(file)).size;
  if (!sizeReported && bytes > fileMax.maxFileBytes) {
    report({ line: Math.max(lineCount, 1), message: `The file is ${formatBytes(bytes)}, over the ${formatBytes(fileMax.maxFileBytes)} limit` });
  }
  if (requestCount === 0) {
    report({ line: 1, message: lineCount === 0 ? "The file is empty: it has no requests" : "The file has only blank lines: it has no requests" });
  }
  opts.onProgress?.(lineCount, bytes);
  await handOver();

  problems.sort((a, b) => a.line - b.line);
  return {
    valid: problemCount === 0,
    bytes,
    lineCount,
    requestCount,
    models: [...models].sort(),
    problems,
    problemCount,
    warnings: jobNotes.length ? [...jobNotes, ...warnings].slice(0, MAX_KEPT_PROBLEMS) : warnings,
    warningCount,
    sha256: hash?.digest("hex"),
  };
}
