// Turns a batch's results into Result rows: at its end, and (partial.ts) while it runs where the
// provider serves them. Which sources to read and how a line reads are the adapter's (resultSources,
// readResults, parseResultLine); this streams the lines (never held whole) and writes them in chunks
// of one INSERT … ON CONFLICT DO NOTHING on the unique (batchId, customId), so a re-run, a re-read
// or a restart mid-ingest neither duplicates nor drops a row.
import "server-only";
import type { Db } from "@/lib/db/client";
import { sql, type Sql } from "@/lib/db/sql";
import { log } from "@/lib/log";
import type { ParsedResult, ProviderAdapter, ResultRefs } from "@/lib/providers/adapter";
import type { LeaseGuard } from "./lease";

/** A JSON text without its \u0000 escapes (an escaped backslash before "u0000" is not one). */
export function withoutNulEscapes(text: string): string {
  return text.replace(/(?<!\\)((?:\\\\)*)\\u0000/g, "$1");
}

export interface IngestOptions {
  chunkSize?: number;
  lease?: LeaseGuard;
  /**
   * Lines of each file already stored while the batch ran (partial results): reading goes on from
   * there. If the rows then fall short of `expected` (the batch's request count), both files are read
   * again whole: a provider that reordered or rewrote its file must not cost a result.
   */
  resume?: { output: number; error: number; expected: number };
}

export interface IngestOutcome {
  /** false when the lease was lost midway: the new holder finishes the job. */
  done: boolean;
  /** Result rows of the batch once done. */
  resultCount: number;
  /** Lines that could not be read as a result (no JSON, no custom_id). */
  skippedLines: number;
}

export interface StoreOutcome {
  /** false when the lease was lost midway: what was stored stays, the caller must not move on. */
  done: boolean;
  /** Non-blank lines read. */
  lines: number;
  /**
   * Lines read up to the last one that could be stored: a resumed read starts after these. A line
   * still being written at the end of a partial answer does not count, so it is read again.
   */
  settledLines: number;
  skippedLines: number;
}

/**
 * Streams lines of one result file into Result rows, in chunks of one INSERT … ON CONFLICT DO
 * NOTHING: reading the same lines twice stores nothing twice.
 */
export async function storeResultLines(
  prisma: Db,
  batchId: string,
  lines: AsyncIterable<string>,
  // `parse`: the adapter's reading of one line (adapter.parseResultLine).
  opts: Pick<IngestOptions, "chunkSize" | "lease"> & { parse: (line: string) => ParsedResult | null },
): Promise<StoreOutcome> {
  const chunkSize = opts.chunkSize ?? 1000;
  const db = sql(prisma);
  const out: StoreOutcome = { done: true, lines: 0, settledLines: 0, skippedLines: 0 };
  let rows: IngestRow[] = [];
  let rowBytes = 0;
  const flush = async () => {
    if (rows.length === 0) return;
    const data = rows;
    rows = [];
    rowBytes = 0;
    await insertResults(db, batchId, data);
  };

  for await (const raw of lines) {
    if (!raw.trim()) continue;
    // PostgreSQL's text and jsonb refuse NUL: a model that wrote one must not stop the ingest, for
    // any provider's parser.
    const line = raw.includes("\\u0000") ? withoutNulEscapes(raw) : raw;
    out.lines++;
    const r = opts.parse(line);
    if (!r) {
      out.skippedLines++;
      continue;
    }
    out.settledLines = out.lines;
    // The line itself is the raw JSON: one JSON.stringify less per row.
    const text = line.trim();
    rows.push({ ...r, raw: text });
    rowBytes += text.length;
    if (rows.length >= chunkSize || rowBytes >= CHUNK_BYTES) {
      if (opts.lease?.lost()) return { ...out, done: false };
      await flush();
    }
  }
  if (opts.lease?.lost()) return { ...out, done: false };
  await flush();
  return out;
}

/**
 * Streams the batch's result sources into Result rows: the output, then the errors (the adapter
 * lists them in that order), so that a custom_id a provider reports in both keeps its answer. Sets
 * resultsIngestedAt and resultCount only when every source was read to the end.
 */
