// Checks a JSONL batch file on disk, line by line as a stream, against a provider's limits and the
// endpoint chosen for it. Only a map of custom_ids (for duplicates) and the first problems are
// held in memory, so a 200 MB file costs about as much as a small one.
import crypto from "node:crypto";
import fs from "node:fs/promises";
import type { ProviderLimits } from "@/lib/providers/registry";
import { formatBytes } from "./format";
import { readLines } from "./read-lines";
import type { Problem } from "./types";

export type { Problem };
export { formatBytes };

export const MAX_KEPT_PROBLEMS = 100;

export type ValidationLimits = Pick<ProviderLimits, "maxRequests" | "maxFileBytes" | "maxLineBytes" | "maxCustomIdLength"> &
  Partial<Pick<ProviderLimits, "oneModelPerBatch" | "asciiCustomId">> & {
    /** Whose limits these are, for the messages ("Doubleword's"); none for the loosest defaults. */
    label?: string;
  };

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
  }
}

export async function validateJsonl(file: string, opts: ValidateOptions): Promise<ValidationResult> {
  const { limits, endpoint } = opts;
  const every = opts.progressEvery ?? 1000;
  const problems: Problem[] = [];
  let problemCount = 0;
  const report = (p: Problem) => {
    problemCount++;
    if (problems.length < MAX_KEPT_PROBLEMS) problems.push(p);
  };

  const firstUse = new Map<string, number>();
  const models = new Set<string>();
  const whose = limits.label ? `${limits.label}'s ` : "the ";
  let firstModel: { model: string; line: number } | undefined;
  const hash = opts.sha256 ? crypto.createHash("sha256") : null;
  let lineCount = 0;
  let requestCount = 0;
  let sizeReported = false;

  for await (const { line, text, bytes, end } of readLines(file, {
    maxLineBytes: limits.maxLineBytes,
    signal: opts.signal,
    onChunk: hash ? (c) => hash.update(c) : undefined,
  })) {
    lineCount = line;
    if (line % every === 0) opts.onProgress?.(line, end);
    if (!sizeReported && end > limits.maxFileBytes) {
      sizeReported = true;
      report({ line, message: `The file is over the ${formatBytes(limits.maxFileBytes)} limit; it passes it on this line` });
    }

    if (text === null) {
      requestCount++;
      report({ line, message: `This line is ${formatBytes(bytes)}, over ${whose}${formatBytes(limits.maxLineBytes)} limit for one request` });
      continue;
    }
    const raw = text.toString("utf8");
    if (raw.trim() === "") continue;
    requestCount++;
    if (requestCount === limits.maxRequests + 1) {
      const who = limits.label ? `${limits.label} takes` : "a file may hold";
      report({ line, message: `Too many requests: ${who} at most ${fmt(limits.maxRequests)}; this is request ${fmt(requestCount)}` });
    }

    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      report({ line, message: `This line is not valid JSON: ${(err as Error).message}` });
      continue;
    }
    if (!isObject(value)) {
      report({ line, message: `Each line must be a JSON object like {"custom_id": ..., "method": "POST", ...}, not ${kindOf(value)}` });
      continue;
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
    }
  }

  // A missing file or an aborted read has already thrown; what is left is the file's own shape.
  const bytes = (await fs.stat(file)).size;
  if (!sizeReported && bytes > limits.maxFileBytes) {
    report({ line: Math.max(lineCount, 1), message: `The file is ${formatBytes(bytes)}, over the ${formatBytes(limits.maxFileBytes)} limit` });
  }
  if (requestCount === 0) {
    report({ line: 1, message: lineCount === 0 ? "The file is empty: it has no requests" : "The file has only blank lines: it has no requests" });
  }
  opts.onProgress?.(lineCount, bytes);

  problems.sort((a, b) => a.line - b.line);
  return {
    valid: problemCount === 0,
    bytes,
    lineCount,
    requestCount,
    models: [...models].sort(),
    problems,
    problemCount,
    sha256: hash?.digest("hex"),
  };
}
