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

/**
 * "$1.23", "¥0.0042", "CHF 12.50" in English; "US$1.23", "¥0.0042" in Chinese: the reader's
 * locale's way of writing the currency (Intl, CLDR's symbols), with enough digits that a small
 * batch does not read as zero. Pages pass their language (useMoney, getMoney); a sentence built on
 * the server for the English catalogue keeps the default.
 */
export function formatMoney(amount: number, currency: string, locale: string = "en-US"): string {
  const digits = amount === 0 ? 2 : Math.abs(amount) < 0.01 ? 4 : Math.abs(amount) < 1 ? 3 : 2;
  try {
    return new Intl.NumberFormat(locale, { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(amount);
  } catch {
    // Not an ISO 4217 code Intl takes: the number and the code as written.
    return `${new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(amount)} ${currency}`;
  }
}
