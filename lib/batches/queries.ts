// Reads behind the batch pages and their JSON routes: the team's batch list, one batch with its
// progress snapshots, and a page of results beside the requests that produced them. Every read of
// a batch takes the team id, so another team's batch is simply not found. The shapes returned are
// plain JSON (dates as ISO strings, no BigInt) so that a page can hand them to react-query as
// initial data and the routes can send the very same objects.
import "server-only";
import type { Db } from "@/lib/db/client";
import { sql, type Sql } from "@/lib/db/sql";
import { Prisma } from "@/lib/generated/prisma/client";
import type { BatchStatus } from "@/lib/generated/prisma/enums";
import { isBuiltInKind, profiles } from "@/lib/providers/profiles";
import { isTerminal } from "@/lib/providers/status";
import { effectiveProfile } from "@/lib/providers/connections.limits";
import { readConnectionLimits } from "@/lib/providers/connections.limits.read";
import { ParamError } from "@/lib/http/params";
import { parseSort, type ResultSortParam } from "@/components/batches/result-params";

export type ResultStatusFilter = "all" | "succeeded" | "failed";

/** What narrows the results: the same fields, and names, as the view's URL (result-params.ts). */
export interface ResultFilter {
  status?: ResultStatusFilter;
  /** Case-insensitive text searched in custom_id, prompt and answer. */
  q?: string;
  /** Exact error code, finish reason or model. */
  code?: string;
  finish?: string;
  model?: string;
}

export interface ResultQuery extends ResultFilter {
  page?: number;
  pageSize?: number;
}

/** A keyset page of the results browser: `after` is the previous page's `nextCursor`. */
export interface BrowseQuery extends ResultFilter {
  sort?: ResultSortParam;
  after?: string | null;
  limit?: number;
  /** Count the matching rows too (the first page only: the count does not change while scrolling). */
  count?: boolean;
}

export interface ResultsPage {
  rows: ResultRow[];
  /** Where the next page starts, or null after the last row. */
  nextCursor: string | null;
  /** Matching rows, when asked for. */
  total: number | null;
}

/** The distinct values of the filterable fields in one batch, with how many rows hold each. */
export interface ResultFacets {
  codes: { value: string; n: number }[];
  finishReasons: { value: string; n: number }[];
  models: { value: string; n: number }[];
  /** The header of the uploaded CSV the batch's input came from (its columns can be joined back), or null. */
  sourceColumns: string[] | null;
}

/** Everything the detail drawer shows about one result. */
export interface ResultDetail extends ResultRow {
  /** The request's body as sent (messages, parameters), or null when the input lacks the custom_id. */
  requestBody: unknown;
  /** The CSV row the request came from ({row, cells}) and the file's header, for CSV uploads. */
  source: { row: number; cells: string[] } | null;
  sourceColumns: string[] | null;
  /** The provider's line as stored, pretty-printed. */
  raw: string;
}

export interface BatchListRow {
  id: string;
  name: string;
  status: BatchStatus;
  rawStatus: string | null;
  total: number;
  completed: number;
  failed: number;
  createdAt: string;
  connection: { name: string; kind: string };
  createdBy: string | null;
  live: boolean;
  /** Brought in from the provider's own history (import), not launched here. */
  importedAt: string | null;
  /** A free test run on the provider's test model (Bailian's batch-test-model). */
  dryRun: boolean;
  /** One part of a job (a file split over the provider's limits, lib/batches/jobs.ts). */
  part?: { jobId: string; part: number; of: number } | null;
}

