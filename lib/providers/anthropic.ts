// Anthropic Message Batches, the pure half of the adapter: an uploaded OpenAI chat-completions body
// as Messages `params`, Anthropic's batch object as our columns, and one line of its results file as
// a Result row. No I/O, so every rule here is unit-tested (anthropic.test.ts); the HTTP half is
// anthropic-client.ts and lib/batches/anthropic.ts.
import type { MessageBatch, MessageBatchIndividualResponse } from "@anthropic-ai/sdk/resources/messages/batches";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { BatchStatus } from "@/lib/generated/prisma/enums";
import type { ParsedResult } from "@/lib/batches/engine/ingest";

/** Used when a body names neither max_tokens nor max_completion_tokens (Anthropic requires one). */
export const DEFAULT_MAX_TOKENS = 4096;

/** Anthropic's custom_id rule. */
export const CUSTOM_ID_RULE = /^[a-zA-Z0-9_-]{1,64}$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export type Converted = { params: Obj; problems?: undefined } | { params?: undefined; problems: string[] };

/** Fields of a chat-completions body that are harmless to drop (they change nothing in a batch answer). */
const DROPPED = new Set(["store", "stream_options", "parallel_tool_calls", "service_tier", "seed"]);
/** Messages fields a file written for Anthropic may carry already: passed as they are. */
const NATIVE = new Set(["top_k", "thinking", "stop_sequences", "metadata"]);

function textOfParts(content: unknown, where: string, problems: string[]): string | null {
  if (typeof content === "string") return content;
  if (Array.isArray(content) && content.every((p) => isObj(p) && p.type === "text" && typeof p.text === "string")) {
    return content.map((p) => (p as { text: string }).text).join("\n");
  }
  problems.push(`${where} must be text (a string or text parts)`);
  return null;
}

