// Streamed downloads of a batch's results: the CSV export (the nine columns of the Bailian guide's
// JSONL-to-CSV script, then what that script leaves out), and the raw output/error JSONL rebuilt
// from the stored rows, in input order. Rows are read 1,000 at a time by a (line, id) keyset through
// the raw driver (lib/db/sql.ts) and pushed through with backpressure, so a 50,000-row batch never
// sits in memory and a closed download stops the reads.
import "server-only";
import { Readable } from "node:stream";
import { stringify } from "csv-stringify/sync";
import type { Db } from "@/lib/db/client";
import { sql, type Sql } from "@/lib/db/sql";
import { Prisma } from "@/lib/generated/prisma/client";
import { normaliseFilter, requestJoin, resultOrder, resultWhere, type ResultFilter } from "./queries";

/** The guide's columns, in its order, so its users' spreadsheets and scripts keep working. */
export const GUIDE_COLUMNS = ["custom_id", "model", "request_id", "status_code", "error_code", "error_message", "created", "content", "usage"] as const;
export const CSV_COLUMNS = [...GUIDE_COLUMNS, "prompt", "reasoning_content", "finish_reason", "prompt_tokens", "completion_tokens", "reasoning_tokens"] as const;

export const EXPORT_PAGE_SIZE = 1000;

interface CsvRow extends Keyed {
  customId: string;
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
}

export interface CsvOptions {
  pageSize?: number;
  /** A UTF-8 byte order mark: Excel needs it to read Chinese text correctly. */
  bom?: boolean;
}

/** Where a page ends: results are listed by (line, id), those without a line last by id. */
interface Keyed {
  line: number | null;
  id: number | bigint;
}

/**
 * Pages through a batch's results in input order by keyset, each page one statement on index
 * ranges: the rows with a line after the cursor, by (line, id) on the (batchId, line, id) index,
 * then those without one, by id. `select(cond, limit)` is the statement for the rows matching
 * `cond` in that order, with "line" and "id" among its columns. The next page is asked for before
 * this one is handed on, so the database works while the rows are written; at most two pages are
 * ever held.
 */
function keysetPages<T extends Keyed>(db: Sql, select: (cond: Prisma.Sql, limit: number) => Prisma.Sql, pageSize: number): AsyncGenerator<T[]> {
  const noLine = Prisma.sql`res."line" IS NULL`;
  const fetch = (after: Keyed | null): Promise<T[]> => {
    if (after !== null && after.line === null) {
      return db.query<T>(select(Prisma.sql`${noLine} AND res."id" > ${after.id}::bigint`, pageSize));
    }
    const withLine = after
      ? Prisma.sql`res."line" >= ${after.line}::int AND (res."line" > ${after.line}::int OR res."id" > ${after.id}::bigint)`
      : Prisma.sql`res."line" IS NOT NULL`;
    return db.query<T>(Prisma.sql`
      (${select(withLine, pageSize)}) UNION ALL (${select(noLine, pageSize)})
      ORDER BY "line", "id" LIMIT ${pageSize}`);
  };
  return (async function* () {
    let next: Promise<T[]> | null = fetch(null);
    while (next) {
      const rows: T[] = await next;
      next = rows.length < pageSize ? null : fetch(rows[rows.length - 1]);
      // A consumer that stops early leaves a prefetch behind: keep its failure from going unhandled.
      next?.catch(() => {});
      if (rows.length > 0) yield rows;
    }
  })();
}

function csvRecords(prisma: Db, batchId: string, filter: ResultFilter, pageSize: number): AsyncGenerator<unknown[][]> {
  const where = resultWhere(batchId, normaliseFilter(filter));
  const select = (cond: Prisma.Sql, limit: number) => Prisma.sql`
      SELECT res."line", res."id", res."customId", res."model", res."providerRequestId", res."statusCode", res."errorCode",
        res."errorMessage", res."created", res."content", COALESCE(res."usage", res."raw" #>> '{response,body,usage}') AS "usage", req."prompt",
        res."reasoningContent", res."finishReason", res."promptTokens", res."completionTokens", res."reasoningTokens"
      FROM "Result" res ${requestJoin(batchId)}
      WHERE ${where} AND ${cond}
      ORDER BY ${resultOrder}
      LIMIT ${limit}`;
  return (async function* () {
    for await (const rows of keysetPages<CsvRow>(sql(prisma), select, pageSize)) {
      yield rows.map((r) => [
          r.customId,
          r.model,
          r.providerRequestId,
          r.statusCode,
          r.errorCode,
          r.errorMessage,
          r.created,
          r.content,
          // The provider's own usage object as JSON text, kept at ingest (the guide's script prints
          // Python's repr of it); reading it out of the raw jsonb instead costs ~40% of a page.
          r.usage,
          r.prompt,
          r.reasoningContent,
          r.finishReason,
          r.promptTokens,
          r.completionTokens,
          r.reasoningTokens,
        ]);
    }
  })();
}

/**
 * The CSV of a batch's results (optionally only those a results-view filter shows), as a Node
 * stream. Records end in CRLF like Python's csv module; fields holding a comma, a quote or any line
 * break are quoted.
 */
export function resultsCsv(prisma: Db, batchId: string, filter: ResultFilter = {}, opts: CsvOptions = {}): Readable {
  const pageSize = opts.pageSize ?? EXPORT_PAGE_SIZE;
  const options = {
    columns: [...CSV_COLUMNS],
    record_delimiter: "\r\n",
    // csv-stringify only quotes the record delimiter itself; a lone \n inside an answer must be
    // quoted too or every reader would split the record there.
    quoted_match: /[\r\n]/,
  };
  return Readable.from(
    (async function* () {
      // One chunk a page (not one a record: 50,000 small writes cost more than the CSV itself).
      yield stringify([], { ...options, header: true, bom: opts.bom ?? false });
      try {
        for await (const records of csvRecords(prisma, batchId, filter, pageSize)) yield stringify(records, options);
      } catch (err) {
        console.error("CSV export failed", err);
        throw err;
      }
    })(),
    { objectMode: false },
  );
}

/**
 * The provider's output lines (succeeded) or error lines (failed) rebuilt from the stored raw
 * JSON, one per line. Key order may differ from the provider's bytes (jsonb), the content not.
 */
export function resultsJsonl(prisma: Db, batchId: string, which: "output" | "errors", opts: { pageSize?: number } = {}): Readable {
  const pageSize = opts.pageSize ?? EXPORT_PAGE_SIZE;
  const succeeded = which === "output";
  // jsonb as text from the database: no parse and re-serialise in between.
  const select = (cond: Prisma.Sql, limit: number) => Prisma.sql`
      SELECT res."line", res."id", res."raw"::text AS "raw" FROM "Result" res
      WHERE res."batchId" = ${batchId} AND res."succeeded" = ${succeeded} AND ${cond}
      ORDER BY ${resultOrder} LIMIT ${limit}`;
  return Readable.from(
    (async function* () {
      for await (const rows of keysetPages<Keyed & { raw: string }>(sql(prisma), select, pageSize)) {
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
