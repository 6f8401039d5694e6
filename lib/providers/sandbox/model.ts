// The sandbox's deterministic test model (in the spirit of Bailian's `batch-test-model`) and the
// provider-format result lines built from its answers. Same input, same output, byte for byte:
// tests can assert exact content and concurrent finalizers write identical files.
import "server-only";
import crypto from "node:crypto";
import zlib from "node:zlib";

export const TEST_MODEL = "batch-test-model";
export const FAIL_MARKER = "[fail]";
const ANSWER = "This is a test result.";

type Json = Record<string, unknown>;

export function digest(s: string) {
  return crypto.createHash("sha256").update(s).digest("hex");
}

/** A short alphanumeric id derived from a seed (or random), in the style of OpenAI's ids. */
export function makeId(prefix: string, seed?: string) {
  const raw = seed === undefined ? crypto.randomBytes(18) : Buffer.from(digest(seed), "hex");
  return prefix + raw.toString("base64url").replace(/[-_]/g, "").slice(0, 24);
}

const tokens = (s: string) => Math.max(1, Math.ceil(s.length / 4));

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((p) => (typeof p === "string" ? p : typeof (p as Json)?.text === "string" ? ((p as Json).text as string) : ""))
      .join(" ");
  }
  return "";
}

/** The prompt as a person would read it: the last user message, or the input. */
export function promptOf(body: Json): string {
  if (Array.isArray(body.messages)) {
    const msgs = body.messages as Json[];
    const user = [...msgs].reverse().find((m) => m?.role === "user") ?? msgs[msgs.length - 1];
    return textOf(user?.content);
  }
  if (Array.isArray(body.input)) {
    const items = body.input as unknown[];
    const last = items[items.length - 1];
    return typeof last === "string" ? last : textOf((last as Json)?.content);
  }
  if (typeof body.input === "string") return body.input;
  if (typeof body.prompt === "string") return body.prompt;
  return "";
}

/** Whether a request asks to fail: "[fail]" anywhere in its messages, input or prompt. */
export function asksToFail(body: Json) {
  return [body.messages, body.input, body.prompt].some((v) => v !== undefined && JSON.stringify(v).includes(FAIL_MARKER));
}

function echo(prompt: string) {
  const flat = prompt.replace(/\s+/g, " ").trim();
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}

export interface AnswerContext {
  /** Seeds ids so that they are stable: e.g. batch id + custom_id. */
  seed: string;
  /** 0-based position of the request; every 5th one "reasons". */
  index: number;
  /** Unix seconds. */
  created: number;
}

export function chatCompletion(body: Json, ctx: AnswerContext, fixed = false): Json {
  const prompt = promptOf(body);
  // Bailian's batch-test-model answers exactly "This is a test result." (its document's result file).
  const content = fixed ? ANSWER : `${ANSWER} You said: "${echo(prompt)}"`;
  const reasoning = !fixed && ctx.index % 5 === 4 ? `The user wrote ${prompt.length} characters; a test result is the answer.` : null;
  const promptTokens = tokens(JSON.stringify(body.messages ?? prompt));
  const reasoningTokens = reasoning ? tokens(reasoning) : 0;
  const completionTokens = tokens(content) + reasoningTokens;
  return {
    id: makeId("chatcmpl-", ctx.seed),
    object: "chat.completion",
    created: ctx.created,
    model: typeof body.model === "string" ? body.model : TEST_MODEL,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content, ...(reasoning ? { reasoning_content: reasoning } : {}) },
        logprobs: null,
        finish_reason: "stop",
      },
    ],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      ...(reasoning ? { completion_tokens_details: { reasoning_tokens: reasoningTokens } } : {}),
    },
    system_fingerprint: null,
  };
}

