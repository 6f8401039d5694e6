// Which price applies to a model on a provider and window. A team's own rows come before the
// built-in table; then the most specific model (an exact name before the longest "prefix*"), then
// the exact window before "any window". Where nothing matches, a provider's stated window rule may
// derive the price from another window's (Doubleword: 1h = 24h + 50%). Pure: the Prices page, the
// cost estimate and the batch summary all use it.
import { windowHours } from "@/lib/providers/windows";
import { BUILTIN_PRICES, WINDOW_RULES, type PriceSource } from "./builtin";

export interface PriceRow {
  providerKind: string;
  model: string;
  window: string;
  currency: string;
  inputPerMTok: number;
  outputPerMTok: number;
  origin: "team" | "builtin";
  /** The team row's id (to edit or delete it). */
  id?: string;
  source?: PriceSource;
  note?: string;
  updatedAt?: string;
}

export interface PriceMatch extends PriceRow {
  /** Set when the price was derived by a window rule: why. */
  derived?: string;
}

/** How well a row's model matches: -1 for no match, higher for more specific. */
export function modelScore(pattern: string, model: string): number {
  const p = pattern.trim().toLowerCase();
  const m = model.trim().toLowerCase();
  if (p === m) return 1_000_000;
  if (p.endsWith("*") && m.startsWith(p.slice(0, -1))) return p.length - 1;
  return -1;
}

/** The same window, however spelled ("24h" and "1d"); "" is no window. */
export function sameWindow(a: string, b: string): boolean {
  if (a === b) return true;
  const ha = windowHours(a);
  return ha !== undefined && ha === windowHours(b);
}

function best(rows: PriceRow[], kind: string, model: string, window: string): PriceRow | null {
  let found: PriceRow | null = null;
  let score = -1;
  for (const r of rows) {
    if (r.providerKind !== kind) continue;
    const ms = modelScore(r.model, model);
    if (ms < 0) continue;
    const ws = r.window === "" ? 0 : window && sameWindow(r.window, window) ? 1 : -1;
    if (ws < 0) continue;
    const s = (r.origin === "team" ? 4_000_000 : 0) + ms * 2 + ws;
    if (s > score) {
      score = s;
      found = r;
    }
  }
  return found;
}

/** The price of `model` on `kind` in `window` ("" when the window does not matter), or null. */
export function findPrice(teamRows: PriceRow[], kind: string, model: string, window: string): PriceMatch | null {
  const rows = [...teamRows, ...builtinRows()];
  const direct = best(rows, kind, model, window);
  if (direct) return direct;
  const rule = WINDOW_RULES.find((r) => r.providerKind === kind && window && sameWindow(r.window, window));
  if (rule) {
    const base = best(rows, kind, model, rule.from);
    if (base) {
      const r = (n: number) => Math.round(n * rule.factor * 100_000) / 100_000;
      return { ...base, window: rule.window, inputPerMTok: r(base.inputPerMTok), outputPerMTok: r(base.outputPerMTok), derived: rule.why };
    }
  }
  return null;
}

let cachedBuiltin: PriceRow[] | null = null;
export function builtinRows(): PriceRow[] {
  return (cachedBuiltin ??= BUILTIN_PRICES.map((p) => ({ ...p, origin: "builtin" as const })));
}

/** Cost in the price's currency of tokens at a price. */
export function costOf(price: Pick<PriceRow, "inputPerMTok" | "outputPerMTok">, inputTokens: number, outputTokens: number): number {
  return (inputTokens * price.inputPerMTok + outputTokens * price.outputPerMTok) / 1_000_000;
}
