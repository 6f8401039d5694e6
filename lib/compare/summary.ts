// The summary of a comparison: one statement over the full outer join of the two batches' results
// by custom_id counts what both answered, what changed (answers compared with surrounding
// whitespace trimmed), what only one side has or failed on, and the tokens on each side, in all and
// on the rows both answered: one hash join of the two batches, ~1.5 s at 50,000 rows a side on
// PGlite, so the summary of two finished batches is kept while they stay as they were (then ~10 ms).
import "server-only";
import type { Db } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ComparedBatch, CompareSummary, TokenTotals } from "./types";

/** Answers compared with surrounding whitespace trimmed (a trailing newline is not a change). */
export const norm = (col: Prisma.Sql) => Prisma.sql`btrim(${col}, E' \\t\\r\\n')`;

interface RawSummary {
  shared: number;
  bothAnswered: number;
  changed: number;
  onlyA: number;
  onlyB: number;
  bothFailed: number;
  failedInA: number;
  failedInB: number;
  aPrompt: number | null;
  aCompletion: number | null;
  aReasoning: number | null;
  aTotal: number | null;
  bPrompt: number | null;
  bCompletion: number | null;
  bReasoning: number | null;
  bTotal: number | null;
  saPrompt: number | null;
  saCompletion: number | null;
  saReasoning: number | null;
  saTotal: number | null;
  sbPrompt: number | null;
  sbCompletion: number | null;
  sbReasoning: number | null;
  sbTotal: number | null;
}

const totals = (prompt: number | null, completion: number | null, reasoning: number | null, total: number | null): TokenTotals => ({
  prompt: Number(prompt ?? 0),
  completion: Number(completion ?? 0),
  reasoning: Number(reasoning ?? 0),
  total: Number(total ?? 0),
});

const minus = (b: TokenTotals, a: TokenTotals): TokenTotals => ({
  prompt: b.prompt - a.prompt,
  completion: b.completion - a.completion,
  reasoning: b.reasoning - a.reasoning,
  total: b.total - a.total,
});

// A finished batch's results do not change, so its summary is kept (per database client, a few
// dozen pairs) while both batches stay as they were: paging through a comparison then costs the
// pages only, not the whole join each time (about a second at 50,000 rows a side on PGlite).
const SUMMARY_CACHE_SIZE = 50;
const CACHE_KEY = Symbol.for("batchboard.compare.summaries");
const g = globalThis as unknown as Record<symbol, WeakMap<object, Map<string, CompareSummary>> | undefined>;
const summaries = (g[CACHE_KEY] ??= new WeakMap<object, Map<string, CompareSummary>>());

