// The cost of each stored result of a batch, for the CSV export's cost column: the result's own
// tokens at the price of its model on the batch's provider and window (the team's rows over the
// built-in table, as the summary and the estimate use). Reasoning tokens are inside completion
// tokens, as providers bill them.
import "server-only";
import type { Db } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { Prisma } from "@/lib/generated/prisma/client";
import { findPrice, type PriceMatch } from "./match";
import { teamPrices } from "./prices";

/** What the cost column needs: each priced model's price per million tokens, in one currency. */
export interface CsvPrices {
  prices: readonly { model: string; inputPerMTok: number; outputPerMTok: number }[];
  /** The model of a result that names none (a batch of a single model). */
  fallbackModel?: string | null;
}

/** The prices of the batch's models in one currency, for the export to cost each result with. */
export interface ResultCost extends CsvPrices {
  currency: string;
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
  // The models the results name too: a provider may answer with its own name for the model (a
  // dated version, say), which a price row's pattern may still match.
  const named = await sql(prisma).query<{ model: string }>(
    Prisma.sql`SELECT DISTINCT res."model" AS "model" FROM "Result" res WHERE res."batchId" = ${batchId} AND res."model" IS NOT NULL`,
  );
  return {
    currency,
    prices: [...new Set([...batch.inputFile.models, ...named.map((r) => r.model)])].flatMap((model) => {
      const p = priceOf(model);
      return p && p.currency === currency ? [{ model, inputPerMTok: p.inputPerMTok, outputPerMTok: p.outputPerMTok }] : [];
    }),
    // A result that names no model is the batch's only model's, when it has one.
    fallbackModel: batch.inputFile.models.length === 1 ? batch.inputFile.models[0] : null,
  };
}
