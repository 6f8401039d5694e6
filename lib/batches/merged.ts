// The merged view of a lineage (lib/batches/lineage.ts): one row per custom_id, its best answer
// across the first batch and all its retries. A success always wins over a failure (a later retry
// that failed again never hides an earlier answer); among results of the same outcome, the latest
// batch (by createdAt) wins. As SQL: DISTINCT ON the request's line and custom_id, ordered by that
// preference. Retry files keep the original line numbers, so a custom_id has the same line in every
// batch of a lineage and the view lists in the original file's order.
//
// Pages of the table use LIMIT/OFFSET; the CSV export walks the same order by keyset, so a large
// lineage streams with flat memory.
import "server-only";
import { Readable } from "node:stream";
import { csvHeader, csvRecords } from "@/lib/csv/write";
import type { Db } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Lineage } from "./lineage";

export type MergedStatus = "all" | "succeeded" | "failed";

export interface MergedRow {
  customId: string;
  line: number | null;
  succeeded: boolean;
  statusCode: number | null;
  model: string | null;
  content: string | null;
  finishReason: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  totalTokens: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  prompt: string | null;
  /** The batch whose result this is. */
  batchId: string;
  batchName: string;
  /** How many batches of the lineage answered this custom_id (success or failure). */
  attempts: number;
}

export interface MergedCounts {
  /** Batches in the lineage. */
  batches: number;
  /** Requests of the first batch: every custom_id the lineage is about. */
  requests: number;
  /** custom_ids with a success in some batch. */
  succeeded: number;
  /** custom_ids whose every result failed. */
  failed: number;
  /** custom_ids with no result in any batch (yet). */
  unanswered: number;
  /** Succeeded only in a retry: what the retries brought back. */
  recovered: number;
}