export interface Paged<T> {
  rows: T[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

export interface SnapshotPoint {
  at: string;
  status: BatchStatus;
  total: number;
  completed: number;
  failed: number;
}

export interface BatchView {
  id: string;
  name: string;
  description: string | null;
  status: BatchStatus;
  rawStatus: string | null;
  endpoint: string;
  completionWindow: string;
  providerBatchId: string | null;
  outputFileId: string | null;
  errorFileId: string | null;
  errors: unknown;
  total: number;
  completed: number;
  failed: number;
  createdAt: string;
  providerCreatedAt: string | null;
  inProgressAt: string | null;
  finalizingAt: string | null;
  completedAt: string | null;
  failedAt: string | null;
  expiredAt: string | null;
  cancellingAt: string | null;
  cancelledAt: string | null;
  expiresAt: string | null;
  lastPolledAt: string | null;
  lastSyncError: string | null;
  resultsIngestedAt: string | null;
  resultCount: number;
  /** Brought in from the provider's own history (import), not launched here. */
  importedAt: string | null;
  /** A free test run on the provider's test model (Bailian's batch-test-model). */
  dryRun: boolean;
  connection: { id: string; name: string; kind: string; providerLabel: string };
  inputFile: { id: string; name: string; requestCount: number };
  createdBy: string | null;
  parent: { id: string; name: string } | null;
  /** Result rows stored so far, by outcome (the filter tabs' numbers). */
  resultCounts: { all: number; succeeded: number; failed: number };
  terminal: boolean;
  /** Whether the page should keep polling: still running, or finished with results not yet stored. */
  live: boolean;
  snapshots: SnapshotPoint[];
}

export interface ResultRow {
  id: string;
  customId: string;
  succeeded: boolean;
  statusCode: number | null;
  providerRequestId: string | null;
  model: string | null;
  created: number | null;
  content: string | null;
  reasoningContent: string | null;
  finishReason: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  reasoningTokens: number | null;
  totalTokens: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  prompt: string | null;
  /** The line of the request in the input file; null for a custom_id the input lacks. */
  line: number | null;
}

export const RESULTS_PAGE_SIZE = 50;
export const BATCHES_PAGE_SIZE = 25;
/** The chart needs the shape of the curve, not every poll of a day-long batch. */
const MAX_CHART_POINTS = 400;

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function clampPage(page: number | undefined) {
  return Number.isFinite(page) && (page as number) >= 1 ? Math.floor(page as number) : 1;
}

/** The most rows one page may hold. */
export const MAX_PAGE_SIZE = 500;

function clampSize(size: number | undefined, fallback: number) {
  return Number.isFinite(size) && (size as number) >= 1 ? Math.min(Math.floor(size as number), MAX_PAGE_SIZE) : fallback;
}

/** Is there anything still to wait for? Terminal batches with files not yet ingested still are. */
export function isLive(b: { status: BatchStatus; resultsIngestedAt: Date | string | null; outputFileId: string | null; errorFileId: string | null }) {
  if (!isTerminal(b.status)) return true;
  return !b.resultsIngestedAt && Boolean(b.outputFileId || b.errorFileId);
}

export async function listBatches(prisma: Db, teamId: string, opts: { page?: number; pageSize?: number } = {}): Promise<Paged<BatchListRow>> {
  const pageSize = clampSize(opts.pageSize, BATCHES_PAGE_SIZE);
  const page = clampPage(opts.page);
  const [rows, total] = await Promise.all([
    prisma.batch.findMany({
      where: { teamId },
      // id breaks ties so that pages never repeat or skip a batch created in the same millisecond.
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * pageSize,
      take: pageSize,
      select: {
        id: true,
        name: true,
        status: true,
        rawStatus: true,
        total: true,
        completed: true,
        failed: true,
        createdAt: true,
        resultsIngestedAt: true,
        outputFileId: true,
        errorFileId: true,
        importedAt: true,
        dryRun: true,
        jobPart: true,
        job: { select: { id: true, _count: { select: { batches: true } } } },
        connection: { select: { name: true, kind: true } },
        createdBy: { select: { name: true } },
      },
    }),
    prisma.batch.count({ where: { teamId } }),
  ]);
  return {
    rows: rows.map((b) => ({
      id: b.id,
      name: b.name,
      status: b.status,
      rawStatus: b.rawStatus,
      total: b.total,
      completed: b.completed,
      failed: b.failed,
      createdAt: b.createdAt.toISOString(),
      connection: b.connection,
      createdBy: b.createdBy?.name ?? null,
      live: isLive(b),
      importedAt: iso(b.importedAt),
      dryRun: b.dryRun,
      part: b.job ? { jobId: b.job.id, part: b.jobPart ?? 0, of: b.job._count.batches } : null,
    })),
    total,
    page,
    pageSize,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
  };
}

/** One batch of the team with what its page shows beside it; null when absent or another team's. */
export async function getBatch(prisma: Db, teamId: string, id: string) {
  return prisma.batch.findFirst({
    where: { id, teamId },
    include: {
      connection: { select: { id: true, name: true, kind: true } },
      inputFile: { select: { id: true, name: true, requestCount: true } },
      createdBy: { select: { name: true } },
      parent: { select: { id: true, name: true } },
    },
  });
}

export async function getBatchView(prisma: Db, teamId: string, id: string): Promise<BatchView | null> {
  const b = await getBatch(prisma, teamId, id);
  if (!b) return null;
  const [snapshots, resultCounts] = await Promise.all([
    prisma.batchSnapshot.findMany({
      where: { batchId: b.id },
      orderBy: { at: "asc" },
      select: { at: true, status: true, total: true, completed: true, failed: true },
    }),
    countResults(prisma, b.id),
  ]);
  return {
    id: b.id,
    name: b.name,
    description: b.description,
    status: b.status,
    rawStatus: b.rawStatus,
    endpoint: b.endpoint,
    completionWindow: b.completionWindow,
    providerBatchId: b.providerBatchId,
    outputFileId: b.outputFileId,
    errorFileId: b.errorFileId,
    errors: b.errors ?? null,
    total: b.total,
    completed: b.completed,
    failed: b.failed,
    createdAt: b.createdAt.toISOString(),
    providerCreatedAt: iso(b.providerCreatedAt),
    inProgressAt: iso(b.inProgressAt),
    finalizingAt: iso(b.finalizingAt),
    completedAt: iso(b.completedAt),
    failedAt: iso(b.failedAt),
    expiredAt: iso(b.expiredAt),
    cancellingAt: iso(b.cancellingAt),
    cancelledAt: iso(b.cancelledAt),
    expiresAt: iso(b.expiresAt),
    lastPolledAt: iso(b.lastPolledAt),
    lastSyncError: b.lastSyncError,
    resultsIngestedAt: iso(b.resultsIngestedAt),
    resultCount: b.resultCount,
    importedAt: iso(b.importedAt),
    dryRun: b.dryRun,
    connection: { ...b.connection, providerLabel: profiles[b.connection.kind]?.label ?? b.connection.kind },
    inputFile: b.inputFile,
    createdBy: b.createdBy?.name ?? null,
    parent: b.parent,
    resultCounts,
    terminal: isTerminal(b.status),
    live: isLive(b),
    snapshots: thin(snapshots).map((s) => ({ ...s, at: s.at.toISOString() })),
  };
}

/** Keeps at most MAX_CHART_POINTS evenly spread snapshots, always the first and the last. */
function thin<T>(points: T[]): T[] {
  if (points.length <= MAX_CHART_POINTS) return points;
  const step = (points.length - 1) / (MAX_CHART_POINTS - 1);
  return Array.from({ length: MAX_CHART_POINTS }, (_, i) => points[Math.round(i * step)]);
}

export async function countResults(prisma: Db, batchId: string) {
  const groups = await prisma.result.groupBy({ by: ["succeeded"], where: { batchId }, _count: { _all: true } });
  const succeeded = groups.find((g) => g.succeeded)?._count._all ?? 0;
  const failed = groups.find((g) => !g.succeeded)?._count._all ?? 0;
  return { all: succeeded + failed, succeeded, failed };
}

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
function searchUnion(batchId: string, q: string, arm: (match: Prisma.Sql, join: Prisma.Sql) => Prisma.Sql): Prisma.Sql {
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
const keyColumns = Prisma.sql`res."id", res."line", res."promptTokens", res."completionTokens", res."totalTokens"`;

/** Results in input order: by the line of their request, then (no line: a custom_id the input lacks) as stored. */
export const resultOrder = Prisma.sql`res."line", res."id"`;

type RawResultRow = Omit<ResultRow, "id"> & { id: string | number | bigint };

export function toResultRow(r: RawResultRow): ResultRow {
  return { ...r, id: String(r.id) };
}

// ------------------------------------------------------------------------------------ keyset pages

const INT_MAX = 2147483647;
const TOKEN_COLUMN = { total_tokens: "totalTokens", prompt_tokens: "promptTokens", completion_tokens: "completionTokens" } as const;

/**
 * A sort as SQL. Input order is (line, id) on the (batchId, line, id) index, the rows without a
 * line last. A token sort orders by the count (rows without one, e.g. failed, always last), then
 * input order; no index holds token counts, so it reads the filtered rows and keeps the top page
 * (a bounded top-N sort, measured in queries.perf.test.ts).
 */
interface SortSql {
  /** Key of a row: what a cursor holds. */
  key(row: KeysetRow): (number | null)[];
  /** The rows after a cursor's key. */
  after(key: (number | null)[]): Prisma.Sql;
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
  // Missing counts sort last both ways: the sentinel is below every count when descending, above when ascending.
  const k = Prisma.sql`COALESCE(res.${Prisma.raw(`"${col}"`)}, ${Prisma.raw(desc ? "-1" : String(INT_MAX))})`;
  const tie = Prisma.sql`COALESCE(res."line", ${Prisma.raw(String(INT_MAX))})`;
  return {
    tokens: true,
    column: col,
    key: (r) => [r[col] ?? (desc ? -1 : INT_MAX), r.line ?? INT_MAX, Number(r.id)],
    after: ([kv, line, id]) =>
      Prisma.sql`(${k} ${Prisma.raw(desc ? "<" : ">")} ${kv}::int OR (${k} = ${kv}::int AND (${tie}, res."id") > (${line}::int, ${id}::bigint)))`,
    order: Prisma.sql`${k} ${Prisma.raw(desc ? "DESC" : "ASC")}, ${tie}, res."id"`,
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
  if (s) return select(after ? s.after(after) : Prisma.sql`TRUE`, s.order, limit);
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

export const BROWSE_PAGE_SIZE = 100;

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

/** What the launch form offers: the team's files that passed validation, and its connections. */
export async function launchOptions(prisma: Db, teamId: string) {
  const [files, connections] = await Promise.all([
    prisma.inputFile.findMany({
      where: { teamId, status: "valid" },
      orderBy: { createdAt: "desc" },
      take: 200,
      select: { id: true, name: true, endpoint: true, models: true, requestCount: true, bytes: true, createdAt: true },
    }),
    prisma.providerConnection.findMany({
      where: { teamId },
      orderBy: { createdAt: "asc" },
      select: { id: true, name: true, kind: true, limits: true },
    }),
  ]);
  // The sandbox comes first: it is the one a new user can launch on without a key.
  connections.sort((a, b) => Number(isBuiltInKind(b.kind)) - Number(isBuiltInKind(a.kind)));
  return {
    // bytes as a number: the form explains a file over a byte limit (BigInt does not cross to the browser).
    files: files.map((f) => ({ ...f, bytes: Number(f.bytes), createdAt: f.createdAt.toISOString() })),
    connections: connections.map((c) => {
      if (!profiles[c.kind]) return { ...c, limits: null, providerLabel: c.kind, endpoints: [], completionWindows: ["24h"] };
      // A custom connection's own limits (checked again as read); the form builds the same effective profile.
      const limits = readConnectionLimits(c);
      const p = effectiveProfile(c.kind, limits, { name: c.name });
      return {
        ...c,
        limits,
        providerLabel: profiles[c.kind].label,
        endpoints: p.endpoints,
        completionWindows: p.completionWindows,
      };
    }),
  };
}

export type LaunchOptions = Awaited<ReturnType<typeof launchOptions>>;
