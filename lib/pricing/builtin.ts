// The built-in price table: batch prices per million tokens, per provider kind and model, in the
// provider's own currency. Facts from /work/shared/providers.md and the seeds where they state
// them: OpenAI, Bailian, Groq and Anthropic bill batches at 50% of the real-time price (Bailian's
// guide: "费用仅为实时调用的50%"); Doubleword's 1h window costs 50% more than its 24h window (its
// guide: "1h (50% premium, faster results)"). The per-model figures are the providers' public list
// prices as of the date beside each group, halved where batches are billed at half; prices change,
// so the Prices page says to check them, and a team's own rows (model Price) take precedence.
// None of the per-model figures is in a document Batchboard holds (the seeds and providers.md give
// only the discounts): each source says what our documents confirm and that the figures are unchecked.
// A model ending in "*" matches every model starting with what comes before it (dated versions:
// "gpt-4o-2024-08-06" matches "gpt-4o*"); the longest match wins. No server-only code: the Prices
// page and the cost estimate read it too.

export interface PriceSource {
  /** Where the figures come from, for the Prices page. */
  label: string;
  url?: string;
  /** When the figures were read ("" for Batchboard's own). */
  asOf: string;
  /** How the batch price was made from the list price. */
  basis: string;
  /**
   * What a provider document Batchboard keeps (the sources of docs/providers.md) confirms of this
   * group, naming the document and its date; undefined: none of them says anything about price.
   */
  confirmed?: string;
  /**
   * Whether the per-model figures were checked against a document we hold. None were: the price
   * pages are not among our documents and this machine cannot reach them, so the Prices page says
   * the figures are unchecked instead of presenting them as current.
   */
  figuresChecked: boolean;
}

export interface BuiltinPrice {
  providerKind: string;
  model: string;
  /** A completion window, or "" for any. */
  window: string;
  currency: string;
  inputPerMTok: number;
  outputPerMTok: number;
  source: PriceSource;
  note?: string;
}

const openaiSrc: PriceSource = {
  label: "OpenAI pricing page",
  url: "https://openai.com/api/pricing/",
  asOf: "2025-09",
  basis: "Batch API price: 50% of the real-time list price",
  confirmed: "the batch price is 50% of real time (providers.md, from OpenAI's Batch API guide)",
  figuresChecked: false,
};
const anthropicSrc: PriceSource = {
  label: "Anthropic pricing page",
  url: "https://docs.anthropic.com/en/docs/about-claude/pricing",
  asOf: "2025-10",
  basis: "Message Batches: 50% of the real-time list price",
  figuresChecked: false,
};
const bailianSrc: PriceSource = {
  label: "Alibaba Cloud Model Studio model list (Beijing region, CNY)",
  url: "https://help.aliyun.com/zh/model-studio/models",
  asOf: "2025-09",
  basis: "Batch: 50% of the real-time price (Bailian's batch guide); lowest context tier, non-thinking output",
  confirmed: "batch calls cost 50% of real-time calls, and batch-test-model costs nothing (Bailian's batch guide \"OpenAI兼容-Batch\", updated 2025-09-30)",
  figuresChecked: false,
};
const moonshotSrc: PriceSource = {
  label: "Moonshot platform pricing (CNY)",
  url: "https://platform.moonshot.cn/docs/pricing/chat",
  asOf: "2025-09",
  basis: "Real-time list price (input on a cache miss): Moonshot's batch documents state no discount, so none is assumed",
  figuresChecked: false,
};
const groqSrc: PriceSource = {
  label: "Groq pricing page",
  url: "https://groq.com/pricing",
  asOf: "2025-09",
  basis: "Batch: 50% of the real-time list price",
  confirmed: "the batch price is 50% of real time (providers.md)",
  figuresChecked: false,
};
const togetherSrc: PriceSource = {
  label: "Together AI pricing page",
  url: "https://www.together.ai/pricing",
  asOf: "2025-09",
  basis: "Batch: 50% of the real-time list price (Together says up to 50%)",
  confirmed: "batches cost up to 50% less than real time (providers.md)",
  figuresChecked: false,
};
const sandboxSrc: PriceSource = { label: "Batchboard", asOf: "", basis: "The built-in sandbox answers with a test model and costs nothing", figuresChecked: true };

type Row = [model: string, input: number, output: number, note?: string];

function group(providerKind: string, currency: string, source: PriceSource, rows: Row[], factor = 1): BuiltinPrice[] {
  // Rounded to a thousandth of a cent per million: halving list prices must not print 0.0750000001.
  const r = (n: number) => Math.round(n * factor * 100_000) / 100_000;
  return rows.map(([model, input, output, note]) => ({ providerKind, model, window: "", currency, inputPerMTok: r(input), outputPerMTok: r(output), source, note }));
}

