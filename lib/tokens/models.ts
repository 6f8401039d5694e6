// Which tokenizer counts a model's tokens, and whether that count is exact. OpenAI publishes its
// models' encodings (tiktoken): o200k_base for GPT-4o, GPT-4.1, GPT-4.5, GPT-5 and the o-series,
// cl100k_base for GPT-4, GPT-3.5 and the embeddings models. Other vendors' tokenizers (Qwen, Kimi,
// Llama, DeepSeek, Claude...) are not bundled: their counts are o200k_base counts used as a proxy,
// and say so. No server-only code: the cost estimate's labels come from here too.
import type { Encoding } from "./tokenizer";

export interface TokenizerChoice {
  encoding: Encoding;
  /** True where the encoding is the model's own (OpenAI models): the count is the provider's count. */
  exact: boolean;
  /** How the count is made, in words for the UI. */
  method: string;
}

const O200K = /^(gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4|gpt-oss|codex-mini|computer-use|omni-moderation)/;
const CL100K = /^(gpt-4|gpt-3\.5|gpt-35|text-embedding-3|text-embedding-ada-002)/;

/** Drops a gateway's vendor prefix ("openai/gpt-4o" -> "gpt-4o") and a fine-tune's "ft:" wrapper. */
export function baseModelName(model: string): string {
  let m = model.trim().toLowerCase();
  if (m.startsWith("ft:")) m = m.slice(3).split(":")[0];
  const slash = m.lastIndexOf("/");
  if (slash >= 0 && m.slice(0, slash) === "openai") m = m.slice(slash + 1);
  return m;
}

export function tokenizerFor(model: string | null | undefined): TokenizerChoice {
  const m = baseModelName(model ?? "");
  // o200k first: "gpt-4o" and "gpt-4.1" also start with "gpt-4".
  if (O200K.test(m)) return { encoding: "o200k_base", exact: true, method: "exact: OpenAI's o200k_base, the model's own tokenizer" };
  if (CL100K.test(m)) return { encoding: "cl100k_base", exact: true, method: "exact: OpenAI's cl100k_base, the model's own tokenizer" };
  return {
    encoding: "o200k_base",
    exact: false,
    method: model
      ? `estimate: ${model}'s own tokenizer is not bundled, so OpenAI's o200k_base count stands in for it; the provider's own count will differ somewhat`
      : "estimate: no model named, OpenAI's o200k_base count stands in",
  };
}
