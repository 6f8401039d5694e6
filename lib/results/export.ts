// Streamed downloads of a batch's results: the CSV export (by default the nine columns of the Bailian
// guide's JSONL-to-CSV script, then what that script leaves out; or the columns the user chose in
// the results browser; for a CSV upload, the user's own spreadsheet columns first), the JSONL of the
// same rows, and the raw output/error JSONL rebuilt from the stored rows. Every export takes the
// view's filter and order. Rows are read 1,000 at a time by keyset through the raw driver
// (lib/db/sql.ts) and pushed through with backpressure, so a 50,000-row batch never sits in memory
// and a closed download stops the reads.
import "server-only";
import { Readable } from "node:stream";
import { fromCopy, type CopyPage } from "@/lib/csv/copy";
import { csvHeader } from "@/lib/csv/write";
import type { Db } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { Prisma } from "@/lib/generated/prisma/client";
import { RESULT_COLUMNS, type ResultColumnId } from "./columns";
import type { ResultSortParam } from "./params";
import type { CsvPrices } from "@/lib/pricing/result-cost";
import { readColumns } from "./browse";
import { keyOf, keysetPages, keysetStatement, prefetch, prefetchPages, sortSql, type KeysetRow } from "./keyset";
import { normaliseFilter, requestJoin, resultOrder, resultWhere } from "./sql";
import type { ResultFilter } from "./types";
import { log } from "@/lib/log";

/** The guide's columns, in its order, so its users' spreadsheets and scripts keep working. */
export const GUIDE_COLUMNS = ["custom_id", "model", "request_id", "status_code", "error_code", "error_message", "created", "content", "usage"] as const;
/** Every field the CSV can hold, in this order ("cost" only when a price is known: see CsvOptions.prices). */
export const CSV_COLUMNS = [
  ...GUIDE_COLUMNS,
  "prompt",
  "reasoning_content",
  "finish_reason",
  "prompt_tokens",
  "completion_tokens",
  "reasoning_tokens",
  "total_tokens",
  "status",
] as const;
export type CsvField = (typeof CSV_COLUMNS)[number] | "cost";

export const EXPORT_PAGE_SIZE = 1000;

/** What a price table needs to cost one result. */
export interface CostInput {
  model: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  reasoningTokens: number | null;
  totalTokens: number | null;
}

export interface CsvOptions {
  pageSize?: number;
  /** A UTF-8 byte order mark: Excel needs it to read Chinese text correctly. */
  bom?: boolean;
  /** The results browser's columns (null or absent: every field). */
  columns?: ResultColumnId[] | null;
  /**
   * "guide": exactly the nine columns the Bailian guide's JSONL-to-CSV script writes (no cost, no
   * uploaded columns), so scripts made for its output keep working.
   */
  layout?: "guide";
  /** For a CSV upload, put the uploaded row's own cells first (default true). */
  source?: boolean;
  sort?: ResultSortParam;
  /** The batch's prices (lib/pricing/result-cost.ts): when given, a "cost" column follows the token counts. */
  prices?: CsvPrices;
  /** The cost column's header, e.g. "cost_usd" (default "cost"). */
  costHeader?: string;
}

/**
 * Each CSV field as SQL over Result (res) and the joined Request (req), giving the cell's value.
 * A row of the input without a result (the spreadsheet export, below) has every res column null.
 */
const FIELD_SQL: Record<Exclude<CsvField, "cost">, Prisma.Sql> = {
  custom_id: Prisma.sql`res."customId"`,
  model: Prisma.sql`res."model"`,
  request_id: Prisma.sql`res."providerRequestId"`,
  status_code: Prisma.sql`res."statusCode"`,
  error_code: Prisma.sql`res."errorCode"`,
  error_message: Prisma.sql`res."errorMessage"`,
  created: Prisma.sql`res."created"`,
  content: Prisma.sql`res."content"`,
  // The provider's own usage object as JSON text, kept at ingest (the guide's script prints
  // Python's repr of it); reading it out of the raw jsonb instead costs ~40% of a page.
  usage: Prisma.sql`COALESCE(res."usage", res."raw" #>> '{response,body,usage}')`,
  prompt: Prisma.sql`req."prompt"`,
  reasoning_content: Prisma.sql`res."reasoningContent"`,
  finish_reason: Prisma.sql`res."finishReason"`,
  prompt_tokens: Prisma.sql`res."promptTokens"`,
  completion_tokens: Prisma.sql`res."completionTokens"`,
  reasoning_tokens: Prisma.sql`res."reasoningTokens"`,
  total_tokens: Prisma.sql`res."totalTokens"`,
  status: Prisma.sql`CASE WHEN res."id" IS NULL THEN 'missing' WHEN res."succeeded" THEN 'succeeded' ELSE 'failed' END`,
};

