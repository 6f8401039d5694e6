// The results browser's reads of one batch: keyset pages of results beside their prompts (with the
// matching count on a filtered first page), the values its filters offer, one result for the detail
// drawer, and the counts by outcome. OFFSET pages (queryResults) stay for the benchmark's page
// timings and simple callers. Every read takes a batch id the caller has already checked belongs to
// the asking team (lib/batches/read/view.ts, the routes' ownBatch).
import "server-only";
import type { Db } from "@/lib/db/client";
import { clampPage, clampSize, type Paged } from "@/lib/db/paging";
import { sql, type Sql } from "@/lib/db/sql";
import { Prisma } from "@/lib/generated/prisma/client";
import { cursorParts, decodeCursor, encodeCursor, keyOf, keysetStatement } from "./keyset";
import { parseSort } from "./params";
import { resultCounts, resultStats, type ResultCounts } from "./stats";
import { docMatch, holds, searchableByDocs, searchDocsReady } from "./search-docs";
import { keyColumns, normaliseFilter, promptIds, requestJoin, resultColumns, resultOrder, resultSideMatch, resultWhere, searchUnion, toResultRow, type RawResultRow } from "./sql";
import type { BrowseQuery, ResultDetail, ResultFacets, ResultFilter, ResultQuery, ResultRow, ResultsPage, ViewCount } from "./types";

export const RESULTS_PAGE_SIZE = 50;
export const BROWSE_PAGE_SIZE = 100;
/**
 * A search's count stops here: past it the page says "1,000+ matching" (ResultsPage.totalCapped).
 * An exact count of a word most rows hold reads every answer and prompt of the batch (1-1.5 s at
 * 50,000 rows); the capped one stops at its 1,001st match.
 */
export const SEARCH_COUNT_CAP = 1000;

/** The result rows stored so far, by outcome (the filter tabs' numbers): kept for a finished batch (stats.ts). */
export async function countResults(prisma: Db, batchId: string): Promise<ResultCounts> {
  return resultCounts(prisma, batchId);
}

/**
 * One keyset page of the results browser, with the prompts. Unlike OFFSET pages, the thousandth
 * page costs what the first does: each page starts from the last row's key on an index range.
 */
export async function browseResults(prisma: Db, batchId: string, opts: BrowseQuery = {}): Promise<ResultsPage> {
  const db = sql(prisma);
  const limit = clampSize(opts.limit, BROWSE_PAGE_SIZE);
  const f = normaliseFilter(opts);
  const sort = parseSort(opts.sort);
  const after = opts.after ? decodeCursor(opts.after, cursorParts(sort)) : null;
  const where = resultWhere(batchId, f, { search: false });
  const join = requestJoin(batchId);
  let way = f.q ? await searchWay(db, batchId, f.q) : null;
  const select = (cond: Prisma.Sql, order: Prisma.Sql, n: number) =>
    way
      ? // Each side of the search picks its first n rows by their keys alone (narrow rows to sort
        // and merge), the page is the first n of both, and only then are its columns read. The union
        // is named res: the order's columns (line, id, token counts) are among its columns.
        Prisma.sql`SELECT ${resultColumns} FROM (SELECT * FROM (${searchStatement(
          batchId,
          f.q,
          way,
          (match, j) => Prisma.sql`SELECT ${keyColumns} FROM "Result" res ${j} WHERE ${where} AND ${match} AND ${cond} ORDER BY ${order} LIMIT ${n}`,
        )}) res ORDER BY ${order} LIMIT ${n}) k JOIN "Result" res ON res."id" = k."id" ${join} ORDER BY ${order}`
      : // Without a search the prompt is not needed to choose the rows: pick them on Result alone,
        // then join just those.
        Prisma.sql`SELECT ${resultColumns} FROM (SELECT * FROM "Result" res WHERE ${where} AND ${cond} ORDER BY ${order} LIMIT ${n}) res ${join} ORDER BY ${order}`;
  // A search on the batch's texts looks at the view's next rows first: a word most rows hold fills
  // the page from them. A rarer text's matches come from one pass over the texts, and the page is
  // chosen among them by primary key.
  let rows: RawResultRow[] | null = null;
  if (way?.docs) {
    rows = await searchWindow(db, batchId, f.q, where, join, sort, after, limit);
    if (!rows) {
      const ids = await matchingIds(db, batchId, f.q);
      if (ids?.length === 0) rows = [];
      else if (ids) way = { docs: true, ids };
    }
  }
  rows ??= await db.query<RawResultRow>(keysetStatement(select, sort, after, limit));
  // A first page short of the limit holds every match: its length is the count. A search for a
  // rare word read every row twice before, once for the page and once for the count.
  const counted = !opts.count ? null : !after && rows.length < limit ? { total: rows.length, totalCapped: false } : opts.count === "if-short" ? null : await countView(prisma, batchId, f, Math.max(limit, opts.countCap ?? SEARCH_COUNT_CAP));
  return {
    rows: rows.map(toResultRow),
    nextCursor: rows.length === limit ? encodeCursor(keyOf(sort, rows[rows.length - 1])) : null,
    total: counted?.total ?? null,
    totalCapped: counted?.totalCapped ?? false,
  };
}

