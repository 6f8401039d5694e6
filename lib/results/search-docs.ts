// A finished batch's results as its search reads them: for each result one lower-case text of its
// custom_id, its prompt and its answer (ResultSearch.doc), in a table that holds nothing else.
//
// A search for a rare text finds no row early: it reads the whole batch. Read from Result and
// Request, that is every wide row (the raw response, the usage, the request body beside the prompt)
// and a lower() of each text under ILIKE: 0.3-0.8 s at 50,000 rows. The same texts already lowered,
// in narrow rows, are one substring search over a fraction of the bytes. A trigram index would make it faster
// still, but writing it doubled the ingest (docs/benchmarks.md): these rows cost a plain insert.
//
// They are written after the ingest (the sync worker, once the batch is over; or the first search of
// a batch without them), tagged with the resultsIngestedAt they were written under (Batch.searchDocsFor).
// The search reads them only while that tag equals resultsIngestedAt: storing results clears it
// (lib/batches/engine/ingest.ts), and a batch still receiving results has no resultsIngestedAt.
// Results are only ever added, never changed, so a rewrite adds the rows it lacks.
import "server-only";
import type { Db } from "@/lib/db/client";
import { sql, type Sql } from "@/lib/db/sql";
import { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";

/** Between the fields of a text: no search holds it, so none matches across two fields. */
const SEPARATOR = "\u0001";
/** Rows a statement writes: on PGlite's one connection, others wait for at most one of these. */
const CHUNK = 2000;

/** Whether the batch's search texts hold every result it has. */
export async function searchDocsReady(db: Sql, batchId: string): Promise<boolean> {
  const [r] = await db.query<{ ready: boolean | null }>(`SELECT "searchDocsFor" = "resultsIngestedAt" AS "ready" FROM "Batch" WHERE "id" = $1`, [batchId]);
  return r?.ready === true;
}

/** Whether a search for q can be read from the texts: any q but one holding the separator. */
export const searchableByDocs = (q: string) => !q.includes(SEPARATOR);

/**
 * The search on the texts, over `res` (Result): the row's text holds q in any case. Its batch's
 * texts must be ready (searchDocsReady).
 */
export function docMatch(batchId: string, q: string): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM "ResultSearch" s WHERE s."batchId" = ${batchId} AND s."resultId" = res."id" AND ${holds(q)})`;
}

/**
 * Whether the text `s."doc"` holds q in any case: strpos, a plain substring search (no wildcards to
 * escape), a third faster than LIKE '%q%' over long texts.
 */
export function holds(q: string): Prisma.Sql {
  return Prisma.sql`strpos(s."doc", lower(${q})) > 0`;
}

/**
 * Writes the texts of a finished batch's results it lacks, CHUNK rows a statement, then tags them.
 * Nothing to do for a batch still receiving results or whose texts are current. Safe to run twice
 * at once (two instances): a row already written is kept.
 */
export async function buildSearchDocs(prisma: Db, batchId: string): Promise<{ rows: number; ms: number } | null> {
  const db = sql(prisma);
  const startedAt = Date.now();
  const [b] = await db.query<{ tag: string | null; current: boolean | null; fileId: string }>(
    `SELECT "resultsIngestedAt"::text AS "tag", "searchDocsFor" = "resultsIngestedAt" AS "current", "inputFileId" AS "fileId" FROM "Batch" WHERE "id" = $1`,
    [batchId],
  );
  if (!b?.tag || b.current) return null;
  let after = "0";
  let rows = 0;
  for (;;) {
    const [r] = await db.query<{ last: string | null; n: number }>(
      `WITH c AS (
         SELECT res."id", lower(res."customId" || $4 || coalesce(req."prompt", '') || $4 || coalesce(res."content", '')) AS "doc"
         FROM "Result" res
         LEFT JOIN "Request" req ON req."fileId" = $2 AND req."customId" = res."customId"
         WHERE res."batchId" = $1 AND res."id" > $3::bigint
         ORDER BY res."id" LIMIT ${CHUNK}
       ), written AS (
         INSERT INTO "ResultSearch" ("batchId", "resultId", "doc") SELECT $1, c."id", c."doc" FROM c ON CONFLICT DO NOTHING
       )
       SELECT max(c."id")::text AS "last", count(*)::int AS "n" FROM c`,
      [batchId, b.fileId, after, SEPARATOR],
    );
    rows += Number(r?.n ?? 0);
    if (!r?.last || Number(r.n) < CHUNK) break;
    after = r.last;
  }
  // The planner's figures for the new rows (PGlite has no autovacuum): the keys, not the texts.
  await db.exec(`ANALYZE "ResultSearch" ("batchId", "resultId")`);
  // Tagged with the resultsIngestedAt read before the first row: an ingest that ended meanwhile set
  // another, and these texts stay unused until written again.
  await db.exec(`UPDATE "Batch" SET "searchDocsFor" = "resultsIngestedAt" WHERE "id" = $1 AND "resultsIngestedAt"::text = $2`, [batchId, b.tag]);
  const ms = Date.now() - startedAt;
  log.info("search_docs.written", { batchId, rows, ms });
  return { rows, ms };
}

const pending = new Map<string, Promise<unknown>>();

/**
 * buildSearchDocs in the background, once per batch at a time in this process: for a search of a
 * finished batch without its texts (one from before they existed, or whose worker stopped first).
 */
export function buildSearchDocsLater(prisma: Db, batchId: string): void {
  if (pending.has(batchId)) return;
  const run = buildSearchDocs(prisma, batchId)
    .catch((err) => log.warn("search_docs.failed", { batchId, err }))
    .finally(() => pending.delete(batchId));
  pending.set(batchId, run);
}
