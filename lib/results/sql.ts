// The SQL every read of a batch's results shares: the filter (outcome, error code, finish reason,
// model) and the search (custom_id, prompt, answer) as one WHERE clause over `res` (Result) and `req`
// (its Request), the join to the request, the columns of a row and the input order. The results
// browser (browse.ts), the exports (export.ts) and the comparison (lib/compare) build their
// statements from these; values are always bound parameters.
import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ResultFilter, ResultRow } from "./types";

/** LIKE treats % and _ as wildcards; a search for "50%" means the text "50%". */
export function likePattern(q: string) {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const clip = (v: string | undefined) => (v ?? "").trim().slice(0, 200);

export function normaliseFilter(f: ResultFilter): Required<ResultFilter> {
  const status = f.status === "succeeded" || f.status === "failed" ? f.status : "all";
  return { status, q: clip(f.q), code: clip(f.code), finish: clip(f.finish), model: clip(f.model) };
}

/**
 * A case-insensitive "contains" on one column, `col ILIKE p` but cheaper. On UTF-8 text ILIKE
 * lowers the whole text before matching, through wide characters under the database's locale
 * (C.UTF-8 on PGlite): five times LIKE's cost over long prompts.
 * - A query without cased letters (Chinese, digits) needs LIKE alone.
 * - A query in ASCII needs only ASCII letters lowered: the "C" collation's lower() is a loop over
 *   bytes, half ILIKE's time under the locale (a 50,000-answer search 104 ms instead of 200 ms on
 *   PGlite). It finds what ILIKE finds, but for the few non-ASCII letters whose lower case is an
 *   ASCII one (the Kelvin sign, the Turkish dotted İ).
 * - Any other query: a text holding the words as typed, or in lower case, matches a LIKE already,
 *   and only the others need ILIKE (lower() maps character to character, so those LIKE matches
 *   are ILIKE ones).
 */
export function containsSql(col: Prisma.Sql, q: string): Prisma.Sql {
  const p = likePattern(q);
  if (!hasCase(q)) return Prisma.sql`${col} LIKE ${p}`;
  if (/^[\x00-\x7f]*$/.test(q)) return Prisma.sql`${col} COLLATE "C" ILIKE ${p}`;
  const typed = q === q.toLowerCase() ? Prisma.empty : Prisma.sql`${col} LIKE ${p} OR `;
  return Prisma.sql`(${col} LIKE lower(${p}) OR ${typed}${col} ILIKE ${p})`;
}

/** Whether some character of q has another case (then LIKE alone would miss a match). */
export function hasCase(q: string) {
  for (const ch of q) if (ch.toLowerCase() !== ch || ch.toUpperCase() !== ch) return true;
  return false;
}

/** The search on the Result side: custom_id or answer. */
export function resultSideMatch(q: string): Prisma.Sql {
  return Prisma.sql`(${containsSql(Prisma.sql`res."customId"`, q)} OR ${containsSql(Prisma.sql`res."content"`, q)})`;
}

/** The search on the Request side: the prompt. */
export function promptMatch(q: string): Prisma.Sql {
  return containsSql(Prisma.sql`req."prompt"`, q);
}

/**
 * The custom_ids whose prompt matches, from the batch's input file `fileId`: `res."customId" IN
 * (this)` is the prompt side of a search without a join (a result's request is the one with its
 * custom_id in that file).
 */
export function promptIds(fileId: string, q: string, lines?: { fromLine: number; toLine: number } | null): Prisma.Sql {
  // The file's id as a value, not a subquery: with a subquery's cost on it, the planner tested the
  // LIKE first, on every file's prompts. A part of a job reads its own lines only: the whole file's
  // matches (a million custom_ids for a common word) no longer fit a hashed subplan in work_mem, and
  // the plan that does without one took minutes.
  const range = lines ? Prisma.sql` AND req."line" BETWEEN ${lines.fromLine} AND ${lines.toLine}` : Prisma.empty;
  return Prisma.sql`SELECT req."customId" FROM "Request" req WHERE req."fileId" = ${fileId}${range} AND ${promptMatch(q)}`;
}

/**
 * The WHERE clause shared by the results browser and the exports, over `res` (Result) and `req`
 * (its Request). Every branch starts from the batch id so that the (batchId, ...) indexes apply.
 * Only the search reads `req`: the other filters stay on Result, so a page can be chosen before
 * the join. `search: false` leaves the search out (the browser splits it, see searchUnion).
 */
export function resultWhere(batchId: string, filter: ResultFilter, opts: { search?: boolean } = {}): Prisma.Sql {
  const f = normaliseFilter(filter);
  const parts: Prisma.Sql[] = [Prisma.sql`res."batchId" = ${batchId}`];
  // An error code only exists on failed rows: saying so lets the (batchId, succeeded) index narrow it.
  const status = f.code ? "failed" : f.status;
  if (status !== "all") parts.push(Prisma.sql`res."succeeded" = ${status === "succeeded"}`);
  if (f.code) parts.push(Prisma.sql`res."errorCode" = ${f.code}`);
  if (f.finish) parts.push(Prisma.sql`res."finishReason" = ${f.finish}`);
  if (f.model) parts.push(Prisma.sql`res."model" = ${f.model}`);
  if (f.q && opts.search !== false) parts.push(Prisma.sql`(${resultSideMatch(f.q)} OR ${promptMatch(f.q)})`);
  return Prisma.join(parts, " AND ");
}

/**
 * The rows matching a search as two statements joined by UNION: the matches on Result (custom_id,
 * answer) and those on the prompt. One OR over both tables makes every row be joined and read;
 * split, the Result side needs no join and each side stops at its first n rows in the page's order.
 * (pg_trgm GIN indexes on answer, prompt and custom_id made a rare text's search 20-70 ms instead
 * of 0.5-1.8 s at 50,000 rows, but doubled the upload's and the ingest's time: not taken, see
 * docs/benchmarks.md.)
 * `arm(match, join)` is one side's statement; `join` is empty on the Result side (it needs no
 * prompt). The same result found by both sides counts once.
 */
export function searchUnion(batchId: string, q: string, arm: (match: Prisma.Sql, join: Prisma.Sql) => Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(${arm(resultSideMatch(q), Prisma.empty)}) UNION (${arm(promptMatch(q), requestJoin(batchId, "inner"))})`;
}

/**
 * Joins each result to the request with the same custom_id in the batch's input file, through the
 * (fileId, customId) unique index. The batch's file id is a scalar subquery, so a caller needs only
 * the batch id and the whole page stays one statement.
 */
export function requestJoin(batchId: string, kind: "left" | "inner" = "left"): Prisma.Sql {
  return Prisma.sql`${Prisma.raw(kind === "left" ? "LEFT JOIN" : "JOIN")} "Request" req ON req."fileId" = (SELECT b."inputFileId" FROM "Batch" b WHERE b."id" = ${batchId}) AND req."customId" = res."customId"`;
}
// "id" as the database's int8 (a number): the keyset pages order by it after a UNION.
export const resultColumns = Prisma.sql`res."id", res."line", res."customId", res."succeeded", res."statusCode", res."providerRequestId", res."model", res."created",
  res."content", res."reasoningContent", res."finishReason", res."promptTokens", res."completionTokens", res."reasoningTokens",
  res."totalTokens", res."errorCode", res."errorMessage", req."prompt"`;

/** What a keyset page orders by (sortSql, resultOrder): enough to choose a page before reading its rows. */
export const keyColumns = Prisma.sql`res."id", res."line", res."promptTokens", res."completionTokens", res."totalTokens"`;

/** Results in input order: by the line of their request, then (no line: a custom_id the input lacks) as stored. */
export const resultOrder = Prisma.sql`res."line", res."id"`;

export type RawResultRow = Omit<ResultRow, "id"> & { id: string | number | bigint };

export function toResultRow(r: RawResultRow): ResultRow {
  return { ...r, id: String(r.id) };
}