export interface MergedPage {
  rows: MergedRow[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
  counts: MergedCounts;
}

/** Sorts results without a line (a custom_id the input lacks) after all the others. */
const LINE_KEY = Prisma.sql`COALESCE(res."line", 2147483647)`;

/** The batch ids as one JSON parameter, the same on PGlite and pg. */
const inLineage = (ids: string[]) => Prisma.sql`(SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`;

/**
 * The winning result per custom_id among the lineage's batches, as a subquery of (key, columns),
 * optionally starting after a keyset cursor (key, custom_id).
 */
function winners(ids: string[], after?: { key: number; customId: string }): Prisma.Sql {
  const cursor = after ? Prisma.sql`AND (${LINE_KEY}, res."customId") > (${after.key}::int, ${after.customId}::text)` : Prisma.empty;
  return Prisma.sql`
    SELECT DISTINCT ON (${LINE_KEY}, res."customId")
      ${LINE_KEY} AS "key", res."id", res."batchId", b."name" AS "batchName", res."customId", res."line", res."succeeded", res."statusCode",
      res."providerRequestId", res."model", res."created", res."content", res."reasoningContent", res."finishReason", res."promptTokens",
      res."completionTokens", res."reasoningTokens", res."totalTokens", res."errorCode", res."errorMessage",
      COALESCE(res."usage", res."raw" #>> '{response,body,usage}') AS "usage"
    FROM "Result" res JOIN "Batch" b ON b."id" = res."batchId"
    WHERE res."batchId" IN ${inLineage(ids)} ${cursor}
    ORDER BY ${LINE_KEY}, res."customId", res."succeeded" DESC, b."createdAt" DESC, res."id" DESC`;
}

const statusCond = (status: MergedStatus) =>
  status === "all" ? Prisma.empty : Prisma.sql`WHERE w."succeeded" = ${status === "succeeded"}`;

/** The columns of a page, with the prompt from the first batch's file and the attempts per custom_id. */
function pageColumns(ids: string[]) {
  return Prisma.sql`w."key", w."customId", w."line", w."succeeded", w."statusCode", w."providerRequestId", w."model", w."created",
    w."content", w."reasoningContent", w."finishReason", w."promptTokens", w."completionTokens", w."reasoningTokens", w."totalTokens",
    w."errorCode", w."errorMessage", w."usage", w."batchId", w."batchName", req."prompt",
    (SELECT count(*)::int FROM "Result" r2 WHERE r2."batchId" IN ${inLineage(ids)} AND r2."customId" = w."customId") AS "attempts"`;
}

const requestOf = (rootFileId: string) => Prisma.sql`LEFT JOIN "Request" req ON req."fileId" = ${rootFileId} AND req."customId" = w."customId"`;

/** What the first batch covers: its file's requests (its own lines, when it is one part of a split job). */
async function rootScope(prisma: Db, rootId: string) {
  return prisma.batch.findUniqueOrThrow({ where: { id: rootId }, select: { inputFileId: true, fromLine: true, toLine: true } });
}

export async function mergedCounts(prisma: Db, lineage: Lineage): Promise<MergedCounts> {
  const ids = lineage.nodes.map((n) => n.id);
  const root = await rootScope(prisma, lineage.rootId);
  const range =
    root.fromLine != null && root.toLine != null ? Prisma.sql`AND "line" BETWEEN ${root.fromLine}::int AND ${root.toLine}::int` : Prisma.empty;
  const db = sql(prisma);
  const [[c], [r]] = await Promise.all([
    db.query<{ succeeded: number; failed: number; recovered: number }>(Prisma.sql`
      SELECT count(*) FILTER (WHERE "ok")::int AS "succeeded", count(*) FILTER (WHERE NOT "ok")::int AS "failed",
        count(*) FILTER (WHERE "ok" AND NOT "firstOk")::int AS "recovered"
      FROM (
        SELECT res."customId", bool_or(res."succeeded") AS "ok", bool_or(res."succeeded" AND res."batchId" = ${lineage.rootId}) AS "firstOk"
        FROM "Result" res WHERE res."batchId" IN ${inLineage(ids)}
        GROUP BY res."customId"
      ) x`),
    db.query<{ n: number }>(Prisma.sql`SELECT count(*)::int AS "n" FROM "Request" WHERE "fileId" = ${root.inputFileId} ${range}`),
  ]);
  const succeeded = Number(c?.succeeded ?? 0);
  const failed = Number(c?.failed ?? 0);
  const requests = Number(r?.n ?? 0);
  return { batches: ids.length, requests, succeeded, failed, unanswered: Math.max(0, requests - succeeded - failed), recovered: Number(c?.recovered ?? 0) };
}

type RawRow = Omit<MergedRow, "attempts"> & { key: number; attempts: number | bigint; providerRequestId: string | null; created: number | null; reasoningContent: string | null; reasoningTokens: number | null; usage: string | null };

export const MERGED_PAGE_SIZE = 50;

/** One page of the merged view, in the original file's order, with the lineage's counts. */
export async function queryMerged(
  prisma: Db,
  lineage: Lineage,
  opts: { page?: number; pageSize?: number; status?: MergedStatus } = {},
): Promise<MergedPage> {
  const ids = lineage.nodes.map((n) => n.id);
  const pageSize = Math.min(Math.max(1, Math.floor(opts.pageSize ?? MERGED_PAGE_SIZE)), 500);
  const page = Math.max(1, Math.floor(Number.isFinite(opts.page) ? (opts.page as number) : 1));
  const status: MergedStatus = opts.status === "succeeded" || opts.status === "failed" ? opts.status : "all";
  const root = await rootScope(prisma, lineage.rootId);
  const [rows, counts] = await Promise.all([
    sql(prisma).query<RawRow>(Prisma.sql`
      WITH w AS (${winners(ids)}), p AS (SELECT * FROM w ${statusCond(status)} ORDER BY w."key", w."customId" LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize})
      SELECT ${pageColumns(ids)} FROM p w ${requestOf(root.inputFileId)}
      ORDER BY w."key", w."customId"`),
    mergedCounts(prisma, lineage),
  ]);
  const total = status === "all" ? counts.succeeded + counts.failed : status === "succeeded" ? counts.succeeded : counts.failed;
  return {
    rows: rows.map((r) => ({
      customId: r.customId,
      line: r.line,
      succeeded: r.succeeded,
      statusCode: r.statusCode,
      model: r.model,
      content: r.content,
      finishReason: r.finishReason,
      promptTokens: r.promptTokens,
      completionTokens: r.completionTokens,
      totalTokens: r.totalTokens,
      errorCode: r.errorCode,
      errorMessage: r.errorMessage,
      prompt: r.prompt,
      batchId: r.batchId,
      batchName: r.batchName,
      attempts: Number(r.attempts),
    })),
    total,
    page,
    pageSize,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
    counts,
  };
}

/** The export's columns: those of a batch's CSV export, then where each answer came from. */
export const MERGED_CSV_COLUMNS = [
  "custom_id", "model", "request_id", "status_code", "error_code", "error_message", "created", "content", "usage",
  "prompt", "reasoning_content", "finish_reason", "prompt_tokens", "completion_tokens", "reasoning_tokens",
  "batch_id", "batch_name", "attempts",
] as const;

/**
 * The merged view as CSV, streamed: keyset pages of `pageSize` winners, each one statement that
 * starts after the previous page's last (line, custom_id).
 */
export function mergedCsv(prisma: Db, lineage: Lineage, opts: { bom?: boolean; pageSize?: number } = {}): Readable {
  const ids = lineage.nodes.map((n) => n.id);
  const pageSize = opts.pageSize ?? 2000;
  return Readable.from(
    (async function* () {
      yield csvHeader(MERGED_CSV_COLUMNS, opts.bom ?? false);
      const root = await rootScope(prisma, lineage.rootId);
      let after: { key: number; customId: string } | undefined;
      for (;;) {
        const rows = await sql(prisma).query<RawRow>(Prisma.sql`
          WITH w AS (${winners(ids, after)}), p AS (SELECT * FROM w ORDER BY w."key", w."customId" LIMIT ${pageSize})
          SELECT ${pageColumns(ids)} FROM p w ${requestOf(root.inputFileId)}
          ORDER BY w."key", w."customId"`);
        if (rows.length === 0) break;
        yield csvRecords(
          rows.map((r) =>
            [
              r.customId, r.model, r.providerRequestId, r.statusCode, r.errorCode, r.errorMessage, r.created, r.content, r.usage,
              r.prompt, r.reasoningContent, r.finishReason, r.promptTokens, r.completionTokens, r.reasoningTokens,
              r.batchId, r.batchName, Number(r.attempts),
            ],
          ),
        );
        if (rows.length < pageSize) break;
        const last = rows[rows.length - 1];
        after = { key: Number(last.key), customId: last.customId };
      }
    })(),
    { objectMode: false },
  );
}