/**
 * What a results view's page asks to count: nothing unfiltered (the batch's own counts) or past the
 * first page; a search only when its first page holds every match (the rest asked for apart,
 * countView, so the page is not held back by its count); any other filter with its page.
 */
export function viewCount(f: ResultFilter, after?: string | null): BrowseQuery["count"] {
  const n = normaliseFilter(f);
  if (after || (n.status === "all" && !n.q && !n.code && !n.finish && !n.model)) return false;
  return n.q ? "if-short" : true;
}

/**
 * The rows of a view: a search's up to `cap` (then a lower bound, totalCapped), any other view's
 * exactly (from a finished batch's kept figures when they hold it).
 */
export async function countView(prisma: Db, batchId: string, filter: ResultFilter, cap = SEARCH_COUNT_CAP): Promise<ViewCount> {
  const f = normaliseFilter(filter);
  const db = sql(prisma);
  if (!f.q) return { total: (await keptCount(prisma, batchId, f)) ?? (await countMatching(db, batchId, f)), totalCapped: false };
  const n = await countSearch(db, batchId, f, cap);
  return n > cap ? { total: cap, totalCapped: true } : { total: n, totalCapped: false };
}

/**
 * A search's matches up to `cap` + 1: each side of the search (searchUnion) stops at its first
 * cap + 1 rows, in no order, and the union counts a row found by both once. Either side past the cap
 * puts the union past it; both under it, the union is every match: the count is exact up to the cap.
 * A word in most rows reads about cap rows a side instead of the whole batch.
 */
async function countSearch(db: Sql, batchId: string, f: Required<ResultFilter>, cap: number): Promise<number> {
  const where = resultWhere(batchId, f, { search: false });
  const way = await searchWay(db, batchId, f.q);
  const r = await db.query<{ n: number }>(
    Prisma.sql`SELECT count(*)::int AS n FROM (${searchStatement(batchId, f.q, way, (match, j) => Prisma.sql`SELECT res."id" FROM "Result" res ${j} WHERE ${where} AND ${match} LIMIT ${cap + 1}`)}) u`,
  );
  return Number(r[0]?.n ?? 0);
}

/**
 * How a search picks its rows: on the batch's search texts when they are current (search-docs.ts),
 * among the ids of its matches when they are known (matchingIds), else the union of the Result side
 * and the prompt side (searchUnion).
 */
type SearchWay = { docs: false } | { docs: true; ids?: string[] };

async function searchWay(db: Sql, batchId: string, q: string): Promise<SearchWay> {
  return { docs: searchableByDocs(q) && (await searchDocsReady(db, batchId)) };
}

/** The search's statement, `arm(match, join)` being one side's (join empty on the Result side). */
function searchStatement(batchId: string, q: string, way: SearchWay, arm: (match: Prisma.Sql, join: Prisma.Sql) => Prisma.Sql): Prisma.Sql {
  if (!way.docs) return searchUnion(batchId, q, arm);
  return Prisma.sql`(${arm(way.ids ? Prisma.sql`res."id" = ANY(${way.ids}::bigint[])` : docMatch(batchId, q), Prisma.empty)})`;
}

/** Past this many matches a search leaves choosing its page to the planner (docMatch) rather than a list of ids. */
const MAX_MATCH_IDS = 10_000;
let maxMatchIds = MAX_MATCH_IDS;

