// Turns a batch's results into Result rows: at its end, and (partial.ts) while it runs where the
// provider serves them. Which sources to read and how a line reads are the adapter's (resultSources,
// readResults, parseResultLine); this streams the lines (never held whole) by COPY: straight into
// Result on a batch's first store (Direct), otherwise into a TEMP table whose chunks move into Result
// by one INSERT … SELECT … ON CONFLICT DO NOTHING on the unique (batchId, customId), so a re-run, a
// re-read or a restart mid-ingest neither duplicates nor drops a row.
import "server-only";
import type { Db } from "@/lib/db/client";
import { COPY_CSV_OPTIONS, copyField as field, CopyRows, sql, type Sql } from "@/lib/db/sql";
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
 * Streams lines of one result file into Result rows, in chunks: by COPY straight into Result when
 * the batch has no row yet (Direct), otherwise each chunk by COPY into a TEMP table of the session,
 * then one INSERT … SELECT … ON CONFLICT DO NOTHING from it (COPY itself has no ON CONFLICT), so
 * reading the same lines twice stores nothing twice.
 */
export async function storeResultLines(
  prisma: Db,
  batchId: string,
  lines: AsyncIterable<string>,
  // `parse`: the adapter's reading of one line (adapter.parseResultLine).
  opts: Pick<IngestOptions, "chunkSize" | "lease"> & { parse: (line: string) => ParsedResult | null },
): Promise<StoreOutcome> {
  const chunkSize = opts.chunkSize ?? CHUNK_ROWS;
  const out: StoreOutcome = { done: true, lines: 0, settledLines: 0, skippedLines: 0 };
  return sql(prisma).session(async (db) => {
    const stage = await Stage.make(db, batchId);
    try {
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
        const wait = stage.add(r, line.trim());
        if (wait) await wait;
        if (stage.rows >= chunkSize || stage.bytes >= CHUNK_BYTES) {
          if (opts.lease?.lost()) break;
          await stage.flush();
        }
      }
      if (opts.lease?.lost()) {
        // What the chunk holds is not stored: the lease's new holder reads it again.
        await stage.abort(new Error("The lease was lost: the rows of this chunk are left to its new holder"));
        return { ...out, done: false };
      }
      await stage.flush();
      return out;
    } catch (err) {
      // Let a running COPY settle before the session ends.
      await stage.abort(err);
      throw err;
    } finally {
      await stage.drop();
    }
  });
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
  // Not `raw` (the largest column, which no plan looks at: 0.4-0.8 s of a 2 s ANALYZE at 50,000 rows)
  // nor `usage` and `providerRequestId`, which nothing filters or sorts on.
  await sql(prisma).exec(`ANALYZE "Result" (${ANALYZED.map((c) => `"${c}"`).join(", ")})`);
  await prisma.batch.update({ where: { id: batch.id }, data: { resultsIngestedAt: new Date(), resultCount } });
  log.info("ingest.finished", { batchId: batch.id, results: resultCount, skipped: pass.skipped, ms: Date.now() - startedAt });
  return { done: true, resultCount, skippedLines: pass.skipped };
}

/** The columns the results' plans look at (filters, sorts, joins, searches), for ANALYZE. */
const ANALYZED = ["id", "batchId", "customId", "succeeded", "statusCode", "model", "content", "reasoningContent", "finishReason", "promptTokens", "completionTokens", "reasoningTokens", "totalTokens", "errorCode", "errorMessage", "line"];

/**
 * Rows a chunk: one INSERT … SELECT a chunk, whose unique-index and join costs are the same per row
 * whatever the chunk, so a chunk is large (a lease lost is noticed between chunks).
 */
const CHUNK_ROWS = 10_000;
/** Also cut a chunk by size: a few huge answers must not make one giant TEMP table. */
const CHUNK_BYTES = 32 * 1024 * 1024;

