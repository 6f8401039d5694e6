// Streamed downloads of a batch's results: the CSV export (by default the nine columns of the Bailian
// guide's JSONL-to-CSV script, then what that script leaves out; or the columns the user chose in
// the results browser; for a CSV upload, the user's own spreadsheet columns first), the JSONL of the
// same rows, and the raw output/error JSONL rebuilt from the stored rows. Every export takes the
// view's filter and order. Rows are read 1,000 at a time by keyset through the raw driver
// (lib/db/sql.ts) and pushed through with backpressure, so a 50,000-row batch never sits in memory
// and a closed download stops the reads.
import "server-only";
import { Readable } from "node:stream";
import { stringify } from "csv-stringify/sync";
import type { Db } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { Prisma } from "@/lib/generated/prisma/client";
import { RESULT_COLUMNS, type ResultColumnId } from "@/components/results/columns";
import type { ResultSortParam } from "@/components/batches/result-params";
import { keysetPages, normaliseFilter, readColumns, readSource, requestJoin, resultWhere, type KeysetRow, type ResultFilter } from "./queries";

/** The guide's columns, in its order, so its users' spreadsheets and scripts keep working. */
export const GUIDE_COLUMNS = ["custom_id", "model", "request_id", "status_code", "error_code", "error_message", "created", "content", "usage"] as const;
/** Every field the CSV can hold, in this order ("cost" only when a price is known: see CsvOptions.costOf). */
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

interface ExportRow extends KeysetRow {
  customId: string;
  succeeded: boolean;
  model: string | null;
  providerRequestId: string | null;
  statusCode: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  created: number | null;
  content: string | null;
  usage: string | null;
  prompt: string | null;
  reasoningContent: string | null;
  finishReason: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  reasoningTokens: number | null;
  totalTokens: number | null;
  source?: unknown;
}

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
  /** For a CSV upload, put the uploaded row's own cells first (default true). */
  source?: boolean;
  sort?: ResultSortParam;
  /**
   * HOOK for the price table (lib/pricing, written separately): the cost of one result, or null
   * when unknown. When given, a "cost" column follows the token counts.
   */
  costOf?: (r: CostInput) => number | null;
  /** The cost column's header, e.g. "cost_usd" (default "cost"). */
  costHeader?: string;
}

const FIELD: Record<Exclude<CsvField, "cost">, (r: ExportRow) => unknown> = {
  custom_id: (r) => r.customId,
  model: (r) => r.model,
  request_id: (r) => r.providerRequestId,
  status_code: (r) => r.statusCode,
  error_code: (r) => r.errorCode,
  error_message: (r) => r.errorMessage,
  created: (r) => r.created,
  content: (r) => r.content,
  // The provider's own usage object as JSON text, kept at ingest (the guide's script prints
  // Python's repr of it); reading it out of the raw jsonb instead costs ~40% of a page.
  usage: (r) => r.usage,
  prompt: (r) => r.prompt,
  reasoning_content: (r) => r.reasoningContent,
  finish_reason: (r) => r.finishReason,
  prompt_tokens: (r) => r.promptTokens,
  completion_tokens: (r) => r.completionTokens,
  reasoning_tokens: (r) => r.reasoningTokens,
  total_tokens: (r) => r.totalTokens,
  status: (r) => (r.succeeded ? "succeeded" : "failed"),
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

// OWASP's CSV injection advice: a cell starting with = + - @, a tab or a carriage return may be
// run as a formula by Excel or LibreOffice; a leading single quote makes it text. Plain numbers
// ("-12", "+3.5") are left alone: they are not formulas, and a spreadsheet of them must stay one.
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+([.,]\d+)?|[.,]\d+)([eE][+-]?\d+)?$/;

export function neutraliseFormula(v: unknown): unknown {
  return typeof v === "string" && FORMULA_START.test(v) && !PLAIN_NUMBER.test(v) ? `'${v}` : v;
}

/** The header of an uploaded CSV, when the batch's input came from one. */
async function sourceHeader(prisma: Db, batchId: string): Promise<string[] | null> {
  const [r] = await sql(prisma).query<{ columns: unknown }>(
    Prisma.sql`SELECT f."csv" -> 'columns' AS "columns" FROM "Batch" b JOIN "InputFile" f ON f."id" = b."inputFileId" WHERE b."id" = ${batchId}`,
  );
  return readColumns(r?.columns);
}