export async function ingestResults(
  prisma: Db,
  batch: { id: string } & ResultRefs,
  adapter: ProviderAdapter,
  opts: IngestOptions = {},
): Promise<IngestOutcome> {
  const sources = adapter.resultSources(batch);
  const readAll = async (from: { output: number; error: number }) => {
    let skipped = 0;
    for (const source of sources) {
      const read = await adapter.readResults(source, from[source.slot]);
      const o = await storeResultLines(prisma, batch.id, read.lines, { ...opts, parse: adapter.parseResultLine });
      skipped += o.skippedLines;
      if (!o.done) return { done: false, skipped };
    }
    return { done: true, skipped };
  };

  const resume = opts.resume && (opts.resume.output > 0 || opts.resume.error > 0) ? opts.resume : undefined;
  const startedAt = Date.now();
  log.info("ingest.started", { batchId: batch.id, outputFileId: batch.outputFileId, errorFileId: batch.errorFileId, resumeFrom: resume });
  // Another instance holds the batch now and finishes the job: stop here, and say so.
  const leaseLost = (skippedLines: number) => {
    log.warn("lease.lost", { batchId: batch.id, during: "ingest", ms: Date.now() - startedAt });
    return { done: false, resultCount: 0, skippedLines };
  };
  let pass = await readAll(resume ?? { output: 0, error: 0 });
  if (!pass.done) return leaseLost(pass.skipped);
  let resultCount = await prisma.result.count({ where: { batchId: batch.id } });
  if (resume && resultCount < resume.expected) {
    log.info("ingest.rereading", { batchId: batch.id, results: resultCount, expected: resume.expected });
    pass = await readAll({ output: 0, error: 0 });
    if (!pass.done) return leaseLost(pass.skipped);
    resultCount = await prisma.result.count({ where: { batchId: batch.id } });
  }

  if (opts.lease?.lost()) return leaseLost(pass.skipped);
  if (pass.skipped) log.warn("ingest.lines_skipped", { batchId: batch.id, skipped: pass.skipped, why: "no JSON or no custom_id" });
  // Fresh statistics for the planner: PGlite has no autovacuum, and on PostgreSQL it comes later
  // than the first look at the results (without them the results page picks hash joins over all).
  await sql(prisma).exec(`ANALYZE "Result"`);
  await prisma.batch.update({ where: { id: batch.id }, data: { resultsIngestedAt: new Date(), resultCount } });
  log.info("ingest.finished", { batchId: batch.id, results: resultCount, skipped: pass.skipped, ms: Date.now() - startedAt });
  return { done: true, resultCount, skippedLines: pass.skipped };
}

/** Also cut a chunk by size: a few huge answers must not make one giant statement. */
const CHUNK_BYTES = 4 * 1024 * 1024;

type IngestRow = Omit<ParsedResult, "raw"> & { raw: string };

/**
 * One statement a chunk through the raw driver: the rows as bound array parameters, unnested in
 * their order (WITH ORDINALITY), each given the line of its request in the batch's input file (the
 * (fileId, customId) unique index), and ON CONFLICT ("batchId", "customId") DO NOTHING, so a
 * re-run or a custom_id seen twice keeps the first row. The names follow prisma/schema.prisma.
 */
async function insertResults(db: Sql, batchId: string, rows: IngestRow[]) {
  const col = <K extends keyof IngestRow>(k: K) => rows.map((r) => r[k]);
  // The same statement drops the batch's kept counts and facets (lib/results/stats.ts): they no
  // longer hold once rows are stored.
  await db.exec(
    `WITH stale AS (DELETE FROM "ResultStats" WHERE "batchId" = $1)
     INSERT INTO "Result" ("batchId", "customId", "succeeded", "statusCode", "providerRequestId", "model", "created", "content",
       "reasoningContent", "finishReason", "promptTokens", "completionTokens", "reasoningTokens", "totalTokens", "errorCode",
       "errorMessage", "usage", "raw", "line")
     SELECT $1, u.c1, u.c2, u.c3, u.c4, u.c5, u.c6, u.c7, u.c8, u.c9, u.c10, u.c11, u.c12, u.c13, u.c14, u.c15, u.c16, u.c17, req."line"
     FROM unnest($2::text[], $3::bool[], $4::int[], $5::text[], $6::text[], $7::int[], $8::text[], $9::text[], $10::text[],
                 $11::int[], $12::int[], $13::int[], $14::int[], $15::text[], $16::text[], $17::text[], $18::jsonb[])
          WITH ORDINALITY AS u(c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, ord)
     LEFT JOIN "Request" req ON req."fileId" = (SELECT b."inputFileId" FROM "Batch" b WHERE b."id" = $1) AND req."customId" = u.c1
     ORDER BY u.ord
     ON CONFLICT ("batchId", "customId") DO NOTHING`,
    [
      batchId,
      col("customId"),
      col("succeeded"),
      col("statusCode"),
      col("providerRequestId"),
      col("model"),
      col("created"),
      col("content"),
      col("reasoningContent"),
      col("finishReason"),
      col("promptTokens"),
      col("completionTokens"),
      col("reasoningTokens"),
      col("totalTokens"),
      col("errorCode"),
      col("errorMessage"),
      col("usage"),
      col("raw"),
    ],
  );
}