// The TEMP table's columns, in the COPY's order; the names follow prisma/schema.prisma (model Result).
const COLUMNS: [string, string][] = [
  ["customId", "text"],
  ["succeeded", "bool"],
  ["statusCode", "int"],
  ["providerRequestId", "text"],
  ["model", "text"],
  ["created", "int"],
  ["content", "text"],
  ["reasoningContent", "text"],
  ["finishReason", "text"],
  ["promptTokens", "int"],
  ["completionTokens", "int"],
  ["reasoningTokens", "int"],
  ["totalTokens", "int"],
  ["errorCode", "text"],
  ["errorMessage", "text"],
  ["usage", "text"],
  ["raw", "text"],
];
const names = COLUMNS.map(([c]) => `"${c}"`).join(", ");
const int = (n: number | null) => (n === null ? "" : String(n));

let stages = 0;

/** The columns of a result's COPY row (resultCopyRow) after its first, a number. */
export const RESULT_COPY_COLUMNS = names;

/** A result as a row of a COPY in Sql's CSV (COPY_CSV_OPTIONS): `n` (its order or line; null: NULL), then RESULT_COPY_COLUMNS. */
export function resultCopyRow(n: number | null, r: ParsedResult, raw: string): string {
  return `${int(n)}\x02${field(r.customId)}\x02${r.succeeded ? "t" : "f"}\x02${int(r.statusCode)}\x02${field(r.providerRequestId)}\x02${field(r.model)}\x02${int(r.created)}\x02${field(r.content)}\x02${field(r.reasoningContent)}\x02${field(r.finishReason)}\x02${int(r.promptTokens)}\x02${int(r.completionTokens)}\x02${int(r.reasoningTokens)}\x02${int(r.totalTokens)}\x02${field(r.errorCode)}\x02${field(r.errorMessage)}\x02${field(r.usage)}\x02${field(raw)}\n`;
}

/**
 * A chunk's rows on their way into Result: a TEMP table of the session (its own name, so that two
 * ingests of one PGlite never share one), fed by COPY in Sql's CSV (JSON as it is, text through
 * copyField), with `ord`, the row's place in the chunk: of a custom_id seen twice the first stays.
 */
class Stage {
  private copy: CopyRows | undefined;
  /** Rows and characters of JSON in the chunk. */
  rows = 0;
  bytes = 0;
  private constructor(
    private readonly db: Sql,
    private readonly batchId: string,
    private readonly name: string,
    private direct: Direct | undefined,
  ) {}

  static async make(db: Sql, batchId: string) {
    const name = `result_stage_${process.pid}_${++stages}`;
    await db.exec(`CREATE TEMP TABLE "${name}" ("ord" int, ${COLUMNS.map(([c, t]) => `"${c}" ${t}`).join(", ")})`);
    return new Stage(db, batchId, name, await Direct.make(db, batchId));
  }

  /** Adds a row to the chunk; a promise when a piece was handed over (or the COPY opened) and the caller should wait. */
  add(r: ParsedResult, raw: string): Promise<void> | undefined {
    const direct = this.direct;
    if (direct) {
      if (direct.seen.has(r.customId)) return undefined;
      direct.seen.add(r.customId);
      direct.held.push([r, raw]);
    }
    // Directly: the batch's id, then the request's line where the stage has its order.
    const text = direct ? `${field(this.batchId)}\x02${resultCopyRow(direct.lines.get(r.customId) ?? null, r, raw)}` : resultCopyRow(this.rows + 1, r, raw);
    this.rows++;
    this.bytes += raw.length;
    const wait = this.copy
      ? this.copy.add(text)
      : this.db.copyIn(direct ? `COPY "Result" ("batchId", "line", ${names})` : `COPY "${this.name}" ("ord", ${names})`, COPY_CSV_OPTIONS).then((c) => {
          this.copy = new CopyRows(c);
          return this.copy.add(text);
        });
    return direct ? wait?.catch((err) => this.insteadOfDirect(err)) : wait;
  }

  /**
   * A direct COPY refused by the unique (batchId, customId) index: another instance stores the same
   * batch. The chunk goes again through the stage (ON CONFLICT DO NOTHING), and so does the rest.
   */
  private async insteadOfDirect(err: unknown) {
    const direct = this.direct;
    if (!direct || (err as { code?: unknown }).code !== "23505") throw err;
    log.info("ingest.direct_copy_conflict", { batchId: this.batchId, rows: direct.held.length });
    this.direct = undefined;
    await this.abort(err);
    this.rows = 0;
    this.bytes = 0;
    for (const [r, raw] of direct.held) {
      const wait = this.add(r, raw);
      if (wait) await wait;
    }
  }