/** A small (8 numbers) unit vector per input, seeded by its text. */
export function embeddings(body: Json): Json {
  const inputs = Array.isArray(body.input) ? (body.input as unknown[]) : [body.input ?? ""];
  const data = inputs.map((input, index) => {
    const bytes = Buffer.from(digest(JSON.stringify(input)), "hex");
    const v = Array.from({ length: 8 }, (_, i) => bytes.readInt16BE(i * 2) / 32768);
    const norm = Math.hypot(...v) || 1;
    const embedding = v.map((x) => Math.round((x / norm) * 1e6) / 1e6);
    // The openai SDK asks for base64 (little-endian float32) unless told otherwise.
    if (body.encoding_format === "base64") {
      return { object: "embedding", index, embedding: Buffer.from(new Float32Array(embedding).buffer).toString("base64") };
    }
    return { object: "embedding", index, embedding };
  });
  const promptTokens = inputs.reduce<number>((n, i) => n + tokens(typeof i === "string" ? i : JSON.stringify(i)), 0);
  return {
    object: "list",
    data,
    model: typeof body.model === "string" ? body.model : TEST_MODEL,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}

export function response(body: Json, ctx: AnswerContext): Json {
  const prompt = promptOf(body);
  const text = `${ANSWER} You said: "${echo(prompt)}"`;
  const reasoningTokens = ctx.index % 5 === 4 ? tokens(prompt) : 0;
  const inputTokens = tokens(JSON.stringify(body.input ?? ""));
  const outputTokens = tokens(text) + reasoningTokens;
  return {
    id: makeId("resp_", ctx.seed),
    object: "response",
    created_at: ctx.created,
    status: "completed",
    model: typeof body.model === "string" ? body.model : TEST_MODEL,
    output: [
      {
        type: "message",
        id: makeId("msg_", ctx.seed),
        status: "completed",
        role: "assistant",
        content: [{ type: "output_text", text, annotations: [] }],
      },
    ],
    usage: {
      input_tokens: inputTokens,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: outputTokens,
      output_tokens_details: { reasoning_tokens: reasoningTokens },
      total_tokens: inputTokens + outputTokens,
    },
  };
}

/** A legacy completion (/v1/completions): CreateCompletionResponse. */
export function completion(body: Json, ctx: AnswerContext): Json {
  const prompt = promptOf(body);
  const text = `${ANSWER} You said: "${echo(prompt)}"`;
  const promptTokens = tokens(prompt);
  const completionTokens = tokens(text);
  return {
    id: makeId("cmpl-", ctx.seed),
    object: "text_completion",
    created: ctx.created,
    model: typeof body.model === "string" ? body.model : TEST_MODEL,
    choices: [{ text, index: 0, logprobs: null, finish_reason: "stop" }],
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
  };
}

const MODERATION_CATEGORIES = ["harassment", "hate", "illicit", "self-harm", "sexual", "violence"];

/** A moderation (/v1/moderations): CreateModerationResponse, nothing flagged. */
export function moderation(body: Json, ctx: AnswerContext): Json {
  const inputs = Array.isArray(body.input) ? (body.input as unknown[]) : [body.input ?? ""];
  return {
    id: makeId("modr-", ctx.seed),
    model: typeof body.model === "string" ? body.model : "omni-moderation-latest",
    results: inputs.map(() => ({
      flagged: false,
      categories: Object.fromEntries(MODERATION_CATEGORIES.map((c) => [c, false])),
      category_scores: Object.fromEntries(MODERATION_CATEGORIES.map((c) => [c, 0.0001])),
    })),
  };
}

/** A tiny PNG (16x16, one colour from the seed), base64: the test model's picture. */
export function testPng(seed: string): string {
  const [r, g, b] = Buffer.from(digest(seed), "hex");
  const size = 16;
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(size * 3, Buffer.from([r, g, b]))]);
  const raw = Buffer.concat(Array.from({ length: size }, () => row));
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", zlib.deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
  return png.toString("base64");
}

