// One line of an OpenAI-shaped output or error file as a Result row: chat completions, text
// completions, embeddings and the Responses API, success or error, with reasoning and usage where
// the provider gives them. Pure: no I/O, so every shape is unit-tested (results.test.ts).
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ParsedResult } from "@/lib/providers/adapter";

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" ? v : typeof v === "number" ? String(v) : null);
/** Int columns are 32-bit: anything else (or a float) is not a count we can trust. */
const int = (v: unknown): number | null =>
  typeof v === "number" && Number.isInteger(v) && Math.abs(v) <= 2_147_483_647 ? v : null;

/** PostgreSQL text and jsonb refuse NUL characters; a model may still produce one. */
function withoutNul<T>(v: T): T {
  if (typeof v === "string") return (v.includes("\u0000") ? v.replaceAll("\u0000", "") : v) as T;
  if (Array.isArray(v)) return v.map(withoutNul) as T;
  if (isObj(v)) {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) out[withoutNul(k)] = withoutNul(x);
    return out as T;
  }
  return v;
}

/** Message content may be a string or (some providers, the Responses API) a list of parts. */
function textOf(v: unknown): string | null {
  if (typeof v === "string") return v;
  if (!Array.isArray(v)) return null;
  const parts = v
    .map((p) => (typeof p === "string" ? p : isObj(p) ? (str(p.text) ?? (isObj(p.text) ? str(p.text.value) : null)) : null))
    .filter((x): x is string => x !== null);
  return parts.length ? parts.join("") : null;
}

function answerOf(body: Obj): { content: string | null; reasoning: string | null; finish: string | null } {
  // chat.completion and text completion
  const choice = Array.isArray(body.choices) && isObj(body.choices[0]) ? body.choices[0] : null;
  if (choice) {
    const message = isObj(choice.message) ? choice.message : null;
    return {
      content: message ? textOf(message.content) : str(choice.text),
      reasoning: message ? (str(message.reasoning_content) ?? str(message.reasoning)) : null,
      finish: str(choice.finish_reason),
    };
  }
  // Responses API: output items of type "message" (output_text parts) and "reasoning" (summary)
  if (Array.isArray(body.output)) {
    const items = body.output.filter(isObj);
    const content = str(body.output_text) ?? textOf(items.filter((i) => i.type === "message").flatMap((i) => (Array.isArray(i.content) ? i.content : [])));
    const reasoning = textOf(items.filter((i) => i.type === "reasoning").flatMap((i) => (Array.isArray(i.summary) ? i.summary : [])));
    return { content, reasoning, finish: str(body.status) };
  }
  return { content: null, reasoning: null, finish: null };
}

/**
 * One line of a provider's output or error file as a Result row, or null when the line is blank
 * or has no custom_id to match it by. Pure: the bench and other code use it too.
 */
export function parseResultLine(line: string): ParsedResult | null {
  const text = line.trim();
  if (!text) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObj(parsed)) return null;
  // JSON text carries a NUL only as the escape \u0000: without one, nothing needs the deep copy.
  const raw = text.includes("\\u0000") ? withoutNul(parsed) : parsed;
  const customId = str(raw.custom_id);
  if (!customId) return null;

  const response = isObj(raw.response) ? raw.response : null;
  const body = response && isObj(response.body) ? response.body : null;
  const statusCode = response ? int(response.status_code) : null;
  const lineError = isObj(raw.error) ? raw.error : null;
  const bodyError = body && isObj(body.error) ? body.error : null;
  const err = lineError ?? bodyError;

  const usage = body && isObj(body.usage) ? body.usage : null;
  const details = usage && (isObj(usage.completion_tokens_details) ? usage.completion_tokens_details : isObj(usage.output_tokens_details) ? usage.output_tokens_details : null);
  const answer = body && !bodyError ? answerOf(body) : { content: null, reasoning: null, finish: null };

  const httpOk = statusCode === null ? response !== null : statusCode >= 200 && statusCode < 300;
  const succeeded = !err && httpOk && body !== null;
  let errorMessage = err ? (str(err.message) ?? JSON.stringify(err)) : null;
  if (!succeeded && !errorMessage) errorMessage = statusCode ? `The provider answered HTTP ${statusCode}.` : "The provider returned no response for this request.";

  return {
    customId,
    succeeded,
    statusCode,
    providerRequestId: response ? str(response.request_id) : null,
    model: body ? str(body.model) : null,
    created: body ? (int(body.created) ?? int(body.created_at)) : null,
    content: answer.content,
    reasoningContent: answer.reasoning,
    finishReason: answer.finish,
    promptTokens: usage ? (int(usage.prompt_tokens) ?? int(usage.input_tokens)) : null,
    completionTokens: usage ? (int(usage.completion_tokens) ?? int(usage.output_tokens)) : null,
    reasoningTokens: details ? int(details.reasoning_tokens) : null,
    totalTokens: usage ? int(usage.total_tokens) : null,
    errorCode: err ? (str(err.code) ?? str(err.type)) : null,
    errorMessage,
    usage: usage ? JSON.stringify(usage) : null,
    raw: raw as Prisma.InputJsonValue,
  };
}