  /**
   * The chunk's rows into Result. From the stage: in their order, each given the line of its request
   * in the batch's input file (the (fileId, customId) unique index), ON CONFLICT ("batchId",
   * "customId") DO NOTHING: a re-run or a custom_id seen twice keeps the first row. Either way the
   * batch's kept counts and facets are dropped (lib/results/stats.ts) and its search texts marked
   * stale (lib/results/search-docs.ts): they no longer hold once rows are stored.
   */
  async flush() {
    if (this.direct && this.copy) {
      const c = this.copy;
      this.copy = undefined;
      try {
        await c.end();
        this.direct.held = [];
        this.rows = 0;
        this.bytes = 0;
        await this.db.exec(
          `WITH stale AS (DELETE FROM "ResultStats" WHERE "batchId" = $1)
           UPDATE "Batch" SET "searchDocsFor" = NULL WHERE "id" = $1 AND "searchDocsFor" IS NOT NULL`,
          [this.batchId],
        );
        return;
      } catch (err) {
        await this.insteadOfDirect(err);
      }
    }
    const c = this.copy;
    if (!c) return;
    this.copy = undefined;
    await c.end();
    await this.db.exec(
      `WITH stale AS (DELETE FROM "ResultStats" WHERE "batchId" = $1),
       unsearched AS (UPDATE "Batch" SET "searchDocsFor" = NULL WHERE "id" = $1 AND "searchDocsFor" IS NOT NULL)
       INSERT INTO "Result" ("batchId", ${names}, "line")
       SELECT $1, ${COLUMNS.map(([c]) => (c === "raw" ? `s."raw"::jsonb` : `s."${c}"`)).join(", ")}, req."line"
       FROM "${this.name}" s
       LEFT JOIN "Request" req ON req."fileId" = (SELECT b."inputFileId" FROM "Batch" b WHERE b."id" = $1) AND req."customId" = s."customId"
       ORDER BY s."ord"
       ON CONFLICT ("batchId", "customId") DO NOTHING`,
      [this.batchId],
    );
    await this.db.exec(`TRUNCATE "${this.name}"`);
    this.rows = 0;
    this.bytes = 0;
  }

  async abort(err: unknown) {
    const c = this.copy;
    this.copy = undefined;
    await c?.abort(err);
  }

  async drop() {
    await this.db.exec(`DROP TABLE IF EXISTS "${this.name}"`).catch((err) => log.warn("ingest.stage_drop_failed", { err }));
  }
}

/** Input files up to this many requests have their lines looked up in memory for a direct COPY (~100 bytes each). */
const DIRECT_MAX_REQUESTS = 200_000;

/**
 * The first store of a batch's results (the usual ingest: no row yet) goes by COPY straight into
 * Result, without the stage and its INSERT … SELECT (a third to half of the time at 50,000 rows,
 * docs/benchmarks.md): each row's line is looked up here, from the input file's (custom_id, line)
 * read once, and a custom_id seen again in the same read is skipped (the first stays, as ON CONFLICT
 * keeps it). Rows stored meanwhile by another instance make the COPY fail on the unique index: the
 * chunk, held here until it is stored, then goes through the stage, as does the rest.
 */
class Direct {
  seen = new Set<string>();
  held: [ParsedResult, string][] = [];
  private constructor(readonly lines: Map<string, number>) {}

  static async make(db: Sql, batchId: string): Promise<Direct | undefined> {
    const [b] = await db.query<{ fileId: string | null; requests: number | null; stored: boolean }>(
      `SELECT b."inputFileId" AS "fileId", f."requestCount" AS "requests", EXISTS (SELECT 1 FROM "Result" r WHERE r."batchId" = b."id") AS "stored"
       FROM "Batch" b LEFT JOIN "InputFile" f ON f."id" = b."inputFileId" WHERE b."id" = $1`,
      [batchId],
    );
    if (!b || b.stored || (b.requests ?? 0) > DIRECT_MAX_REQUESTS) return undefined;
    const requests = b.fileId ? await db.query<{ customId: string; line: number }>(`SELECT "customId", "line" FROM "Request" WHERE "fileId" = $1`, [b.fileId]) : [];
    return new Direct(new Map(requests.map((q) => [q.customId, q.line])));
  }
}