/** The CSV fields of a column choice, in the registry's order; every field when there is none. */
export function csvFields(columns: ResultColumnId[] | null | undefined, withCost: boolean): CsvField[] {
  const chosen = columns ? new Set<string>(columns) : null;
  const fields: CsvField[] = chosen
    ? [...new Set(RESULT_COLUMNS.filter((c) => chosen.has(c.id)).flatMap((c) => c.csv as readonly CsvField[]))]
    : [...CSV_COLUMNS];
  if (withCost && fields.some((f) => f.endsWith("_tokens"))) fields.splice(fields.findLastIndex((f) => f.endsWith("_tokens")) + 1, 0, "cost");
  return fields;
}

/** The header of an uploaded CSV, when the batch's input came from one. */
async function sourceHeader(prisma: Db, batchId: string): Promise<string[] | null> {
  const [r] = await sql(prisma).query<{ columns: unknown }>(
    Prisma.sql`SELECT f."csv" -> 'columns' AS "columns" FROM "Batch" b JOIN "InputFile" f ON f."id" = b."inputFileId" WHERE b."id" = ${batchId}`,
  );
  return readColumns(r?.columns);
}

/**
 * A row of an export page: the keyset's key and what a price needs, then the values asked for.
 * [line, id, promptTokens, completionTokens, reasoningTokens, totalTokens, model, ...values]
 */
type PageRow = unknown[];
const HEAD = ["line", "id", "promptTokens", "completionTokens", "reasoningTokens", "totalTokens", "model"] as const;
const HEAD_WIDTH = HEAD.length;
const costInput = (r: PageRow): CostInput => ({
  promptTokens: r[2] as number | null,
  completionTokens: r[3] as number | null,
  reasoningTokens: r[4] as number | null,
  totalTokens: r[5] as number | null,
  model: r[6] as string | null,
});

interface PageQuery {
  sort?: ResultSortParam;
  pageSize: number;
  /** The SQL of each value after the head. */
  values: Prisma.Sql[];
  /** Join the request (for the prompt or the uploaded row); a search joins it anyway. */
  join: boolean;
}

/**
 * The view's rows, a page at a time, as arrays (PageRow). Each page comes from the database as
 * one JSON text (json_agg) rather than one field a cell: PGlite's wire reader copies every field
 * on its own, and for a 50,000-row export that was a third of the time (docs/benchmarks.md).
 */
function exportPages(prisma: Db, batchId: string, filter: ResultFilter, q: PageQuery): AsyncGenerator<PageRow[]> {
  const db = sql(prisma);
  const f = normaliseFilter(filter);
  const where = resultWhere(batchId, f);
  const join = q.join || f.q ? requestJoin(batchId) : Prisma.empty;
  const values = q.values.map((v, i) => Prisma.sql`${v} AS ${Prisma.raw(`"v${i}"`)}`);
  const out = Prisma.raw([...HEAD, ...q.values.map((_, i) => `v${i}`)].map((c) => `res."${c}"`).join(", "));
  const s = sortSql(q.sort);
  // The inner statement names its columns after HEAD, so the sort's ORDER BY (over res."...")
  // reads the same in the outer one, where "res" is the page.
  const page = async (after: (number | null)[] | null) => {
    const inner = keysetStatement(
      (cond, order, limit) => Prisma.sql`SELECT ${headColumns}, ${Prisma.join(values)} FROM "Result" res ${join} WHERE ${where} AND ${cond} ORDER BY ${order} LIMIT ${limit}`,
      q.sort,
      after,
      q.pageSize,
    );
    const [r] = await db.query<{ page: string | null }>(
      Prisma.sql`SELECT json_agg(json_build_array(${out}) ORDER BY ${s?.order ?? resultOrder})::text AS "page" FROM (${inner}) res`,
    );
    return r?.page ? (JSON.parse(r.page) as PageRow[]) : [];
  };
  const keyOfRow = (r: PageRow) => keyOf(q.sort, { line: r[0] as number | null, id: r[1] as number, promptTokens: r[2] as number | null, completionTokens: r[3] as number | null, totalTokens: r[5] as number | null });
  return prefetchPages(page, keyOfRow, q.pageSize);
}