/** The results whose text holds q, from one pass over the batch's texts; null past MAX_MATCH_IDS. */
async function matchingIds(db: Sql, batchId: string, q: string): Promise<string[] | null> {
  const r = await db.query<{ id: string }>(
    Prisma.sql`SELECT s."resultId"::text AS "id" FROM "ResultSearch" s WHERE s."batchId" = ${batchId} AND ${holds(q)} LIMIT ${maxMatchIds + 1}`,
  );
  return r.length > maxMatchIds ? null : r.map((x) => x.id);
}

/** The rows of a view a search looks at first (searchWindow). */
const SEARCH_WINDOW = 1000;
let searchWindowRows = SEARCH_WINDOW;
/** For tests: limits smaller than their batch, so that every way of a search is taken. */
export function setSearchLimitsForTests(limits: { window?: number; ids?: number } = {}) {
  searchWindowRows = limits.window ?? SEARCH_WINDOW;
  maxMatchIds = limits.ids ?? MAX_MATCH_IDS;
}

/**
 * A search page from the view's next SEARCH_WINDOW rows without the search, when they hold a page
 * of matches (or are the rest of the view): their keys, then which of them hold q (the texts, by
 * primary key), then the page's rows. The first `limit` matches in them are the page's, since every
 * later row comes after them in the view's order. Null when they hold fewer and more rows follow:
 * the caller reads every text (a rarer text: matchingIds). The planner cannot tell the two apart (a
 * substring search has no statistics): left to it, a common word took a rare text's time (a hash
 * of every match, then a sort).
 */
async function searchWindow(db: Sql, batchId: string, q: string, where: Prisma.Sql, join: Prisma.Sql, sort: ReturnType<typeof parseSort>, after: (number | null)[] | null, limit: number): Promise<RawResultRow[] | null> {
  type Key = { id: string | number | bigint };
  const keys = await db.query<Key>(
    keysetStatement((cond, order, n) => Prisma.sql`SELECT ${keyColumns} FROM "Result" res WHERE ${where} AND ${cond} ORDER BY ${order} LIMIT ${n}`, sort, after, searchWindowRows),
  );
  if (keys.length === 0) return [];
  const ids = keys.map((k) => String(k.id));
  const held = await db.query<{ id: string }>(
    Prisma.sql`SELECT s."resultId"::text AS "id" FROM "ResultSearch" s WHERE s."batchId" = ${batchId} AND s."resultId" = ANY(${ids}::bigint[]) AND ${holds(q)}`,
  );
  const hits = new Set(held.map((r) => r.id));
  const page = ids.filter((id) => hits.has(id)).slice(0, limit);
  if (page.length < limit && keys.length === searchWindowRows) return null;
  if (page.length === 0) return [];
  const rows = await db.query<RawResultRow>(Prisma.sql`SELECT ${resultColumns} FROM "Result" res ${join} WHERE res."id" = ANY(${page}::bigint[])`);
  const at = new Map(page.map((id, i) => [id, i]));
  return rows.sort((a, b) => at.get(String(a.id))! - at.get(String(b.id))!);
}

/**
 * The count of a view a finished batch's kept figures already hold (stats.ts): all rows, one
 * outcome, or one finish reason or model over all outcomes (when among the facets' values). Null
 * otherwise: the rows are counted.
 */
async function keptCount(prisma: Db, batchId: string, f: Required<ResultFilter>): Promise<number | null> {
  if (f.q || f.code || (f.finish && f.model) || ((f.finish || f.model) && f.status !== "all")) return null;
  const s = await resultStats(prisma, batchId, { finishedOnly: true });
  if (!s) return null;
  if (f.finish) return s.facets.finishReasons.find((v) => v.value === f.finish)?.n ?? null;
  if (f.model) return s.facets.models.find((v) => v.value === f.model)?.n ?? null;
  return s.counts[f.status];
}

async function countMatching(db: Sql, batchId: string, f: Required<ResultFilter>) {
  const where = resultWhere(batchId, f, { search: false });
  // A search's count reads every row whatever the word: one pass over the batch's results, the
  // prompt side a set of custom_ids made by one pass over the file's prompts (a hashed subplan),
  // rather than a union of both sides joined row by row (~2x the time at 50,000 rows).
  const batch = f.q
    ? (await db.query<{ id: string; fromLine: number | null; toLine: number | null }>(`SELECT "inputFileId" AS "id", "fromLine", "toLine" FROM "Batch" WHERE "id" = $1`, [batchId]))[0]
    : undefined;
  const lines = batch?.fromLine != null && batch.toLine != null ? { fromLine: batch.fromLine, toLine: batch.toLine } : null;
  const r = await db.query<{ n: number }>(
    f.q
      ? Prisma.sql`SELECT count(*)::int AS n FROM "Result" res WHERE ${where} AND (${resultSideMatch(f.q)} OR res."customId" IN (${promptIds(batch?.id ?? "", f.q, lines)}))`
      : Prisma.sql`SELECT count(*)::int AS n FROM "Result" res WHERE ${where}`,
  );
  return Number(r[0]?.n ?? 0);
}

