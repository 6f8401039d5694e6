// Keyset pages of a batch's results, in input order or by a token count: a cursor is the key of
// the last row sent, and the next page starts from it on an index range, so the thousandth page
// costs what the first does (OFFSET reads and drops every row before it). The results browser
// (browse.ts) and the exports (export.ts) walk their rows this way; prefetch asks for the next page
// while the consumer works on this one.
import "server-only";
import type { Sql } from "@/lib/db/sql";
import { Prisma } from "@/lib/generated/prisma/client";
import { ParamError } from "@/lib/http/params";
import { parseSort, type ResultSortParam } from "./params";
import { resultOrder } from "./sql";

const INT_MAX = 2147483647;
const TOKEN_COLUMN = { total_tokens: "totalTokens", prompt_tokens: "promptTokens", completion_tokens: "completionTokens" } as const;

/**
 * A sort as SQL. Input order is (line, id) on the (batchId, line, id) index, the rows without a
 * line last. A token sort orders by the count (rows without one, e.g. failed, always last), then
 * input order. It is two ranges, like input order: the rows with a count, read from the
 * (batchId, <count>) index in the count's order (the ties, rows of the same count, put in input
 * order by an incremental sort), then the rows without one; so a page reads about its own rows, not
 * every row of the batch (the top-N sort it replaced: docs/benchmarks.md).
 */
interface SortSql {
  /** Key of a row: what a cursor holds. */
  key(row: KeysetRow): (number | null)[];
  /** The rows after a cursor's key, as the ranges to read in turn (each with its order). */
  ranges(key: (number | null)[] | null): { cond: Prisma.Sql; order: Prisma.Sql }[];
  /** The whole order, over the columns of a page's rows (a union of the ranges). */
  outer: Prisma.Sql;
  /** The same order over `res`, a relation with the Result columns' names. */
  order: Prisma.Sql;
  tokens: boolean;
  /** The Result column sorted by. */
  column: (typeof TOKEN_COLUMN)[keyof typeof TOKEN_COLUMN];
}

/** The columns a keyset needs from each row. */
export interface KeysetRow {
  line: number | null;
  id: number | bigint | string;
  promptTokens?: number | null;
  completionTokens?: number | null;
  totalTokens?: number | null;
}

export function sortSql(sort: ResultSortParam | undefined): SortSql | null {
  const s = parseSort(sort);
  if (!s) return null;
  const desc = s.startsWith("-");
  const field = (desc ? s.slice(1) : s) as keyof typeof TOKEN_COLUMN;
  const col = TOKEN_COLUMN[field];
  // Missing counts sort last both ways: in a cursor, the sentinel is below every count when
  // descending, above when ascending.
  const sentinel = desc ? -1 : INT_MAX;
  const c = Prisma.raw(`res."${col}"`);
  const dir = Prisma.raw(desc ? "DESC" : "ASC");
  const tie = Prisma.sql`COALESCE(res."line", ${Prisma.raw(String(INT_MAX))})`;
  const counted = Prisma.sql`${c} IS NOT NULL`;
  const missing = Prisma.sql`${c} IS NULL`;
  const countedOrder = Prisma.sql`${c} ${dir}, ${tie}, res."id"`;
  const missingOrder = Prisma.sql`${tie}, res."id"`;
  return {
    tokens: true,
    column: col,
    key: (r) => [r[col] ?? sentinel, r.line ?? INT_MAX, Number(r.id)],
    ranges: (key) => {
      if (!key) return [{ cond: counted, order: countedOrder }, { cond: missing, order: missingOrder }];
      const [kv, line, id] = key;
      const past = Prisma.sql`(${tie}, res."id") > (${line}::int, ${id}::bigint)`;
      if (kv === sentinel) return [{ cond: Prisma.sql`${missing} AND ${past}`, order: missingOrder }];
      // The count's own bound first, so the index range starts at the cursor's count.
      const from = Prisma.sql`${c} ${Prisma.raw(desc ? "<=" : ">=")} ${kv}::int AND (${c} ${Prisma.raw(desc ? "<" : ">")} ${kv}::int OR ${past})`;
      return [{ cond: Prisma.sql`${counted} AND ${from}`, order: countedOrder }, { cond: missing, order: missingOrder }];
    },
    order: Prisma.sql`COALESCE(${c}, ${Prisma.raw(String(sentinel))}) ${dir}, ${tie}, res."id"`,
    outer: Prisma.sql`COALESCE(${Prisma.raw(`"${col}"`)}, ${Prisma.raw(String(sentinel))}) ${dir}, COALESCE("line", ${Prisma.raw(String(INT_MAX))}), "id"`,
  };
}

/** A cursor is the key of the last row sent, as dotted integers ("" for a missing line). */
export function encodeCursor(key: (number | null)[]) {
  return key.map((v) => (v == null ? "" : String(v))).join(".");
}