const headColumns = Prisma.sql`res."line" AS "line", res."id" AS "id", res."promptTokens" AS "promptTokens", res."completionTokens" AS "completionTokens",
  res."reasoningTokens" AS "reasoningTokens", res."totalTokens" AS "totalTokens", res."model" AS "model"`;

// ------------------------------------------------------------------------------------------- CSV

/** The CSV fields that hold text: written formula-safe (csvText). The rest are numbers, the status, or JSON. */
const TEXT_FIELDS = new Set<CsvField>(["custom_id", "model", "request_id", "error_code", "error_message", "content", "prompt", "reasoning_content", "finish_reason"]);

/**
 * A text cell as lib/csv/write.ts writes one, in SQL: a cell that a spreadsheet would run as a
 * formula gets a leading quote (the same rule as neutraliseFormula), and an empty text is an empty
 * field like NULL (COPY would write ""). The first character is tested by its code (= + - @ tab CR):
 * left(x, 1) IN (...) cost a 50,000-row export ~0.2 s more on PGlite.
 */
function csvText(x: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`NULLIF(CASE WHEN ascii(${x}) IN (61, 43, 45, 64, 9, 13)
    AND ${x} !~ '^[+-]?([0-9]+([.,][0-9]+)?|[.,][0-9]+)([eE][+-]?[0-9]+)?$' THEN '''' || ${x} ELSE ${x} END, '')`;
}

/** Each result's cost: its tokens at its model's price, rounded to 8 decimals; empty without a price or tokens. */
function costSql(p: CsvPrices): Prisma.Sql {
  if (p.prices.length === 0) return Prisma.sql`NULL`;
  const model = p.fallbackModel ? Prisma.sql`COALESCE(res."model", ${p.fallbackModel})` : Prisma.sql`res."model"`;
  const cases = p.prices.map(
    (x) =>
      Prisma.sql`WHEN ${x.model} THEN trim_scale(round((res."promptTokens" * ${x.inputPerMTok}::numeric + COALESCE(res."completionTokens", 0) * ${x.outputPerMTok}::numeric) / 1000000, 8))`,
  );
  return Prisma.sql`CASE ${model} ${Prisma.join(cases, " ")} END`;
}

/**
 * The records of the view, a page of CSV at a time, written by the database (COPY, through
 * sql().copyCsv): one statement and one buffer a page, no cell ever a JS string; fromCopy
 * (lib/csv/copy.ts) takes each record's key off and ends it in CRLF. On PostgreSQL that made a
 * 50,000-row export ~2x faster than reading the rows into JS and writing them there; on PGlite
 * ~20% faster, with COPY's output read back from PGlite's in-memory file system (docs/benchmarks.md).
 * With `spreadsheet`, every row of the input in input order, with or without a result, then the
 * results whose custom_id the input lacks: the spreadsheet a CSV upload gets back.
 */