/** The values the filters offer: one pass over the batch's rows for all three fields, kept once the batch is finished (stats.ts). */
export async function resultFacets(prisma: Db, batchId: string): Promise<ResultFacets> {
  const s = await resultStats(prisma, batchId);
  if (!s) return { codes: [], finishReasons: [], models: [], sourceColumns: null };
  return { ...s.facets, sourceColumns: readColumns(s.columns) };
}

/** One result with its request and raw line, for the detail drawer; null when not in this batch. */
export async function resultDetail(prisma: Db, batchId: string, resultId: string): Promise<ResultDetail | null> {
  if (!/^\d{1,19}$/.test(resultId)) return null;
  const [r] = await sql(prisma).query<RawResultRow & { requestBody: unknown; source: unknown; sourceColumns: unknown; raw: string }>(Prisma.sql`
    SELECT ${resultColumns}, req."body" AS "requestBody", req."source" AS "source",
      (SELECT f."csv" -> 'columns' FROM "InputFile" f JOIN "Batch" b ON b."inputFileId" = f."id" WHERE b."id" = ${batchId}) AS "sourceColumns",
      jsonb_pretty(res."raw") AS "raw"
    FROM "Result" res ${requestJoin(batchId)}
    WHERE res."batchId" = ${batchId} AND res."id" = ${resultId}::bigint`);
  if (!r) return null;
  return {
    ...toResultRow(r),
    requestBody: r.requestBody ?? null,
    source: readSource(r.source),
    sourceColumns: readColumns(r.sourceColumns),
    raw: r.raw,
  };
}

/** Request.source of a CSV upload: {"row": R, "cells": [...]}; anything else is no source. */
export function readSource(v: unknown): { row: number; cells: string[] } | null {
  const s = v as { row?: unknown; cells?: unknown } | null;
  if (!s || typeof s !== "object" || !Array.isArray(s.cells)) return null;
  return { row: typeof s.row === "number" ? s.row : 0, cells: s.cells.map((c) => (c == null ? "" : String(c))) };
}

/** InputFile.csv.columns: the uploaded CSV's header (names, or {name} objects). */
export function readColumns(v: unknown): string[] | null {
  if (!Array.isArray(v) || v.length === 0) return null;
  return v.map((c, i) => (typeof c === "string" ? c : typeof c?.name === "string" ? c.name : `column ${i + 1}`));
}

/**
 * One OFFSET page of a batch's results with their prompts, in input order. The browser uses
 * browseResults (keyset); this stays for the benchmark's page timings and simple callers.
 */
export async function queryResults(prisma: Db, batchId: string, opts: ResultQuery = {}): Promise<Paged<ResultRow>> {
  const db = sql(prisma);
  const pageSize = clampSize(opts.pageSize, RESULTS_PAGE_SIZE);
  const page = clampPage(opts.page);
  const f = normaliseFilter(opts);
  const where = resultWhere(batchId, f);
  const offset = (page - 1) * pageSize;
  const [rows, total] = await Promise.all([
    db.query<RawResultRow>(
      f.q
        ? Prisma.sql`
          SELECT ${resultColumns}
          FROM "Result" res ${requestJoin(batchId)}
          WHERE ${where}
          ORDER BY ${resultOrder}
          LIMIT ${pageSize} OFFSET ${offset}`
        : // Without a search the prompt is not needed to choose the page: skip the offset on Result
          // alone (the (batchId, line, id) index), then join just the page's rows.
          Prisma.sql`
          WITH page AS (
            SELECT * FROM "Result" res WHERE ${where} ORDER BY ${resultOrder} LIMIT ${pageSize} OFFSET ${offset}
          )
          SELECT ${resultColumns}
          FROM page res ${requestJoin(batchId)}
          ORDER BY ${resultOrder}`,
    ),
    countMatching(db, batchId, f),
  ]);
  return { rows: rows.map(toResultRow), total, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
}