const INT32 = 2 ** 31;

/** A cursor of ours: `parts` integers, each an int but the last (a row id, a safe integer). */
export function decodeCursor(cursor: string, parts: number): (number | null)[] {
  const values = cursor.split(".");
  const ours =
    values.length === parts &&
    values.every((v, i) => {
      if (v === "") return i === 0 && parts === 2;
      const n = /^-?\d{1,16}$/.test(v) ? Number(v) : NaN;
      // Past these the ::int and ::bigint casts of the statement fail (22003).
      return i === parts - 1 ? n >= 0 && n <= Number.MAX_SAFE_INTEGER : n >= -INT32 && n < INT32;
    });
  if (!ours) throw new ParamError("after", 'The parameter "after" is not a position in these results: this page link is out of date. Reload the results.');
  return values.map((v) => (v === "" ? null : Number(v)));
}

/**
 * The statement for one keyset page in the order of `sort`: `select(cond, order, limit)` is the
 * statement for the rows matching `cond`, with "line" and "id" (and the token counts when sorting
 * by them) among its columns. Input order takes two index ranges: the rows with a line after the
 * cursor by (line, id), then those without one by id.
 */
export function keysetStatement(
  select: (cond: Prisma.Sql, order: Prisma.Sql, limit: number) => Prisma.Sql,
  sort: ResultSortParam | undefined,
  after: (number | null)[] | null,
  limit: number,
): Prisma.Sql {
  const s = sortSql(sort);
  if (s) {
    const [first, second] = s.ranges(after);
    if (!second) return select(first.cond, first.order, limit);
    // A UNION's ORDER BY takes column names only: the union is a subquery here.
    return Prisma.sql`
      SELECT * FROM ((${select(first.cond, first.order, limit)}) UNION ALL (${select(second.cond, second.order, limit)})) u
      ORDER BY ${s.outer} LIMIT ${limit}`;
  }
  const noLine = Prisma.sql`res."line" IS NULL`;
  if (after !== null && after[0] === null) return select(Prisma.sql`${noLine} AND res."id" > ${after[1]}::bigint`, resultOrder, limit);
  const withLine = after
    ? Prisma.sql`res."line" >= ${after[0]}::int AND (res."line" > ${after[0]}::int OR res."id" > ${after[1]}::bigint)`
    : Prisma.sql`res."line" IS NOT NULL`;
  return Prisma.sql`
    (${select(withLine, resultOrder, limit)}) UNION ALL (${select(noLine, resultOrder, limit)})
    ORDER BY "line", "id" LIMIT ${limit}`;
}

export function keyOf(sort: ResultSortParam | undefined, row: KeysetRow): (number | null)[] {
  const s = sortSql(sort);
  return s ? s.key(row) : [row.line, Number(row.id)];
}

export function cursorParts(sort: ResultSortParam | undefined) {
  return sortSql(sort) ? 3 : 2;
}

/**
 * Pages through the matching results by keyset, each page one statement. The next page is asked
 * for before this one is handed on, so the database works while the rows are written; at most two
 * pages are ever held. A consumer that stops early stops the reads.
 */
export function keysetPages<T extends KeysetRow>(
  db: Sql,
  select: (cond: Prisma.Sql, order: Prisma.Sql, limit: number) => Prisma.Sql,
  sort: ResultSortParam | undefined,
  pageSize: number,
): AsyncGenerator<T[]> {
  return prefetchPages((after: (number | null)[] | null) => db.query<T>(keysetStatement(select, sort, after, pageSize)), (last) => keyOf(sort, last), pageSize);
}

/** Pages of rows from `fetch(after)` (see prefetch), `after` the key of the previous page's last row. */
export function prefetchPages<T, K>(fetch: (after: K | null) => Promise<T[]>, keyOfLast: (last: T) => K, pageSize: number): AsyncGenerator<T[]> {
  return prefetch(fetch, (p) => p.length, (p) => keyOfLast(p[p.length - 1]), pageSize, null);
}

/**
 * Pages from `fetch(after)`, where `after` is the key of the previous page's last row (`start` for
 * the first page): the next page is asked for before this one is handed on; a short page is the
 * last. A page is any shape: `rows` counts its rows, `keyOfLast` reads its last row's key.
 */
export async function* prefetch<P, K>(fetch: (after: K | null) => Promise<P>, rows: (page: P) => number, keyOfLast: (page: P) => K, pageSize: number, start: K | null): AsyncGenerator<P> {
  let next: Promise<P> | null = fetch(start);
  while (next) {
    const page: P = await next;
    const n = rows(page);
    next = n < pageSize ? null : fetch(keyOfLast(page));
    // A consumer that stops early leaves a prefetch behind: keep its failure from going unhandled.
    next?.catch(() => {});
    if (n > 0) yield page;
  }
}
