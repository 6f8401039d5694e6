// Two batches of the team side by side: each batch as the comparison shows it, the batches a
// picker offers, and the comparison itself with its summary (summary.ts) and each side's cost.
// Either batch absent or another team's: null, which the caller says as "not found", never
// "forbidden". The rows are read a page at a time by rows.ts, the CSV by csv.ts.
import "server-only";
import type { Db } from "@/lib/db/client";
import { summarizeBatches } from "@/lib/batches/read/summary";
import { profiles } from "@/lib/providers/profiles";
import { isTerminal } from "@/lib/providers/status";
import { cachedSummary } from "./summary";
import type { ComparedBatch, Comparison, CostComparison, TokenTotals } from "./types";

const iso = (d: Date) => d.toISOString();

/** One batch of the team, or null when absent or another team's. */
export async function comparedBatch(prisma: Db, teamId: string, id: string): Promise<ComparedBatch | null> {
  if (!id) return null;
  const b = await prisma.batch.findFirst({
    where: { id, teamId },
    select: {
      id: true,
      name: true,
      status: true,
      endpoint: true,
      completionWindow: true,
      createdAt: true,
      resultCount: true,
      resultsIngestedAt: true,
      updatedAt: true,
      connection: { select: { name: true, kind: true } },
      inputFile: { select: { id: true, name: true, models: true } },
    },
  });
  if (!b) return null;
  return {
    id: b.id,
    name: b.name,
    status: b.status,
    terminal: isTerminal(b.status),
    endpoint: b.endpoint,
    completionWindow: b.completionWindow,
    createdAt: iso(b.createdAt),
    resultCount: b.resultCount,
    resultsIngestedAt: b.resultsIngestedAt ? iso(b.resultsIngestedAt) : null,
    updatedAt: iso(b.updatedAt),
    connection: { ...b.connection, providerLabel: profiles[b.connection.kind]?.label ?? b.connection.kind },
    inputFile: b.inputFile,
  };
}

/** The team's batches that can be compared (finished ones), newest first, for the pickers. */
export async function comparableBatches(prisma: Db, teamId: string, limit = 300): Promise<ComparedBatch[]> {
  const rows = await prisma.batch.findMany({
    where: { teamId, status: { in: ["COMPLETED", "FAILED", "EXPIRED", "CANCELLED"] }, resultCount: { gt: 0 } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: { id: true },
  });
  const out = await Promise.all(rows.map((r) => comparedBatch(prisma, teamId, r.id)));
  return out.filter((b): b is ComparedBatch => b !== null);
}

/**
 * The comparison of two batches of the team, with its summary; null when either batch is absent
 * or belongs to another team (the caller says "not found", never "forbidden").
 */
export async function compareBatches(prisma: Db, teamId: string, aId: string, bId: string): Promise<Comparison | null> {
  const [a, b] = await Promise.all([comparedBatch(prisma, teamId, aId), comparedBatch(prisma, teamId, bId)]);
  if (!a || !b) return null;
  const summary = structuredClone(await cachedSummary(prisma, a, b));
  summary.cost = await compareCost(prisma, teamId, { batch: a, tokens: summary.tokens.a }, { batch: b, tokens: summary.tokens.b });
  return { a, b, sameInput: a.inputFile.id === b.inputFile.id, summary };
}

/**
 * Each side's actual cost from its results' tokens at the team's prices (lib/batches/read/summary.ts),
 * and B minus A: null unless every result with tokens on both sides is priced, in one currency.
 */
export async function compareCost(
  prisma: Db,
  _teamId: string,
  a: { batch: ComparedBatch; tokens: TokenTotals },
  b: { batch: ComparedBatch; tokens: TokenTotals },
): Promise<CostComparison | null> {
  const { byBatch } = await summarizeBatches(prisma, [a.batch.id, b.batch.id]);
  const [sa, sb] = [byBatch[a.batch.id], byBatch[b.batch.id]];
  if (!sa || !sb || sa.unpricedResults > 0 || sb.unpricedResults > 0) return null;
  if (sa.cost.length !== 1 || sb.cost.length !== 1 || sa.cost[0].currency !== sb.cost[0].currency) return null;
  const round = (n: number) => Math.round(n * 1e8) / 1e8;
  return { currency: sa.cost[0].currency, a: round(sa.cost[0].amount), b: round(sb.cost[0].amount), diff: round(sb.cost[0].amount - sa.cost[0].amount) };
}
