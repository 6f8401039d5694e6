// The cost of each stored result of a batch, for the CSV export's cost column: the result's own
// tokens at the price of its model on the batch's provider and window (the team's rows over the
// built-in table, as the summary and the estimate use). Reasoning tokens are inside completion
// tokens, as providers bill them.
import "server-only";
import type { Db } from "@/lib/db/client";
import { costOf, findPrice, type PriceMatch } from "./match";
import { teamPrices } from "./prices";

export interface ResultCost {
  /** The currency of every priced row (null when the batch's models are priced in several). */
  currency: string;
  costOf: (r: { model: string | null; promptTokens: number | null; completionTokens: number | null }) => number | null;
}

/** null when no model of the batch has a price, or the prices are in different currencies. */
export async function resultCostFor(prisma: Db, teamId: string, batchId: string): Promise<ResultCost | null> {
  const batch = await prisma.batch.findFirst({
    where: { id: batchId, teamId },
    select: { completionWindow: true, connection: { select: { kind: true } }, inputFile: { select: { models: true } } },
  });
  if (!batch) return null;
  const rows = await teamPrices(prisma, teamId);
  const memo = new Map<string, PriceMatch | null>();
  const priceOf = (model: string) => {
    if (!memo.has(model)) memo.set(model, findPrice(rows, batch.connection.kind, model, batch.completionWindow));
    return memo.get(model)!;
  };
  const known = batch.inputFile.models.map(priceOf).filter((p): p is PriceMatch => p !== null);
  const currencies = new Set(known.map((p) => p.currency));
  if (currencies.size !== 1) return null;
  const [currency] = currencies;
  const fallbackModel = batch.inputFile.models.length === 1 ? batch.inputFile.models[0] : null;
  return {
    currency,
    costOf(r) {
      const model = r.model ?? fallbackModel;
      if (!model || r.promptTokens === null) return null;
      const price = priceOf(model);
      if (!price || price.currency !== currency) return null;
      return Math.round(costOf(price, r.promptTokens, r.completionTokens ?? 0) * 1e8) / 1e8;
    },
  };
}