async function* csvPages(
  prisma: Db,
  batchId: string,
  filter: ResultFilter,
  q: { sort?: ResultSortParam; pageSize: number; cells: Prisma.Sql[]; join: boolean; spreadsheet: boolean },
): AsyncGenerator<Buffer> {
  const db = sql(prisma);
  const f = normaliseFilter(filter);
  const where = resultWhere(batchId, f);
  const join = q.join || f.q ? requestJoin(batchId) : Prisma.empty;
  // Each cell under a name of its own: a cell that is a bare column (res."totalTokens") would otherwise
  // share its name with the key's, and a token sort's outer ORDER BY over the union would be ambiguous.
  const cells = Prisma.join(q.cells.map((c, i) => Prisma.sql`${c} AS ${Prisma.raw(`"c${i}"`)}`));
  // A record's key, before its cells: what keyOf needs (line, id, and the token count a sort orders by).
  const column = sortSql(q.sort)?.column;
  const copyKey = (line: Prisma.Sql) => Prisma.sql`${line} AS "line", res."id" AS "id"${column ? Prisma.raw(`, res."${column}"`) : Prisma.empty}`;
  const page = (statement: Prisma.Sql) => db.copyCsv(statement).then((b) => fromCopy(b, column ? 3 : 2));
  const byResult = (after: (number | null)[] | null) =>
    page(
      keysetStatement(
        (cond, order, limit) => Prisma.sql`SELECT ${copyKey(Prisma.sql`res."line"`)}, ${cells} FROM "Result" res ${join} WHERE ${where} AND ${cond} ORDER BY ${order} LIMIT ${limit}`,
        q.sort,
        after,
        q.pageSize,
      ),
    );
  const keyOfLast = ([line, id, count]: (number | null)[]) => keyOf(q.sort, column ? { line, id: id!, [column]: count } : { line, id: id! });
  if (!q.spreadsheet) return yield* copyPages(byResult, keyOfLast, q.pageSize);
  const byLine = (after: number | null) =>
    page(Prisma.sql`SELECT ${copyKey(Prisma.sql`req."line"`)}, ${cells}
      FROM "Request" req LEFT JOIN "Result" res ON res."batchId" = ${batchId} AND res."customId" = req."customId"
      WHERE req."fileId" = (SELECT b."inputFileId" FROM "Batch" b WHERE b."id" = ${batchId}) AND req."line" > ${after ?? -1}::int
      ORDER BY req."line" LIMIT ${q.pageSize}`);
  yield* copyPages(byLine, ([line]) => line!, q.pageSize);
  yield* copyPages(byResult, keyOfLast, q.pageSize, [null, 0]);
}

/** Pages of CSV from `fetch(after)`, the next asked for before this one is handed on; a short page is the last. */
async function* copyPages<K>(fetch: (after: K | null) => Promise<CopyPage>, keyOfLast: (key: (number | null)[]) => K, pageSize: number, start: K | null = null) {
  for await (const p of prefetch(fetch, (p) => p.rows, (p) => keyOfLast(p.lastKey!), pageSize, start)) yield p.csv;
}

/**
 * The CSV of a batch's results (optionally only those a results-view filter shows, in its order,
 * with its columns), as a Node stream. Records end in CRLF like Python's csv module; fields holding
 * a comma, a quote or any line break are quoted; formulas are neutralised (the rules of
 * lib/csv/write.ts, applied here by the database: csvText, COPY).
 * For a CSV upload, each record starts with the uploaded row's own cells under its own header, so
 * the user gets their spreadsheet back with the results appended; unfiltered, every row of it,
 * those without a result (yet) with the status "missing".
 */
export function resultsCsv(prisma: Db, batchId: string, filter: ResultFilter = {}, opts: CsvOptions = {}): Readable {
  const pageSize = opts.pageSize ?? EXPORT_PAGE_SIZE;
  return Readable.from(
    (async function* () {
      try {
        const guide = opts.layout === "guide";
        const original = opts.source === false || guide ? null : await sourceHeader(prisma, batchId);
        const prices = guide ? undefined : opts.prices;
        const fields: CsvField[] = guide ? [...GUIDE_COLUMNS] : csvFields(opts.columns, Boolean(prices));
        // A result field named like one of the user's own columns gets a suffix rather than two equal headers.
        const taken = new Set(original ?? []);
        const names = fields.map((f) => (f === "cost" ? (opts.costHeader ?? f) : f)).map((f) => (taken.has(f) ? `${f}_result` : f));
        const width = original?.length ?? 0;
        // The spreadsheet's rows: its custom_id is the request's when there is no result.
        const nf = normaliseFilter(filter);
        const unfiltered = nf.status === "all" && !nf.q && !nf.code && !nf.finish && !nf.model;
        const spreadsheet = width > 0 && unfiltered && !sortSql(opts.sort);
        const cell = (f: CsvField): Prisma.Sql => {
          if (f === "cost") return costSql(prices!);
          const v = f === "custom_id" && spreadsheet ? Prisma.sql`COALESCE(res."customId", req."customId")` : FIELD_SQL[f];
          return TEXT_FIELDS.has(f) ? csvText(v) : v;
        };
        // The uploaded row's cells (a JSON array of text), then the result's fields.
        const source = Array.from({ length: width }, (_, i) => csvText(Prisma.sql`(req."source" -> 'cells' ->> ${Prisma.raw(String(i))})`));
        yield csvHeader([...(original ?? []), ...names], opts.bom ?? false);
        yield* csvPages(prisma, batchId, filter, { sort: opts.sort, pageSize, cells: [...source, ...fields.map(cell)], join: width > 0 || fields.includes("prompt"), spreadsheet });
      } catch (err) {
        // A closed download aborts the stream: that is the reader leaving, not a failure.
        if ((err as { name?: string } | null)?.name !== "AbortError") log.error("export.failed", { batchId, format: "csv", err });
        throw err;
      }
    })(),
    { objectMode: false },
  );
}

