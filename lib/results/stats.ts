// The counts by outcome and the filters' values of a batch's results, computed once for a finished
// batch. Every results page asked for both (the view's counts, ?facets=1): a pass over all the
// batch's rows each time, for rows that no longer change. A finished batch's (resultsIngestedAt set)
// are kept in its ResultStats row, tagged with the resultsIngestedAt they were computed under:
// - a row is used only while its tag equals the batch's resultsIngestedAt, and an ingest that ends
//   sets a new one, so a re-ingest makes the kept row stale at once;
// - storing results deletes the row (lib/batches/engine/ingest.ts insertResults), so rows added
//   before the ingest's end are not hidden by figures of before;
// - the tag is read before the rows are counted and written as read: figures counted while an ingest
//   runs carry the tag of before it, which its end replaces.
// A batch still receiving results (resultsIngestedAt null) is counted each time, as before.
import "server-only";
import type { Db } from "@/lib/db/client";
import { sql, type Sql } from "@/lib/db/sql";
import type { ResultFacets } from "./types";

export interface ResultCounts {
  all: number;
  succeeded: number;
  failed: number;
}

type Facets = Omit<ResultFacets, "sourceColumns">;

export interface ResultStats {
  counts: ResultCounts;
  facets: Facets;
  /** The uploaded CSV's header (InputFile.csv.columns, as stored), read beside the kept figures. */
  columns: unknown;
  /** Whether the figures came from the kept row (false: counted just now). */
  cached: boolean;
}

interface Head {
  tag: string | null;
  /** JSON text (as written: jsonb would reorder the keys). */
  counts: string | null;
  facets: string | null;
  columns: unknown;
}

/** The batch's tag, its kept figures when still valid, and its CSV header: one statement. */
async function head(db: Sql, batchId: string): Promise<Head | null> {
  const [h] = await db.query<Head>(
    `SELECT b."resultsIngestedAt"::text AS tag, s."counts", s."facets", f."csv" -> 'columns' AS "columns"
     FROM "Batch" b
     LEFT JOIN "ResultStats" s ON s."batchId" = b."id" AND s."ingestedAt" = b."resultsIngestedAt"
     LEFT JOIN "InputFile" f ON f."id" = b."inputFileId"
     WHERE b."id" = $1`,
    [batchId],
  );
  return h ?? null;
}

/** Counts by outcome and the values of the three filter fields, in one pass over the rows. */
export async function computeStats(db: Sql, batchId: string): Promise<{ counts: ResultCounts; facets: Facets }> {
  const rows = await db.query<{ g: number; s: boolean | null; v: string | null; n: number }>(
    `SELECT GROUPING(res."succeeded", res."errorCode", res."finishReason", res."model")::int AS g, res."succeeded" AS s,
       COALESCE(res."errorCode", res."finishReason", res."model") AS v, count(*)::int AS n
     FROM "Result" res WHERE res."batchId" = $1
     GROUP BY GROUPING SETS ((res."succeeded"), (res."errorCode"), (res."finishReason"), (res."model"))`,
    [batchId],
  );
  // GROUPING() sets a bit per column left out, the first column the highest: 0b0111 grouped by
  // outcome, 0b1011 by error code, 0b1101 by finish reason, 0b1110 by model.
  const pick = (g: number) =>
    rows
      .filter((r) => r.g === g && r.v != null && r.v !== "")
      .map((r) => ({ value: r.v as string, n: Number(r.n) }))
      .sort((a, b) => b.n - a.n || a.value.localeCompare(b.value))
      .slice(0, 100);
  const outcome = (s: boolean) => Number(rows.find((r) => r.g === 0b0111 && r.s === s)?.n ?? 0);
  const succeeded = outcome(true);
  const failed = outcome(false);
  return {
    counts: { all: succeeded + failed, succeeded, failed },
    facets: { codes: pick(0b1011), finishReasons: pick(0b1101), models: pick(0b1110) },
  };
}

/**
 * The batch's counts and facets: the kept ones while valid, otherwise counted (and kept, for a
 * finished batch). Null when there is no such batch, or (`finishedOnly`) when it is still
 * receiving results.
 */
export async function resultStats(prisma: Db, batchId: string, opts: { finishedOnly?: boolean } = {}): Promise<ResultStats | null> {
  const db = sql(prisma);
  const h = await head(db, batchId);
  if (!h) return null;
  if (h.counts && h.facets) return { counts: JSON.parse(h.counts) as ResultCounts, facets: JSON.parse(h.facets) as Facets, columns: h.columns, cached: true };
  if (opts.finishedOnly && h.tag === null) return null;
  const fresh = await computeStats(db, batchId);
  if (h.tag !== null) await keep(db, batchId, h.tag, fresh);
  return { ...fresh, columns: h.columns, cached: false };
}

/** The counts alone: kept ones when valid; a running batch's counted without the facets' pass. */
export async function resultCounts(prisma: Db, batchId: string): Promise<ResultCounts> {
  const db = sql(prisma);
  const h = await head(db, batchId);
  if (h?.counts) return JSON.parse(h.counts) as ResultCounts;
  // Finished: count it all once, the facets with it (the results view asks for them next).
  if (h?.tag != null) return (await resultStats(prisma, batchId))!.counts;
  const rows = await db.query<{ s: boolean; n: number }>(
    `SELECT res."succeeded" AS s, count(*)::int AS n FROM "Result" res WHERE res."batchId" = $1 GROUP BY res."succeeded"`,
    [batchId],
  );
  const succeeded = Number(rows.find((r) => r.s)?.n ?? 0);
  const failed = Number(rows.find((r) => !r.s)?.n ?? 0);
  return { all: succeeded + failed, succeeded, failed };
}

/**
 * Writes the figures under the tag read before they were counted. A batch deleted meanwhile, or
 * whose tag moved on (re-ingested), gets no row: the INSERT's SELECT finds no batch with that tag.
 */
async function keep(db: Sql, batchId: string, tag: string, s: { counts: ResultCounts; facets: Facets }) {
  await db.exec(
    `INSERT INTO "ResultStats" ("batchId", "ingestedAt", "counts", "facets")
     SELECT b."id", b."resultsIngestedAt", $3, $4 FROM "Batch" b
     WHERE b."id" = $1 AND b."resultsIngestedAt"::text = $2
     ON CONFLICT ("batchId") DO UPDATE SET "ingestedAt" = EXCLUDED."ingestedAt", "counts" = EXCLUDED."counts", "facets" = EXCLUDED."facets"`,
    [batchId, tag, JSON.stringify(s.counts), JSON.stringify(s.facets)],
  );
}
