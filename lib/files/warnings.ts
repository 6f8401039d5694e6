// Warnings at upload: what the providers' documents state about a request's parameters, and what a
// file may hold for the chosen provider, that does not make the file unusable but will likely fail
// those requests or the batch (a warning, not a problem: the file stays valid). Pure, per line, so
// the validator's one pass over a 200 MB file stays one pass.
//
// - Parameter ranges: temperature 0-2 (Doubleword's seed: "temperature: 0-2"; OpenAI's spec), top_p
//   0-1, presence_penalty and frequency_penalty -2..2, n and max_tokens at least 1 (OpenAI's spec).
// - A line longer than its model's known context (ProviderLimits.contextTokens), estimated at 4
//   characters a token (an estimate that errs low for Chinese or Japanese text, so a warning means it).
// - Embedding inputs across the file over the provider's limit (OpenAI: 50,000 for /v1/embeddings).
import type { ProviderLimits } from "@/lib/providers/profile";

export type WarningLimits = Partial<Pick<ProviderLimits, "contextTokens" | "maxEmbeddingInputs">> & { label?: string };

const RANGES: [field: string, min: number, max: number][] = [
  ["temperature", 0, 2],
  ["top_p", 0, 1],
  ["presence_penalty", -2, 2],
  ["frequency_penalty", -2, 2],
  ["n", 1, 128],
  ["max_tokens", 1, Number.MAX_SAFE_INTEGER],
  ["max_completion_tokens", 1, Number.MAX_SAFE_INTEGER],
  ["max_output_tokens", 1, Number.MAX_SAFE_INTEGER],
];

const CHARS_PER_TOKEN = 4;
const fmt = (n: number) => n.toLocaleString("en-US");

export interface LineWarning {
  field?: string;
  message: string;
}

/** The request text a model reads: messages, input or prompt (and a system prompt), as JSON text. */
function inputText(body: Record<string, unknown>): string {
  return [body.messages, body.input, body.prompt, body.instructions, body.system].filter((v) => v !== undefined).map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join("");
}

/** Warnings about one request body. */
export function bodyWarnings(endpoint: string, body: Record<string, unknown>, limits: WarningLimits): LineWarning[] {
  const out: LineWarning[] = [];
  for (const [field, min, max] of RANGES) {
    const v = body[field];
    if (v === undefined || v === null) continue;
    if (typeof v !== "number" || !Number.isFinite(v)) out.push({ field: `body.${field}`, message: `body.${field} should be a number, not ${JSON.stringify(v).slice(0, 40)}` });
    else if (v < min || v > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `at least ${fmt(min)}` : `between ${fmt(min)} and ${fmt(max)}`;
      out.push({ field: `body.${field}`, message: `body.${field} is ${v}; the provider takes ${range}, so this request will likely fail` });
    }
  }
  const model = typeof body.model === "string" ? body.model : undefined;
  const context = model ? limits.contextTokens?.[model] : undefined;
  if (context && endpoint !== "/v1/embeddings") {
    const input = Math.ceil(inputText(body).length / CHARS_PER_TOKEN);
    const output = [body.max_tokens, body.max_completion_tokens, body.max_output_tokens].find((v): v is number => typeof v === "number" && v > 0) ?? 0;
    if (input + output > context) {
      out.push({
        field: "body.messages",
        message: `This request is about ${fmt(input)} tokens${output ? ` plus up to ${fmt(output)} to answer` : ""}, over ${model}'s context of ${fmt(context)} tokens: it will likely fail`,
      });
    }
  }
  return out;
}

/** Counts embedding inputs across a file; answers a warning on the line that passes the provider's limit. */
export function embeddingInputCounter(endpoint: string, limits: WarningLimits) {
  let total = 0;
  const max = endpoint === "/v1/embeddings" ? limits.maxEmbeddingInputs : undefined;
  return (body: Record<string, unknown>): LineWarning | undefined => {
    if (!max) return undefined;
    const before = total;
    total += Array.isArray(body.input) ? body.input.length : 1;
    if (before <= max && total > max) {
      return {
        field: "body.input",
        message: `${limits.label ?? "The provider"} takes at most ${fmt(max)} embedding inputs in one /v1/embeddings batch; this line passes it (${fmt(total)} so far)`,
      };
    }
    return undefined;
  };
}
