// The comparison as CSV: one record a row, both sides' status, answer, error, model and tokens,
// streamed a page at a time by the same keyset as the page (a 50,050-row CSV ~4 s on PGlite).
import "server-only";
import { Readable } from "node:stream";
import { csvHeader, csvRecords } from "@/lib/csv/write";
import type { Db } from "@/lib/db/client";
import { compareRows, MAX_COMPARE_PAGE_SIZE } from "./rows";
import type { CompareInput, ComparePage, CompareQuery, CompareRow, CompareSideResult } from "./types";

export const COMPARE_CSV_COLUMNS = [
  "custom_id",
  "line",
  "prompt",
  "prompt_b",
  "status_a",
  "status_b",
  "changed",
  "answer_a",
  "answer_b",
  "error_a",
  "error_b",
  "model_a",
  "model_b",
  "prompt_tokens_a",
  "completion_tokens_a",
  "reasoning_tokens_a",
  "prompt_tokens_b",
  "completion_tokens_b",
  "reasoning_tokens_b",
] as const;

export const sideStatus = (s: CompareSideResult | null) => (!s ? "missing" : s.succeeded ? "succeeded" : "failed");

function csvRecord(r: CompareRow): unknown[] {
  const err = (s: CompareSideResult | null) => (s && !s.succeeded ? [s.errorCode, s.errorMessage].filter(Boolean).join(": ") || null : null);
  return [
    r.customId,
    r.line,
    r.prompt,
    r.promptB,
    sideStatus(r.a),
    sideStatus(r.b),
    r.changed === null ? null : r.changed ? "yes" : "no",
    r.a?.content ?? null,
    r.b?.content ?? null,
    err(r.a),
    err(r.b),
    r.a?.model ?? null,
    r.b?.model ?? null,
    r.a?.promptTokens ?? null,
    r.a?.completionTokens ?? null,
    r.a?.reasoningTokens ?? null,
    r.b?.promptTokens ?? null,
    r.b?.completionTokens ?? null,
    r.b?.reasoningTokens ?? null,
  ];
}

/**
 * The comparison as CSV, streamed: 1,000 rows a page by the same keyset as the page, the next page
 * asked for while this one is written, so a 50,000-row comparison never sits in memory.
 */
export function compareCsv(
  prisma: Db,
  cmp: CompareInput,
  query: Omit<CompareQuery, "after" | "pageSize"> = {},
  opts: { pageSize?: number; bom?: boolean } = {},
): Readable {
  const pageSize = opts.pageSize ?? MAX_COMPARE_PAGE_SIZE;
  return Readable.from(
    (async function* () {
      yield csvHeader(COMPARE_CSV_COLUMNS, opts.bom ?? false);
      let next: Promise<ComparePage> | null = compareRows(prisma, cmp, { ...query, pageSize });
      while (next) {
        const page: ComparePage = await next;
        next = page.next ? compareRows(prisma, cmp, { ...query, pageSize, after: page.next }) : null;
        next?.catch(() => {});
        if (page.rows.length > 0) yield csvRecords(page.rows.map(csvRecord));
      }
    })(),
    { objectMode: false },
  );
}
