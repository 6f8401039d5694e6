// Turns a batch's output and error files into Result rows: at its end, and (partial-results.ts) while
// it runs where the provider serves them. The files are streamed line by line from the provider
// (never held whole) and written in chunks with ON CONFLICT DO NOTHING on the unique
// (batchId, customId), so a re-run, a re-read or a restart mid-ingest neither duplicates nor drops a row.
import "server-only";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import readline from "node:readline";
import type OpenAI from "openai";
import type { Db } from "@/lib/db/client";
import { sql, type Sql } from "@/lib/db/sql";
import { log } from "@/lib/log";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { LeaseGuard } from "./sync";

export interface ParsedResult {
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
  /** The provider's usage object as JSON text, in its own key order (the CSV export's "usage"). */
  usage: string | null;
  raw: Prisma.InputJsonValue;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" ? v : typeof v === "number" ? String(v) : null);
/** Int columns are 32-bit: anything else (or a float) is not a count we can trust. */
const int = (v: unknown): number | null =>
  typeof v === "number" && Number.isInteger(v) && Math.abs(v) <= 2_147_483_647 ? v : null;

/** A JSON text without its \u0000 escapes (an escaped backslash before "u0000" is not one). */
export function withoutNulEscapes(text: string): string {
  return text.replace(/(?<!\\)((?:\\\\)*)\\u0000/g, "$1");
}

/** PostgreSQL text and jsonb refuse NUL characters; a model may still produce one. */
function withoutNul<T>(v: T): T {
  if (typeof v === "string") return (v.includes("\u0000") ? v.replaceAll("\u0000", "") : v) as T;
  if (Array.isArray(v)) return v.map(withoutNul) as T;
  if (isObj(v)) {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) out[withoutNul(k)] = withoutNul(x);
    return out as T;
  }
  return v;
}

/** Message content may be a string or (some providers, the Responses API) a list of parts. */
function textOf(v: unknown): string | null {
  if (typeof v === "string") return v;
  if (!Array.isArray(v)) return null;
  const parts = v
    .map((p) => (typeof p === "string" ? p : isObj(p) ? (str(p.text) ?? (isObj(p.text) ? str(p.text.value) : null)) : null))
    .filter((x): x is string => x !== null);
  return parts.length ? parts.join("") : null;
}

function answerOf(body: Obj): { content: string | null; reasoning: string | null; finish: string | null } {
  // chat.completion and text completion
  const choice = Array.isArray(body.choices) && isObj(body.choices[0]) ? body.choices[0] : null;
  if (choice) {
    const message = isObj(choice.message) ? choice.message : null;
    return {
      content: message ? textOf(message.content) : str(choice.text),
      reasoning: message ? (str(message.reasoning_content) ?? str(message.reasoning)) : null,
      finish: str(choice.finish_reason),
    };
  }
  // Responses API: output items of type "message" (output_text parts) and "reasoning" (summary)
  if (Array.isArray(body.output)) {
    const items = body.output.filter(isObj);
    const content = str(body.output_text) ?? textOf(items.filter((i) => i.type === "message").flatMap((i) => (Array.isArray(i.content) ? i.content : [])));
    const reasoning = textOf(items.filter((i) => i.type === "reasoning").flatMap((i) => (Array.isArray(i.summary) ? i.summary : [])));
    return { content, reasoning, finish: str(body.status) };
  }
  return { content: null, reasoning: null, finish: null };
}

/**
 * One line of a provider's output or error file as a Result row, or null when the line is blank
 * or has no custom_id to match it by. Pure: the bench and other code use it too.
 */