/** Images (/v1/images/generations, /v1/images/edits): ImagesResponse with b64_json, as gpt-image-1 answers. */
export function images(body: Json, ctx: AnswerContext): Json {
  const n = Number.isInteger(body.n) && (body.n as number) > 0 ? Math.min(body.n as number, 4) : 1;
  const inputTokens = tokens(promptOf(body));
  return {
    created: ctx.created,
    data: Array.from({ length: n }, (_, i) => ({ b64_json: testPng(`${ctx.seed}:${i}`) })),
    usage: { input_tokens: inputTokens, output_tokens: 272 * n, total_tokens: inputTokens + 272 * n, input_tokens_details: { text_tokens: inputTokens, image_tokens: 0 } },
  };
}

/** A video job (/v1/videos): VideoResource, completed. */
export function video(body: Json, ctx: AnswerContext): Json {
  return {
    id: makeId("video_", ctx.seed),
    object: "video",
    model: typeof body.model === "string" ? body.model : "sora-2",
    status: "completed",
    progress: 100,
    created_at: ctx.created,
    completed_at: ctx.created,
    expires_at: ctx.created + 86_400,
    prompt: promptOf(body),
    size: typeof body.size === "string" ? body.size : "720x1280",
    seconds: typeof body.seconds === "string" ? body.seconds : "4",
    remixed_from_video_id: null,
    error: null,
  };
}

export function answer(endpoint: string, body: Json, ctx: AnswerContext): Json {
  if (endpoint === "/v1/embeddings") return embeddings(body);
  if (endpoint === "/v1/responses") return response(body, ctx);
  if (endpoint === "/v1/completions") return completion(body, ctx);
  if (endpoint === "/v1/moderations") return moderation(body, ctx);
  if (endpoint === "/v1/images/generations" || endpoint === "/v1/images/edits") return images(body, ctx);
  if (endpoint === "/v1/videos") return video(body, ctx);
  return chatCompletion(body, ctx, endpoint === "/v1/chat/ds-test");
}

export const INAPPROPRIATE = {
  code: "data_inspection_failed",
  message: "Input data may contain inappropriate content.",
};
export const EXPIRED = {
  code: "batch_expired",
  message: "This request could not be executed before the completion window expired.",
};

/** One line of an output file: a request that succeeded. */
export function outputLine(batchId: string, customId: string, endpoint: string, body: Json, ctx: AnswerContext) {
  return JSON.stringify({
    id: makeId("batch_req_", `${batchId}:${customId}`),
    custom_id: customId,
    response: { status_code: 200, request_id: makeId("req_", ctx.seed), body: answer(endpoint, body, ctx) },
    error: null,
  });
}

/** One line of an error file: a request that failed (400 from the model) or never ran (expired). */
export function errorLine(batchId: string, customId: string, kind: "failed" | "expired") {
  const seed = `${batchId}:${customId}`;
  const err = kind === "failed" ? INAPPROPRIATE : EXPIRED;
  return JSON.stringify({
    id: makeId("batch_req_", seed),
    custom_id: customId,
    response:
      kind === "failed"
        ? {
            status_code: 400,
            request_id: makeId("req_", seed),
            body: { error: { ...err, param: null, type: "invalid_request_error" } },
          }
        : null,
    error: err,
  });
}

/** A seeded pseudo-random generator (mulberry32): the same batch shuffles the same way. */
export function seededRandom(seed: string) {
  let a = Buffer.from(digest(seed), "hex").readUInt32BE(0);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Providers do not keep input order. A windowed shuffle: items leave in a scrambled order while
 * at most `window` are held in memory, so a 50,000-line batch never sits in memory whole.
 */
export async function* shuffled<T>(items: AsyncIterable<T>, seed: string, window = 256): AsyncGenerator<T> {
  const rand = seededRandom(seed);
  const held: T[] = [];
  const takeOne = () => {
    const i = Math.floor(rand() * held.length);
    const item = held[i];
    held[i] = held[held.length - 1];
    held.pop();
    return item;
  };
  for await (const item of items) {
    held.push(item);
    if (held.length >= window) yield takeOne();
  }
  while (held.length) yield takeOne();
}