/** The summary of two batches, from the cache while both are finished and unchanged. */
export async function cachedSummary(prisma: Db, a: ComparedBatch, b: ComparedBatch): Promise<CompareSummary> {
  const settled = (x: ComparedBatch) => x.terminal && x.resultsIngestedAt !== null;
  if (!settled(a) || !settled(b)) return summarise(prisma, a, b);
  const key = [a, b].map((x) => `${x.id}:${x.resultCount}:${x.resultsIngestedAt}:${x.updatedAt}`).join("|");
  let cache = summaries.get(prisma);
  if (!cache) summaries.set(prisma, (cache = new Map()));
  const hit = cache.get(key);
  if (hit) {
    // Most recently used last: the first key is the one to drop.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const fresh = await summarise(prisma, a, b);
  cache.set(key, fresh);
  if (cache.size > SUMMARY_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return fresh;
}

// The answers enter the join as md5 digests (16 bytes as uuid), not as text, to keep the hashed rows
// narrow. At 50,000 rows a side on PGlite the join takes 1.3-1.8 s (compare.perf.test.ts prints the
// plan), hence the cache above.
/** The summary computed afresh (compareBatches keeps it while the batches stay as they are). */
export async function summarise(prisma: Db, a: ComparedBatch, b: ComparedBatch): Promise<CompareSummary> {
  const side = (id: string) => Prisma.sql`
    SELECT "customId", "succeeded", md5(${norm(Prisma.sql`"content"`)})::uuid AS c, "promptTokens" AS pt, "completionTokens" AS ct,
      "reasoningTokens" AS rt, COALESCE("totalTokens", COALESCE("promptTokens", 0) + COALESCE("completionTokens", 0)) AS tt
    FROM "Result" WHERE "batchId" = ${id}`;
  const both = Prisma.sql`a.succeeded AND b.succeeded`;
  const [r] = await sql(prisma).query<RawSummary>(Prisma.sql`
    SELECT
      count(*) FILTER (WHERE a."customId" IS NOT NULL AND b."customId" IS NOT NULL)::int AS "shared",
      count(*) FILTER (WHERE ${both})::int AS "bothAnswered",
      count(*) FILTER (WHERE ${both} AND a.c IS DISTINCT FROM b.c)::int AS "changed",
      count(*) FILTER (WHERE b."customId" IS NULL)::int AS "onlyA",
      count(*) FILTER (WHERE a."customId" IS NULL)::int AS "onlyB",
      count(*) FILTER (WHERE NOT a.succeeded AND NOT b.succeeded)::int AS "bothFailed",
      count(*) FILTER (WHERE NOT a.succeeded AND b.succeeded)::int AS "failedInA",
      count(*) FILTER (WHERE a.succeeded AND NOT b.succeeded)::int AS "failedInB",
      sum(a.pt)::float8 AS "aPrompt", sum(a.ct)::float8 AS "aCompletion", sum(a.rt)::float8 AS "aReasoning", sum(a.tt)::float8 AS "aTotal",
      sum(b.pt)::float8 AS "bPrompt", sum(b.ct)::float8 AS "bCompletion", sum(b.rt)::float8 AS "bReasoning", sum(b.tt)::float8 AS "bTotal",
      sum(a.pt) FILTER (WHERE ${both})::float8 AS "saPrompt", sum(a.ct) FILTER (WHERE ${both})::float8 AS "saCompletion",
      sum(a.rt) FILTER (WHERE ${both})::float8 AS "saReasoning", sum(a.tt) FILTER (WHERE ${both})::float8 AS "saTotal",
      sum(b.pt) FILTER (WHERE ${both})::float8 AS "sbPrompt", sum(b.ct) FILTER (WHERE ${both})::float8 AS "sbCompletion",
      sum(b.rt) FILTER (WHERE ${both})::float8 AS "sbReasoning", sum(b.tt) FILTER (WHERE ${both})::float8 AS "sbTotal"
    FROM (${side(a.id)}) a FULL JOIN (${side(b.id)}) b ON a."customId" = b."customId"`);
  const ta = totals(r.aPrompt, r.aCompletion, r.aReasoning, r.aTotal);
  const tb = totals(r.bPrompt, r.bCompletion, r.bReasoning, r.bTotal);
  const sa = totals(r.saPrompt, r.saCompletion, r.saReasoning, r.saTotal);
  const sb = totals(r.sbPrompt, r.sbCompletion, r.sbReasoning, r.sbTotal);
  const same = r.bothAnswered - r.changed;
  const oneFailed = r.failedInA + r.failedInB;
  return {
    shared: r.shared,
    bothAnswered: r.bothAnswered,
    changed: r.changed,
    same,
    changedShare: r.bothAnswered > 0 ? r.changed / r.bothAnswered : null,
    onlyA: r.onlyA,
    onlyB: r.onlyB,
    bothFailed: r.bothFailed,
    failedInA: r.failedInA,
    failedInB: r.failedInB,
    oneFailed,
    counts: {
      all: r.shared + r.onlyA + r.onlyB,
      changed: r.changed,
      same,
      one_failed: oneFailed,
      both_failed: r.bothFailed,
      only_a: r.onlyA,
      only_b: r.onlyB,
    },
    tokens: { a: ta, b: tb, diff: minus(tb, ta) },
    sharedTokens: { a: sa, b: sb, diff: minus(sb, sa) },
    cost: null,
  };
}
