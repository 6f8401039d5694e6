// One line of Anthropic's results JSONL ({custom_id, result: {type, message | error}}) as a Result
// row. Pure: no I/O (results.test.ts).
import type { MessageBatchIndividualResponse } from "@anthropic-ai/sdk/resources/messages/batches";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ParsedResult } from "@/lib/providers/adapter";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
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