function exportRows(prisma: Db, batchId: string, filter: ResultFilter, opts: { sort?: ResultSortParam; pageSize: number; source: boolean }) {
  const where = resultWhere(batchId, normaliseFilter(filter));
  const select = (cond: Prisma.Sql, order: Prisma.Sql, limit: number) => Prisma.sql`
      SELECT res."line", res."id", res."customId", res."succeeded", res."model", res."providerRequestId", res."statusCode", res."errorCode",
        res."errorMessage", res."created", res."content", COALESCE(res."usage", res."raw" #>> '{response,body,usage}') AS "usage", req."prompt",
        res."reasoningContent", res."finishReason", res."promptTokens", res."completionTokens", res."reasoningTokens", res."totalTokens"
        ${opts.source ? Prisma.sql`, req."source"` : Prisma.empty}
      FROM "Result" res ${requestJoin(batchId)}
      WHERE ${where} AND ${cond}
      ORDER BY ${order}
      LIMIT ${limit}`;
  return keysetPages<ExportRow>(sql(prisma), select, opts.sort, opts.pageSize);
}

/**
 * The CSV of a batch's results (optionally only those a results-view filter shows, in its order,
 * with its columns), as a Node stream. Records end in CRLF like Python's csv module; fields holding
 * a comma, a quote or any line break are quoted; formulas are neutralised (neutraliseFormula).
 * For a CSV upload, each record starts with the uploaded row's own cells under its own header, so
 * the user gets their spreadsheet back with the results appended.
 */
export function resultsCsv(prisma: Db, batchId: string, filter: ResultFilter = {}, opts: CsvOptions = {}): Readable {
  const pageSize = opts.pageSize ?? EXPORT_PAGE_SIZE;
  const options = {
    record_delimiter: "\r\n",
    // csv-stringify only quotes the record delimiter itself; a lone \n inside an answer must be
    // quoted too or every reader would split the record there.
    quoted_match: /[\r\n]/,
  };
  const costOf = opts.costOf;
  return Readable.from(
    (async function* () {
      try {
        const original = opts.source === false ? null : await sourceHeader(prisma, batchId);
        const fields = csvFields(opts.columns, Boolean(costOf));
        // A result field named like one of the user's own columns gets a suffix rather than two equal headers.
        const taken = new Set(original ?? []);
        const names = fields.map((f) => (f === "cost" ? (opts.costHeader ?? f) : f)).map((f) => (taken.has(f) ? `${f}_result` : f));
        const width = original?.length ?? 0;
        const header = [...(original ?? []), ...names].map(neutraliseFormula);
        // One chunk a page (not one a record: 50,000 small writes cost more than the CSV itself).
        yield stringify([header], { ...options, bom: opts.bom ?? false });
        for await (const rows of exportRows(prisma, batchId, filter, { sort: opts.sort, pageSize, source: width > 0 })) {
          const records = rows.map((r) => {
            const own: unknown[] = [];
            if (width > 0) {
              const cells = readSource(r.source)?.cells ?? [];
              for (let i = 0; i < width; i++) own.push(cells[i] ?? "");
            }
            for (const f of fields) own.push(f === "cost" ? costOf!(r) : FIELD[f](r));
            return own.map(neutraliseFormula);
          });
          yield stringify(records, options);
        }
      } catch (err) {
        // A closed download aborts the stream: that is the reader leaving, not a failure.
        if ((err as { name?: string } | null)?.name !== "AbortError") console.error("CSV export failed", err);
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
  return Readable.from(
    (async function* () {
      const original = await sourceHeader(prisma, batchId);
      for await (const rows of exportRows(prisma, batchId, filter, { sort: opts.sort, pageSize, source: original !== null })) {
        yield rows
          .map((r) => {
            const cells = original ? readSource(r.source)?.cells : undefined;
            return (
              JSON.stringify({
                custom_id: r.customId,
                line: r.line,
                status: r.succeeded ? "succeeded" : "failed",
                status_code: r.statusCode,
                model: r.model,
                prompt: r.prompt,
                content: r.content,
                reasoning_content: r.reasoningContent,
                finish_reason: r.finishReason,
                usage: { prompt_tokens: r.promptTokens, completion_tokens: r.completionTokens, reasoning_tokens: r.reasoningTokens, total_tokens: r.totalTokens },
                error: r.succeeded ? null : { code: r.errorCode, message: r.errorMessage },
                request_id: r.providerRequestId,
                ...(original ? { source: cells ? Object.fromEntries(original.map((c, i) => [c, cells[i] ?? ""])) : null } : {}),
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

/** A file name any browser and OS accept, from a batch name that may hold anything. */
export function safeFileName(name: string, suffix: string, fallback: string) {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "") // accents off: "Résumé" becomes "Resume", not "Re-sume"
    .replace(/[^\w.-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "")
    .slice(0, 80);
  return `${base || fallback}${suffix}`;
}

/** Content-Disposition with an ASCII name and, for names with other characters, the UTF-8 one. */
export function attachment(name: string, suffix: string, fallback: string) {
  const ascii = safeFileName(name, suffix, fallback);
  const full = `${name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, "-").trim().slice(0, 120) || fallback}${suffix}`;
  return full === ascii ? `attachment; filename="${ascii}"` : `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(full)}`;
}