// Real-time list prices (USD per 1M tokens); the table holds half of them.
const openaiList: Row[] = [
  ["gpt-5*", 1.25, 10],
  ["gpt-5-mini*", 0.25, 2],
  ["gpt-5-nano*", 0.05, 0.4],
  ["gpt-4.1*", 2, 8],
  ["gpt-4.1-mini*", 0.4, 1.6],
  ["gpt-4.1-nano*", 0.1, 0.4],
  ["gpt-4o*", 2.5, 10],
  ["gpt-4o-2024-05-13", 5, 15],
  ["gpt-4o-mini*", 0.15, 0.6],
  ["o1*", 15, 60],
  ["o1-mini*", 1.1, 4.4],
  ["o1-pro*", 150, 600],
  ["o3*", 2, 8],
  ["o3-pro*", 20, 80],
  ["o3-mini*", 1.1, 4.4],
  ["o4-mini*", 1.1, 4.4],
  ["gpt-4-turbo*", 10, 30],
  ["gpt-4", 30, 60],
  ["gpt-4-0613", 30, 60],
  ["gpt-3.5-turbo*", 0.5, 1.5],
  ["text-embedding-3-small", 0.02, 0],
  ["text-embedding-3-large", 0.13, 0],
  ["text-embedding-ada-002", 0.1, 0],
];

const anthropicList: Row[] = [
  ["claude-opus-4*", 15, 75],
  ["claude-sonnet-4*", 3, 15, "Up to 200K input tokens a request; longer prompts cost more"],
  ["claude-3-7-sonnet*", 3, 15],
  ["claude-3-5-sonnet*", 3, 15],
  ["claude-haiku-4-5*", 1, 5],
  ["claude-3-5-haiku*", 0.8, 4],
  ["claude-3-haiku*", 0.25, 1.25],
];

const bailianList: Row[] = [
  ["qwen3-max*", 6, 24, "0-32K input tier"],
  ["qwen-max*", 2.4, 9.6],
  ["qwen-plus*", 0.8, 2, "Thinking mode output costs ¥8 (real time)"],
  ["qwen-flash*", 0.15, 1.5],
  ["qwen-turbo*", 0.3, 0.6, "Thinking mode output costs ¥3 (real time)"],
  ["qwen-long*", 0.5, 2],
  ["qwq-plus*", 1.6, 4],
  ["qwen-vl-max*", 1.6, 4],
  ["qwen-vl-plus*", 0.8, 2],
  ["deepseek-v3*", 2, 8],
  ["deepseek-r1*", 4, 16],
  ["text-embedding-v3", 0.5, 0],
  ["text-embedding-v4", 0.5, 0],
  ["text-embedding-v2", 0.7, 0],
  ["text-embedding-v1", 0.7, 0],
  ["batch-test-model", 0, 0, "The free test model"],
];

const moonshotList: Row[] = [
  ["kimi-k2-0905-preview", 4, 16],
  ["kimi-k2-0711-preview", 4, 16],
  ["kimi-k2-turbo-preview", 8, 58],
  ["moonshot-v1-8k", 2, 10],
  ["moonshot-v1-32k", 5, 20],
  ["moonshot-v1-128k", 10, 30],
];

const groqList: Row[] = [
  ["llama-3.1-8b-instant", 0.05, 0.08],
  ["llama-3.3-70b-versatile", 0.59, 0.79],
  ["openai/gpt-oss-120b", 0.15, 0.75],
  ["openai/gpt-oss-20b", 0.1, 0.5],
  ["qwen/qwen3-32b", 0.29, 0.59],
  ["moonshotai/kimi-k2-instruct*", 1, 3],
];

const togetherList: Row[] = [
  ["meta-llama/Llama-3.3-70B-Instruct-Turbo", 0.88, 0.88],
  ["meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo", 0.18, 0.18],
  ["deepseek-ai/DeepSeek-V3", 1.25, 1.25],
  ["Qwen/Qwen2.5-72B-Instruct-Turbo", 1.2, 1.2],
];

export const BUILTIN_PRICES: BuiltinPrice[] = [
  ...group("sandbox", "USD", sandboxSrc, [["*", 0, 0, "Test answers only"]]),
  ...group("openai", "USD", openaiSrc, openaiList, 0.5),
  ...group("anthropic", "USD", anthropicSrc, anthropicList, 0.5),
  ...group("bailian", "CNY", bailianSrc, bailianList, 0.5),
  ...group("moonshot", "CNY", moonshotSrc, moonshotList),
  ...group("groq", "USD", groqSrc, groqList, 0.5),
  ...group("together", "USD", togetherSrc, togetherList, 0.5),
];

/**
 * Window rules a provider states: a price for one window derived from another's. Doubleword's 1h
 * window costs 50% more than its 24h window (its batch guide), so a 24h (or any-window) price
 * gives the 1h price when no 1h price is set.
 */
export const WINDOW_RULES: { providerKind: string; window: string; from: string; factor: number; why: string }[] = [
  { providerKind: "doubleword", window: "1h", from: "24h", factor: 1.5, why: "Doubleword's 1h window costs 50% more than its 24h window (its batch guide)" },
];

/** Shown where there is no built-in price for a provider: why, and what to do. */
export const NO_BUILTIN_NOTE: Record<string, string> = {
  doubleword: "Doubleword's prices per model are not in the built-in table. Add the ones you use (the 24h price: the 1h price is derived, 50% more).",
  "openai-compatible": "A custom provider's prices are its own: add the ones you use.",
  "anthropic-compatible": "A gateway's prices are its own: add the ones you use.",
};