export function parseResultLine(line: string): ParsedResult | null {
  const text = line.trim();
  if (!text) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObj(parsed)) return null;
  // JSON text carries a NUL only as the escape \u0000: without one, nothing needs the deep copy.
  const raw = text.includes("\\u0000") ? withoutNul(parsed) : parsed;
  const customId = str(raw.custom_id);
  if (!customId) return null;

  const response = isObj(raw.response) ? raw.response : null;
  const body = response && isObj(response.body) ? response.body : null;
  const statusCode = response ? int(response.status_code) : null;
  const lineError = isObj(raw.error) ? raw.error : null;
  const bodyError = body && isObj(body.error) ? body.error : null;
  const err = lineError ?? bodyError;

  const usage = body && isObj(body.usage) ? body.usage : null;
  const details = usage && (isObj(usage.completion_tokens_details) ? usage.completion_tokens_details : isObj(usage.output_tokens_details) ? usage.output_tokens_details : null);
  const answer = body && !bodyError ? answerOf(body) : { content: null, reasoning: null, finish: null };

  const httpOk = statusCode === null ? response !== null : statusCode >= 200 && statusCode < 300;
  const succeeded = !err && httpOk && body !== null;
  let errorMessage = err ? (str(err.message) ?? JSON.stringify(err)) : null;
  if (!succeeded && !errorMessage) errorMessage = statusCode ? `The provider answered HTTP ${statusCode}.` : "The provider returned no response for this request.";

  return {
    customId,
    succeeded,
    statusCode,
    providerRequestId: response ? str(response.request_id) : null,
    model: body ? str(body.model) : null,
    created: body ? (int(body.created) ?? int(body.created_at)) : null,
    content: answer.content,
    reasoningContent: answer.reasoning,
    finishReason: answer.finish,
    promptTokens: usage ? (int(usage.prompt_tokens) ?? int(usage.input_tokens)) : null,
    completionTokens: usage ? (int(usage.completion_tokens) ?? int(usage.output_tokens)) : null,
    reasoningTokens: details ? int(details.reasoning_tokens) : null,
    totalTokens: usage ? int(usage.total_tokens) : null,
    errorCode: err ? (str(err.code) ?? str(err.type)) : null,
    errorMessage,
    usage: usage ? JSON.stringify(usage) : null,
    raw: raw as Prisma.InputJsonValue,
  };
}

/** Lines of a streamed HTTP body, one at a time, with backpressure (nothing buffered whole). */
export async function* linesOf(res: Response): AsyncGenerator<string> {
  if (!res.body) return;
  const input = Readable.fromWeb(res.body as unknown as NodeReadableStream);
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of rl) yield line;
  } finally {
    rl.close();
    input.destroy();
  }
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

/** The query that asks for a result file from line `n` on: Doubleword's docs say `offset`, its code `skip`. */
export const offsetQuery = (n: number) => ({ offset: n, skip: n });

/**
 * Streams lines of one result file into Result rows, in chunks of one INSERT … ON CONFLICT DO
 * NOTHING: reading the same lines twice stores nothing twice.
 */
export async function storeResultLines(
  prisma: Db,
  batchId: string,
  lines: AsyncIterable<string>,
  // `parse` reads another provider's line shape (Anthropic's results: lib/providers/anthropic.ts).
  opts: Pick<IngestOptions, "chunkSize" | "lease"> & { parse?: (line: string) => ParsedResult | null } = {},
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
    const r = (opts.parse ?? parseResultLine)(line);
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

/** Lines of a provider's result file, from line `from` on (0: the whole file). */
export async function readResultFile(client: OpenAI, fileId: string, from = 0): Promise<Response> {
  return from > 0 ? client.files.content(fileId, { query: offsetQuery(from) }) : client.files.content(fileId);
}

/**
 * Streams the output file, then the error file, into Result rows. Output comes first so that a
 * custom_id a provider reports in both keeps its answer. Sets resultsIngestedAt and resultCount
 * only when both files were read to the end.
 */
export async function ingestResults(
  prisma: Db,
  batch: { id: string; outputFileId: string | null; errorFileId: string | null },
  client: OpenAI,
  opts: IngestOptions = {},
): Promise<IngestOutcome> {
  const readAll = async (from: { output: number; error: number }) => {
    let skipped = 0;
    for (const [fileId, start] of [
      [batch.outputFileId, from.output],
      [batch.errorFileId, from.error],
    ] as const) {
      if (!fileId) continue;
      const o = await storeResultLines(prisma, batch.id, linesOf(await readResultFile(client, fileId, start)), opts);
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
  await db.exec(
    `INSERT INTO "Result" ("batchId", "customId", "succeeded", "statusCode", "providerRequestId", "model", "created", "content",
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