/**
 * The results of a view as JSONL, one object a result in Batchboard's own shape (the fields of the
 * CSV, usage and error as objects, and for a CSV upload the uploaded row as {column: cell}).
 */
export function resultsJsonlExport(prisma: Db, batchId: string, filter: ResultFilter = {}, opts: { pageSize?: number; sort?: ResultSortParam } = {}): Readable {
  const pageSize = opts.pageSize ?? EXPORT_PAGE_SIZE;
  const fields = ["custom_id", "status", "status_code", "prompt", "content", "reasoning_content", "finish_reason", "error_code", "error_message", "request_id"] as const;
  return Readable.from(
    (async function* () {
      const original = await sourceHeader(prisma, batchId);
      const values = [...fields.map((f) => FIELD_SQL[f]), Prisma.sql`req."source" -> 'cells'`];
      for await (const rows of exportPages(prisma, batchId, filter, { sort: opts.sort, pageSize, values, join: true })) {
        yield rows
          .map((r) => {
            const v = (f: (typeof fields)[number]) => r[HEAD_WIDTH + fields.indexOf(f)];
            const cells = r[HEAD_WIDTH + fields.length];
            const c = costInput(r);
            return (
              JSON.stringify({
                custom_id: v("custom_id"),
                line: r[0],
                status: v("status"),
                status_code: v("status_code"),
                model: c.model,
                prompt: v("prompt"),
                content: v("content"),
                reasoning_content: v("reasoning_content"),
                finish_reason: v("finish_reason"),
                usage: { prompt_tokens: c.promptTokens, completion_tokens: c.completionTokens, reasoning_tokens: c.reasoningTokens, total_tokens: c.totalTokens },
                error: v("status") === "failed" ? { code: v("error_code"), message: v("error_message") } : null,
                request_id: v("request_id"),
                ...(original ? { source: Array.isArray(cells) ? Object.fromEntries(original.map((c, i) => [c, cells[i] == null ? "" : String(cells[i])])) : null } : {}),
              }) + "\n"
            );
          })
          .join("");
      }
    })(),
    { objectMode: false },
  );
}

/**
 * The provider's output lines (succeeded) or error lines (failed) rebuilt from the stored raw
 * JSON, one per line, in input order. Key order may differ from the provider's bytes (jsonb), the
 * content not.
 */
export function resultsJsonl(prisma: Db, batchId: string, which: "output" | "errors", opts: { pageSize?: number } = {}): Readable {
  const pageSize = opts.pageSize ?? EXPORT_PAGE_SIZE;
  const succeeded = which === "output";
  // jsonb as text from the database: no parse and re-serialise in between.
  const select = (cond: Prisma.Sql, order: Prisma.Sql, limit: number) => Prisma.sql`
      SELECT res."line", res."id", res."raw"::text AS "raw" FROM "Result" res
      WHERE res."batchId" = ${batchId} AND res."succeeded" = ${succeeded} AND ${cond}
      ORDER BY ${order} LIMIT ${limit}`;
  return Readable.from(
    (async function* () {
      for await (const rows of keysetPages<KeysetRow & { raw: string }>(sql(prisma), select, undefined, pageSize)) {
        // One chunk per page keeps the stream cheap; a page is at most 1,000 lines.
        yield rows.map((r) => r.raw + "\n").join("");
      }
    })(),
    { objectMode: false },
  );
}
