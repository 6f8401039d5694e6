// What a batch (or a job: several batches) came to: succeeded and failed, errors by code, tokens
// (prompt, completion, reasoning) and the actual cost, from the stored results' tokens at the
// effective price (lib/pricing) for the batch's provider kind, model and window. The results are
// aggregated in the database by one GROUP BY over (batch, outcome, error code, model): a handful of
// groups comes back, whatever the number of results. Reasoning tokens are part of the completion
// tokens (OpenAI's and Bailian's usage both count them there), so they are shown, not billed twice.
import "server-only";
import type { Db } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { findPrice, type PriceMatch, type PriceRow } from "@/lib/pricing/match";
import { teamPrices } from "@/lib/pricing/prices";
import { profiles } from "@/lib/providers/profiles";

export interface CostLine {
  providerKind: string;
  providerLabel: string;
  model: string | null;
  window: string;
  results: number;
  promptTokens: number;
  completionTokens: number;
  /** Null: no price for this model on this provider. */
  price: PriceMatch | null;
  cost: number | null;
}

export interface BatchSummary {
  batchIds: string[];
  results: number;
  succeeded: number;
  failed: number;
  /** Failed results by error code (null: the provider gave none), most frequent first. */
  errors: { code: string | null; count: number }[];
  tokens: { prompt: number; completion: number; reasoning: number; total: number };
  /** Cost per currency; lines without a price are left out of it (see `lines`). */
  cost: { currency: string; amount: number }[];
  lines: CostLine[];
  /** Results with tokens whose model has no price: the cost misses them. */
  unpricedResults: number;
}

interface Group {
  batchId: string;
  succeeded: boolean;
  errorCode: string | null;
  model: string | null;
  n: number;
  prompt: number | null;
  completion: number | null;
  reasoning: number | null;
}

function empty(batchIds: string[]): BatchSummary {
  return { batchIds, results: 0, succeeded: 0, failed: 0, errors: [], tokens: { prompt: 0, completion: 0, reasoning: 0, total: 0 }, cost: [], lines: [], unpricedResults: 0 };
}

interface BatchInfo {
  id: string;
  teamId: string;
  completionWindow: string;
  kind: string;
  models: string[];
}

function add(s: BatchSummary, g: Group, b: BatchInfo, prices: PriceRow[]) {
  const prompt = Number(g.prompt ?? 0);
  const completion = Number(g.completion ?? 0);
  s.results += g.n;
  if (g.succeeded) s.succeeded += g.n;
  else {
    s.failed += g.n;
    const e = s.errors.find((x) => x.code === g.errorCode);
    if (e) e.count += g.n;
    else s.errors.push({ code: g.errorCode, count: g.n });
  }
  s.tokens.prompt += prompt;
  s.tokens.completion += completion;
  s.tokens.reasoning += Number(g.reasoning ?? 0);
  s.tokens.total = s.tokens.prompt + s.tokens.completion;
  if (prompt + completion === 0) return;
  // The provider's answer names the model it ran; without one, the file's only model.
  const model = g.model ?? (b.models.length === 1 ? b.models[0] : null);
  let line = s.lines.find((l) => l.providerKind === b.kind && l.model === model && l.window === b.completionWindow);
  if (!line) {
    const price = model ? findPrice(prices, b.kind, model, b.completionWindow) : null;
    line = { providerKind: b.kind, providerLabel: profiles[b.kind]?.label ?? b.kind, model, window: b.completionWindow, results: 0, promptTokens: 0, completionTokens: 0, price, cost: price ? 0 : null };
    s.lines.push(line);
  }
  line.results += g.n;
  line.promptTokens += prompt;
  line.completionTokens += completion;
  if (line.price) line.cost = (line.promptTokens * line.price.inputPerMTok + line.completionTokens * line.price.outputPerMTok) / 1_000_000;
}

function finish(s: BatchSummary): BatchSummary {
  s.errors.sort((a, b) => b.count - a.count || String(a.code).localeCompare(String(b.code)));
  s.lines.sort((a, b) => b.results - a.results);
  const by = new Map<string, number>();
  for (const l of s.lines) {
    if (l.price && l.cost !== null) by.set(l.price.currency, (by.get(l.price.currency) ?? 0) + l.cost);
    else s.unpricedResults += l.results;
  }
  s.cost = [...by.entries()].map(([currency, amount]) => ({ currency, amount }));
  return s;
}

/**
 * Summaries of the given batches, each and all together (a job). The caller has checked that the
 * batches are the team's; ids that do not exist are ignored.
 */
export async function summarizeBatches(prisma: Db, batchIds: string[]): Promise<{ byBatch: Record<string, BatchSummary>; total: BatchSummary }> {
  const ids = [...new Set(batchIds)];
  const total = empty(ids);
  if (ids.length === 0) return { byBatch: {}, total };
  const [batches, groups] = await Promise.all([
    prisma.batch.findMany({
      where: { id: { in: ids } },
      select: { id: true, teamId: true, completionWindow: true, connection: { select: { kind: true } }, inputFile: { select: { models: true } } },
    }),
    sql(prisma).query<Group>(
      `SELECT "batchId", "succeeded", "errorCode", "model", count(*)::int AS n,
              sum("promptTokens") AS prompt, sum("completionTokens") AS completion, sum("reasoningTokens") AS reasoning
         FROM "Result" WHERE "batchId" = ANY($1::text[])
        GROUP BY "batchId", "succeeded", "errorCode", "model"`,
      [ids],
    ),
  ]);
  const info = new Map<string, BatchInfo>(
    batches.map((b) => [b.id, { id: b.id, teamId: b.teamId, completionWindow: b.completionWindow, kind: b.connection.kind, models: b.inputFile.models }]),
  );
  const teams = [...new Set(batches.map((b) => b.teamId))];
  const priceLists = new Map(await Promise.all(teams.map(async (t) => [t, await teamPrices(prisma, t)] as const)));
  const byBatch: Record<string, BatchSummary> = Object.fromEntries(batches.map((b) => [b.id, empty([b.id])]));
  for (const g of groups) {
    const b = info.get(g.batchId);
    if (!b) continue;
    const prices = priceLists.get(b.teamId) ?? [];
    add(byBatch[b.id], g, b, prices);
    add(total, g, b, prices);
  }
  for (const s of Object.values(byBatch)) finish(s);
  finish(total);
  total.batchIds = batches.map((b) => b.id);
  return { byBatch, total };
}
