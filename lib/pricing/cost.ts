// The arithmetic of a cost estimate, shared by the server (tests) and the launch form (which lets the
// user change the assumed output length without asking the server again). Pure.
import type { PriceMatch } from "./match";

/** Output tokens assumed for a request that sets no max_tokens, unless the user says otherwise. */
export const DEFAULT_ASSUMED_OUTPUT = 500;

export interface ModelTokensLite {
  model: string | null;
  requests: number;
  inputTokens: number;
  maxOutputTokens: number;
  withoutMax: number;
}

export interface ConnectionPrices {
  prices: { model: string | null; price: PriceMatch | null }[];
}

export interface ConnectionCost {
  /** Amount per currency (a connection whose models are priced in two currencies has two). */
  amounts: { currency: string; input: number; output: number; total: number }[];
  /** Models of the file without a price on this provider. */
  missing: (string | null)[];
  /** Requests whose cost is counted (those of priced models). */
  pricedRequests: number;
}

/** Output tokens expected for a model's requests: their max_tokens, and the assumption for the rest. */
export function expectedOutput(m: ModelTokensLite, assumedPerRequest: number): number {
  return m.maxOutputTokens + m.withoutMax * Math.max(0, assumedPerRequest);
}

export function connectionCost(models: ModelTokensLite[], c: ConnectionPrices, assumedPerRequest: number): ConnectionCost {
  const by = new Map<string, { currency: string; input: number; output: number; total: number }>();
  const missing: (string | null)[] = [];
  let pricedRequests = 0;
  for (const m of models) {
    const price = c.prices.find((p) => p.model === m.model)?.price ?? null;
    if (!price) {
      missing.push(m.model);
      continue;
    }
    pricedRequests += m.requests;
    const a = by.get(price.currency) ?? { currency: price.currency, input: 0, output: 0, total: 0 };
    a.input += (m.inputTokens * price.inputPerMTok) / 1_000_000;
    a.output += (expectedOutput(m, assumedPerRequest) * price.outputPerMTok) / 1_000_000;
    a.total = a.input + a.output;
    by.set(price.currency, a);
  }
  return { amounts: [...by.values()], missing, pricedRequests };
}

const SYMBOL: Record<string, string> = { USD: "$", CNY: "¥", EUR: "€", GBP: "£", JPY: "¥" };

/** "$1.23", "¥0.0042", "12.50 CHF": enough digits that a small batch does not read as zero. */
export function formatMoney(amount: number, currency: string): string {
  const digits = amount === 0 ? 2 : amount < 0.01 ? 4 : amount < 1 ? 3 : 2;
  const n = amount.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const s = SYMBOL[currency];
  return s ? `${s}${n}` : `${n} ${currency}`;
}