/** One content part of a user or assistant message as an Anthropic content block. */
function blockOf(part: unknown, where: string, problems: string[]): Obj | null {
  if (!isObj(part)) {
    problems.push(`${where} is not an object`);
    return null;
  }
  if (part.type === "text" && typeof part.text === "string") return { type: "text", text: part.text };
  if (part.type === "image_url") {
    const url = isObj(part.image_url) ? part.image_url.url : part.image_url;
    if (typeof url === "string") {
      const m = /^data:(image\/(?:png|jpeg|gif|webp));base64,(.+)$/s.exec(url);
      if (m) return { type: "image", source: { type: "base64", media_type: m[1], data: m[2] } };
      if (/^https?:\/\//.test(url)) return { type: "image", source: { type: "url", url } };
    }
    problems.push(`${where}: an image must be an http(s) URL or a base64 data URL of a PNG, JPEG, GIF or WebP image`);
    return null;
  }
  problems.push(`${where} has type ${JSON.stringify(part.type)}, which cannot be converted (text and image_url can)`);
  return null;
}

/**
 * An OpenAI chat-completions body as Anthropic Messages params: system and developer messages go to
 * `system`, max_tokens is max_completion_tokens ?? max_tokens ?? DEFAULT_MAX_TOKENS, `stop` becomes
 * `stop_sequences`, `user` becomes `metadata.user_id`. Anything with no Anthropic equivalent (tools,
 * response_format, n > 1, temperature over 1...) is a problem rather than silently dropped: the
 * answer would not be what the file asked for.
 */
export function toAnthropicParams(body: unknown): Converted {
  const problems: string[] = [];
  if (!isObj(body)) return { problems: ["the body is not a JSON object"] };
  const params: Obj = {};
  const system: string[] = [];
  const messages: Obj[] = [];

  if (typeof body.model !== "string" || !body.model) problems.push("body.model is missing");
  else params.model = body.model;

  if (!Array.isArray(body.messages) || body.messages.length === 0) problems.push("body.messages must be a non-empty list");
  else {
    body.messages.forEach((m, i) => {
      const where = `messages[${i}]`;
      if (!isObj(m)) return problems.push(`${where} is not an object`);
      if (m.role === "system" || m.role === "developer") {
        const t = textOfParts(m.content, `${where}.content (${m.role})`, problems);
        if (t !== null) system.push(t);
      } else if (m.role === "user" || m.role === "assistant") {
        if (m.tool_calls !== undefined || m.function_call !== undefined) return problems.push(`${where} has tool calls, which are not converted`);
        if (typeof m.content === "string") messages.push({ role: m.role, content: m.content });
        else if (Array.isArray(m.content)) {
          const blocks = m.content.map((p, j) => blockOf(p, `${where}.content[${j}]`, problems)).filter((b): b is Obj => b !== null);
          messages.push({ role: m.role, content: blocks });
        } else problems.push(`${where}.content is missing`);
      } else problems.push(`${where} has role ${JSON.stringify(m.role)}, which cannot be converted (system, developer, user and assistant can)`);
    });
    if (!problems.length && messages.length === 0) problems.push("body.messages has no user or assistant message");
  }
  if (typeof body.system === "string") system.unshift(body.system); // already Anthropic's field
  if (system.length) params.system = system.join("\n\n");
  params.messages = messages;

  const maxTokens = body.max_completion_tokens ?? body.max_tokens ?? DEFAULT_MAX_TOKENS;
  if (!Number.isInteger(maxTokens) || (maxTokens as number) < 1) problems.push(`max_tokens must be a whole number of at least 1 (it is ${JSON.stringify(maxTokens)})`);
  else params.max_tokens = maxTokens;

  if (body.temperature !== undefined && body.temperature !== null) {
    const t = body.temperature;
    if (typeof t !== "number" || t < 0 || t > 1) problems.push(`temperature is ${JSON.stringify(t)}; Anthropic takes 0 to 1`);
    else params.temperature = t;
  }
  if (body.top_p !== undefined && body.top_p !== null) params.top_p = body.top_p;
  if (body.stop !== undefined && body.stop !== null) {
    const stops = typeof body.stop === "string" ? [body.stop] : body.stop;
    if (!Array.isArray(stops) || !stops.every((s) => typeof s === "string")) problems.push("stop must be a string or a list of strings");
    else params.stop_sequences = stops;
  }
  if (typeof body.user === "string" && body.user) params.metadata = { user_id: body.user };
  if (body.n !== undefined && body.n !== null && body.n !== 1) problems.push(`n is ${JSON.stringify(body.n)}; Anthropic answers once per request`);
  if (body.stream === true) problems.push("stream must not be true in a batch");

  const handled = new Set(["model", "messages", "system", "max_tokens", "max_completion_tokens", "temperature", "top_p", "stop", "user", "n", "stream"]);
  const unknown: string[] = [];
  for (const [k, v] of Object.entries(body)) {
    if (handled.has(k) || DROPPED.has(k) || v === null) continue;
    if (NATIVE.has(k)) params[k] = v;
    else unknown.push(k);
  }
  if (unknown.length) problems.push(`${unknown.join(", ")} ${unknown.length === 1 ? "has" : "have"} no Anthropic equivalent here; remove ${unknown.length === 1 ? "it" : "them"}`);

  return problems.length ? { problems } : { params };
}

/** A custom_id Anthropic would refuse, in words; null when it is fine. */
export function customIdProblem(customId: string): string | null {
  return CUSTOM_ID_RULE.test(customId) ? null : `custom_id "${customId.slice(0, 70)}" must be 1 to 64 characters of letters, digits, "-" and "_" for Anthropic`;
}

// ---------------------------------------------------------------------------------------------
// The batch object

const stamp = (v: string | null | undefined) => {
  if (!v) return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : new Date(t);
};

/**
 * Our status for an Anthropic batch. `ended` says only that processing is over: it was cancelled
 * if a cancel was initiated, expired if requests ran out of time, completed otherwise.
 */
export function anthropicStatus(b: Pick<MessageBatch, "processing_status" | "cancel_initiated_at" | "request_counts">): BatchStatus {
  if (b.processing_status === "in_progress") return "IN_PROGRESS";
  if (b.processing_status === "canceling") return "CANCELLING";
  if (b.processing_status === "ended") {
    if (b.cancel_initiated_at) return "CANCELLED";
    if ((b.request_counts?.expired ?? 0) > 0) return "EXPIRED";
    return "COMPLETED";
  }
  return "VALIDATING";
}

/** Our columns from an Anthropic batch object (RFC 3339 timestamps); the results URL goes in outputFileId. */
export function anthropicFields(b: MessageBatch) {
  const c = b.request_counts;
  const status = anthropicStatus(b);
  const ended = stamp(b.ended_at);
  const total = c ? c.processing + c.succeeded + c.errored + c.canceled + c.expired : undefined;
  return {
    status,
    rawStatus: b.processing_status ?? null,
    providerBatchId: b.id,
    outputFileId: b.results_url || undefined,
    total,
    completed: c?.succeeded,
    failed: c ? c.errored + c.canceled + c.expired : undefined,
    providerCreatedAt: stamp(b.created_at),
    // Anthropic starts a batch at once: it is in progress from its creation.
    inProgressAt: stamp(b.created_at),
    expiresAt: stamp(b.expires_at),
    cancellingAt: stamp(b.cancel_initiated_at),
    completedAt: status === "COMPLETED" ? ended : undefined,
    expiredAt: status === "EXPIRED" ? ended : undefined,
    cancelledAt: status === "CANCELLED" ? ended : undefined,
  } satisfies Prisma.BatchUpdateInput;
}

// ---------------------------------------------------------------------------------------------
// Results

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const int = (v: unknown): number | null => (typeof v === "number" && Number.isInteger(v) && Math.abs(v) <= 2_147_483_647 ? v : null);

const NOT_RUN: Record<string, string> = {
  canceled: "The batch was canceled before this request ran.",
  expired: "The batch's 24 hours ran out before this request ran.",
};

/** One line of Anthropic's results JSONL as a Result row; null when it has no custom_id or no JSON. */
export function parseAnthropicResultLine(line: string): ParsedResult | null {
  const text = line.trim();
  if (!text) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObj(parsed) || typeof parsed.custom_id !== "string" || !parsed.custom_id) return null;
  const r = parsed as unknown as MessageBatchIndividualResponse;
  const result = isObj(r.result) ? (r.result as Obj) : {};
  const base: ParsedResult = {
    customId: r.custom_id,
    succeeded: false,
    statusCode: null,
    providerRequestId: null,
    model: null,
    created: null,
    content: null,
    reasoningContent: null,
    finishReason: null,
    promptTokens: null,
    completionTokens: null,
    reasoningTokens: null,
    totalTokens: null,
    errorCode: null,
    errorMessage: null,
    usage: null,
    raw: parsed as Prisma.InputJsonValue,
  };
  if (result.type === "succeeded" && isObj(result.message)) {
    const m = result.message;
    const blocks = Array.isArray(m.content) ? m.content.filter(isObj) : [];
    const texts = blocks.filter((b) => b.type === "text").map((b) => str(b.text) ?? "");
    const thinking = blocks.filter((b) => b.type === "thinking").map((b) => str(b.thinking) ?? "");
    const usage = isObj(m.usage) ? m.usage : null;
    const input = usage ? int(usage.input_tokens) : null;
    const output = usage ? int(usage.output_tokens) : null;
    return {
      ...base,
      succeeded: true,
      statusCode: 200,
      providerRequestId: str(m.id),
      model: str(m.model),
      content: texts.length ? texts.join("") : null,
      reasoningContent: thinking.length ? thinking.join("\n") : null,
      finishReason: str(m.stop_reason),
      promptTokens: input,
      completionTokens: output,
      totalTokens: input !== null && output !== null ? input + output : null,
      usage: usage ? JSON.stringify(usage) : null,
    };
  }
  if (result.type === "errored") {
    // { type: "errored", error: { type: "error", error: { type, message }, request_id } }
    const outer = isObj(result.error) ? result.error : {};
    const inner = isObj(outer.error) ? outer.error : outer;
    return {
      ...base,
      providerRequestId: str(outer.request_id),
      errorCode: str(inner.type) ?? "errored",
      errorMessage: str(inner.message) ?? "Anthropic reported an error for this request.",
    };
  }
  const type = str(result.type) ?? "unknown";
  return { ...base, errorCode: type, errorMessage: NOT_RUN[type] ?? `Anthropic reported the result type ${JSON.stringify(type)}.` };
}
