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
import { keyColumns, normaliseFilter, requestJoin, resultColumns, resultOrder, resultWhere, searchUnion, toResultRow, type RawResultRow } from "./sql";
import type { BrowseQuery, ResultDetail, ResultFacets, ResultFilter, ResultQuery, ResultRow, ResultsPage } from "./types";

export const RESULTS_PAGE_SIZE = 50;
export const BROWSE_PAGE_SIZE = 100;

/** The result rows stored so far, by outcome (the filter tabs' numbers). */
export async function countResults(prisma: Db, batchId: string) {
  const groups = await prisma.result.groupBy({ by: ["succeeded"], where: { batchId }, _count: { _all: true } });
  const succeeded = groups.find((g) => g.succeeded)?._count._all ?? 0;
  const failed = groups.find((g) => !g.succeeded)?._count._all ?? 0;
  return { all: succeeded + failed, succeeded, failed };
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
  const select = (cond: Prisma.Sql, order: Prisma.Sql, n: number) =>
    f.q
      ? // Each side of the search picks its first n rows by their keys alone (narrow rows to sort
        // and merge), the page is the first n of both, and only then are its columns read. The union
        // is named res: the order's columns (line, id, token counts) are among its columns.
        Prisma.sql`SELECT ${resultColumns} FROM (SELECT * FROM (${searchUnion(
          batchId,
          f.q,
          (match, j) => Prisma.sql`SELECT ${keyColumns} FROM "Result" res ${j} WHERE ${where} AND ${match} AND ${cond} ORDER BY ${order} LIMIT ${n}`,
        )}) res ORDER BY ${order} LIMIT ${n}) k JOIN "Result" res ON res."id" = k."id" ${join} ORDER BY ${order}`
      : // Without a search the prompt is not needed to choose the rows: pick them on Result alone,
        // then join just those.
        Prisma.sql`SELECT ${resultColumns} FROM (SELECT * FROM "Result" res WHERE ${where} AND ${cond} ORDER BY ${order} LIMIT ${n}) res ${join} ORDER BY ${order}`;
  const rows = await db.query<RawResultRow>(keysetStatement(select, sort, after, limit));
  // A first page short of the limit holds every match: its length is the count. A search for a
  // rare word read every row twice before, once for the page and once for the count.
  const total = !opts.count ? null : !after && rows.length < limit ? rows.length : await countMatching(db, batchId, f);
  return {
    rows: rows.map(toResultRow),
    nextCursor: rows.length === limit ? encodeCursor(keyOf(sort, rows[rows.length - 1])) : null,
    total,
  };
}

async function countMatching(db: Sql, batchId: string, f: Required<ResultFilter>) {
  const where = resultWhere(batchId, f, { search: false });
  const r = await db.query<{ n: number }>(
    f.q
      ? Prisma.sql`SELECT count(*)::int AS n FROM (${searchUnion(
          batchId,
          f.q,
          (match, j) => Prisma.sql`SELECT res."id" FROM "Result" res ${j} WHERE ${where} AND ${match}`,
        )}) u`
      : Prisma.sql`SELECT count(*)::int AS n FROM "Result" res WHERE ${where}`,
  );
  return Number(r[0]?.n ?? 0);
}

/** The values the filters offer: one pass over the batch's rows for all three fields. */
export async function resultFacets(prisma: Db, batchId: string): Promise<ResultFacets> {
  const db = sql(prisma);
  const [rows, file] = await Promise.all([
    db.query<{ g: number; v: string | null; n: number }>(Prisma.sql`
    SELECT GROUPING(res."errorCode", res."finishReason", res."model")::int AS g,
      COALESCE(res."errorCode", res."finishReason", res."model") AS v, count(*)::int AS n
    FROM "Result" res WHERE res."batchId" = ${batchId}
    GROUP BY GROUPING SETS ((res."errorCode"), (res."finishReason"), (res."model"))`),
    db.query<{ columns: unknown }>(
      Prisma.sql`SELECT f."csv" -> 'columns' AS "columns" FROM "Batch" b JOIN "InputFile" f ON f."id" = b."inputFileId" WHERE b."id" = ${batchId}`,
    ),
  ]);
  // GROUPING() sets a bit per column left out: 0b011 grouped by error code, 0b101 by finish reason, 0b110 by model.
  const pick = (g: number) =>
    rows
      .filter((r) => r.g === g && r.v != null && r.v !== "")
      .map((r) => ({ value: r.v as string, n: Number(r.n) }))
      .sort((a, b) => b.n - a.n || a.value.localeCompare(b.value))
      .slice(0, 100);
  return { codes: pick(3), finishReasons: pick(5), models: pick(6), sourceColumns: readColumns(file[0]?.columns) };
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
