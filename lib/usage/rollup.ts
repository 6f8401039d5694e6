// What each batch's results came to, kept per (batch, model) in BatchUsage: tokens, and the cost at
// the team's prices (lib/pricing) when rolled up. The batches list, the overview's spend over time
// and the budgets read these few rows instead of summing every Result again.
//
// Rolled up lazily, by whoever reads: a batch whose row changed since its last roll-up (its
// `updatedAt` is past `usageAt`: it was polled, results arrived, or it is new) is rolled up again,
// a bounded number at a time, before the read. A finished batch stops changing and is rolled up
// once; a running one with partial results (Doubleword) is rolled up on each read while it runs.
// So batches from before this table, imports and every provider are covered without a hook in the
// engine. The cost is the price at roll-up time, which for a finished batch is about when it ran.
import "server-only";
import type { Db } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { findPrice, type PriceRow } from "@/lib/pricing/match";
import { teamPrices } from "@/lib/pricing/prices";

/** Batches rolled up per read at most; the rest wait for the next read. */
export const ROLLUP_BATCH_LIMIT = 200;

interface Group {
  batchId: string;
  model: string | null;
  n: number;
  prompt: number | null;
  completion: number | null;
}

interface Stale {
  id: string;
  teamId: string;
  completionWindow: string;
  kind: string;
  models: string[];
}

/** Rolls up the team's batches that changed since their last roll-up; answers how many it did. */
export async function refreshUsage(prisma: Db, teamId: string, limit = ROLLUP_BATCH_LIMIT, batchId?: string): Promise<number> {
  const stale = await sql(prisma).query<Stale>(
    `SELECT b."id", b."teamId", b."completionWindow", c."kind", coalesce(f."models", ARRAY[]::text[]) AS "models"
       FROM "Batch" b JOIN "ProviderConnection" c ON c."id" = b."connectionId" JOIN "InputFile" f ON f."id" = b."inputFileId"
      WHERE b."teamId" = $1 AND (b."usageAt" IS NULL OR b."usageAt" < b."updatedAt") AND ($3::text IS NULL OR b."id" = $3)
      ORDER BY b."createdAt" DESC LIMIT $2`,
    [teamId, limit, batchId ?? null],
  );
  if (stale.length === 0) return 0;
  // Stamped with the time reading began: a batch changed meanwhile stays stale for the next read.
  const startedAt = new Date();
  await rollUp(prisma, stale, await teamPrices(prisma, teamId), startedAt);
  return stale.length;
}

async function rollUp(prisma: Db, batches: Stale[], prices: PriceRow[], startedAt: Date) {
  const ids = batches.map((b) => b.id);
  const groups = await sql(prisma).query<Group>(
    `SELECT "batchId", "model", count(*)::int AS n, sum("promptTokens") AS prompt, sum("completionTokens") AS completion
       FROM "Result" WHERE "batchId" = ANY($1::text[]) GROUP BY "batchId", "model"`,
    [ids],
  );
  const byBatch = new Map(batches.map((b) => [b.id, b]));
  // One row per (batch, model): a result naming no model is the file's only model's, as in the summary.
  const rows = new Map<string, { batchId: string; model: string; results: number; prompt: number; completion: number; cost: number | null; currency: string | null }>();
  for (const g of groups) {
    const b = byBatch.get(g.batchId)!;
    const model = g.model ?? (b.models.length === 1 ? b.models[0] : "");
    const key = `${g.batchId}\u0000${model}`;
    const row = rows.get(key) ?? { batchId: g.batchId, model, results: 0, prompt: 0, completion: 0, cost: null, currency: null };
    row.results += g.n;
    row.prompt += Number(g.prompt ?? 0);
    row.completion += Number(g.completion ?? 0);
    rows.set(key, row);
  }
  for (const r of rows.values()) {
    const b = byBatch.get(r.batchId)!;
    const price = r.model ? findPrice(prices, b.kind, r.model, b.completionWindow) : null;
    if (price) {
      r.cost = (r.prompt * price.inputPerMTok + r.completion * price.outputPerMTok) / 1_000_000;
      r.currency = price.currency;
    }
  }
  const list = [...rows.values()];
  const s = sql(prisma);
  await s.exec(`DELETE FROM "BatchUsage" WHERE "batchId" = ANY($1::text[])`, [ids]);
  if (list.length) {
    await s.exec(
      `INSERT INTO "BatchUsage" ("batchId", "model", "results", "promptTokens", "completionTokens", "cost", "currency")
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[], $5::bigint[], $6::float8[], $7::text[])`,
      [list.map((r) => r.batchId), list.map((r) => r.model), list.map((r) => r.results), list.map((r) => r.prompt), list.map((r) => r.completion), list.map((r) => r.cost), list.map((r) => r.currency)],
    );
  }
  await s.exec(`UPDATE "Batch" SET "usageAt" = $2 WHERE "id" = ANY($1::text[])`, [ids, startedAt]);
}

/** One batch's tokens and cost so far (rolled up first if it changed): the batch page's figures. */
export async function batchUsage(prisma: Db, teamId: string, batchId: string): Promise<{ tokens: number; results: number; cost: { currency: string; amount: number }[] }> {
  await refreshUsage(prisma, teamId, 1, batchId);
  const rows = await prisma.batchUsage.findMany({ where: { batchId } });
  const cost = new Map<string, number>();
  for (const r of rows) if (r.currency && r.cost !== null) cost.set(r.currency, (cost.get(r.currency) ?? 0) + r.cost);
  return {
    tokens: rows.reduce((a, r) => a + Number(r.promptTokens) + Number(r.completionTokens), 0),
    results: rows.reduce((a, r) => a + r.results, 0),
    cost: [...cost].map(([currency, amount]) => ({ currency, amount })),
  };
}
