// Turns a checked JSONL file into an InputFile and its Request rows. The file is read a second
// time as a stream, after validation passed, so an invalid file never has a single request stored;
// the rows (not the file on disk) are then the source of truth for launches and exports. A CSV upload
// (lib/csv/import.ts) goes through the same checks and storing once it is converted to JSONL, with
// each request's original row stored beside it (Request.source).
import "server-only";
import fs from "node:fs";
import type { Db } from "@/lib/db/client";
import { COPY_CSV_OPTIONS, copyField as field, CopyRows, sql, type CopyIn } from "@/lib/db/sql";
import type { Prisma } from "@/lib/generated/prisma/client";
import { uploadLimits } from "@/lib/providers/profiles";
import { storableText } from "@/lib/storable";
import { quotaError, storedBytes, STALE_UPLOAD_MS, UploadLimitError } from "./quota";
import { promptOf } from "./prompt";
import { readLines } from "./read-lines";
import type { ImportedFile, Problem } from "./types";
import { MAX_KEPT_PROBLEMS, validateJsonl, type ValidationLimits } from "./validate-jsonl";
import { log } from "@/lib/log";
import { keepFileTokens, TokenTally, type CountOptions } from "@/lib/tokens/file";

export type { ImportedFile };

/** Rows per progress report of the two-pass store (a CSV upload): 50,000 requests report 20 times. */
export const CHUNK_ROWS = 2500;
/**
 * Bytes of COPY text a piece: a 200 MB upload stores in ~200 pieces, one stored while the next is
 * built. Small enough that a piece's rows die young: with 4 MB they outlived the collector's young
 * generation, and a 200 MB upload on PostgreSQL grew the heap to ~150-250 MB (docs/benchmarks.md).
 */
const PIECE_BYTES = 1024 * 1024;

interface Row {
  line: number;
  customId: string;
  model: string | null;
  prompt: string | null;
  body: string;
  /** {"row":R,"cells":[...]} of a CSV upload, as JSON text. */
  source: string | null;
}

// Requests go in by COPY (lib/db/sql.ts copyIn), as CSV whose delimiter (0x02) and quote (0x01) are
// bytes no JSON text holds raw (JSON escapes every control character), so the body and the source go
// in as they are; only the custom_id, model and prompt (decoded text, which may hold anything) go
// through copyField, quoted when they hold one of those bytes or a line break. The names follow
// prisma/schema.prisma (model Request). Against the INSERT ... unnest of bound arrays it replaced: no
// array literal built and parsed, and on PostgreSQL one statement streamed while the file is read
// (docs/benchmarks.md).
export const REQUEST_COPY = `COPY "Request" ("fileId", "line", "customId", "model", "prompt", "body", "source")`;
/** Rows of one file fed to a COPY in pieces of about PIECE_BYTES, one stored while the next is built. */
class RequestCopy extends CopyRows {
  private constructor(
    private readonly fileId: string,
    copy: CopyIn,
    onPiece?: (rows: number) => void,
  ) {
    super(copy, PIECE_BYTES, onPiece);
  }

  static async open(prisma: Db, fileId: string, onPiece?: (rows: number) => void) {
    return new RequestCopy(fileId, await sql(prisma).copyIn(REQUEST_COPY, COPY_CSV_OPTIONS), onPiece);
  }

  /** Adds a request; a promise when a piece was handed over and the caller should wait for room. */
  addRow(r: Row): Promise<void> | undefined {
    return this.add(requestCopyRow(this.fileId, r));
  }
}

/** A request as a row of REQUEST_COPY (also the bench's bound, bench/limits-step.ts). */
export function requestCopyRow(fileId: string, r: Row): string {
  return `${fileId}\x02${r.line}\x02${field(r.customId)}\x02${field(r.model)}\x02${field(r.prompt)}\x02${r.body}\x02${field(r.source)}\n`;
}

/** A request's row from its checked JSON. */
export function rowOf(endpoint: string, line: number, value: Record<string, unknown>, source: string | null): Row {
  const body = value.body as Record<string, unknown>;
  return {
    line,
    customId: value.custom_id as string,
    model: typeof body.model === "string" ? body.model : null,
    prompt: promptOf(endpoint, body),
    body: JSON.stringify(body),
    source,
  };
}

/** A CSV row's cells may be longer than its request (columns the mapping does not use); past this, the source is not kept. */
export const MAX_SOURCE_BYTES = 64 * 1024 * 1024;

export interface StoreOptions {
  fileId: string;
  path: string;
  endpoint: string;
  maxLineBytes: number;
  /** A file whose line N is the Request.source of line N (a CSV upload's cells, lib/csv). */
  sourcePath?: string;
  signal?: AbortSignal;
  /** Requests stored so far, after each chunk. */
  onProgress?: (stored: number) => void;
  chunkRows?: number;
}

/** Stores every request of an already validated file (the second pass of a CSV upload); returns how many. */
export async function storeRequests(prisma: Db, opts: StoreOptions): Promise<number> {
  const chunkRows = opts.chunkRows ?? CHUNK_ROWS;
  // Read in step with the requests: line N of one is line N of the other.
  const sources = opts.sourcePath ? readLines(opts.sourcePath, { maxLineBytes: MAX_SOURCE_BYTES, signal: opts.signal })[Symbol.asyncIterator]() : undefined;
  let copy: RequestCopy | undefined;
  try {
    copy = await RequestCopy.open(prisma, opts.fileId);
    for await (const { line, text } of readLines(opts.path, { maxLineBytes: opts.maxLineBytes, signal: opts.signal })) {
      if (text === null) throw new Error(`Line ${line} is over the line limit: validate the file before storing it`);
      const raw = text.toString("utf8");
      if (raw.trim() === "") continue;
      const value = JSON.parse(raw) as Record<string, unknown>;
      let source: string | null = null;
      if (sources) {
        const s = await sources.next();
        if (s.done || s.value.line !== line) throw new Error(`The source file ends before line ${line} of the requests`);
        source = s.value.text?.toString("utf8") ?? null;
      }
      const wait = copy.addRow(rowOf(opts.endpoint, line, value, source));
      if (wait) await wait;
      if (copy.rows % chunkRows === 0) opts.onProgress?.(copy.rows);
    }
    const stored = await copy.end();
    opts.onProgress?.(stored);
    return stored;
  } catch (err) {
    // Let a running COPY settle before the caller deletes what was stored.
    await copy?.abort(err);
    throw err;
  } finally {
    await sources?.return?.(undefined);
  }
}

export interface ImportOptions {
  path: string;
  /** The name people see (the uploaded file's name). */
  name: string;
  teamId: string;
  userId?: string | null;
  endpoint: string;
  limits?: ValidationLimits;
  /** Already known from the upload; computed while validating otherwise. */
  sha256?: string;
  signal?: AbortSignal;
  onProgress?: (e: ImportProgress) => void;
  /** The "uploading" row the upload reserved (quota.ts reserveUpload); made here otherwise. */
  fileId?: string;
  /** The team's storage quota in bytes (0 or absent: none): a valid file that would pass it is not stored. */
  quotaBytes?: number;
  /**
   * Also count the requests' tokens in the pass that checks and stores a JSONL file, and keep the
   * count where the launch form's estimate reads it (lib/tokens/file.ts): the estimate is then ready
   * when the upload ends. The texts are counted on the token worker, on the other core.
   */
  tokens?: CountOptions;
}

export type ImportProgress =
  | { phase: "converting"; rows: number; bytes: number }
  | { phase: "checking"; lines: number; bytes: number }
  | { phase: "storing"; stored: number; total: number };

/** The InputFile row an upload shows as while it is checked (status "uploading"). */
export async function createUploadRow(
  prisma: Db,
  opts: Pick<ImportOptions, "name" | "teamId" | "userId" | "endpoint" | "sha256"> & { format?: "jsonl" | "csv"; csv?: Prisma.InputJsonValue },
): Promise<string> {
  const file = await prisma.inputFile.create({
    data: {
      teamId: opts.teamId,
      name: opts.name,
      format: opts.format ?? "jsonl",
      bytes: 0,
      endpoint: opts.endpoint,
      status: "uploading",
      sha256: opts.sha256 ?? null,
      createdById: opts.userId ?? null,
      csv: opts.csv,
    },
    select: { id: true },
  });
  return file.id;
}

/**
 * Runs an import of the file row `fileId`. On abort the row and anything stored are deleted and the
 * abort is rethrown; on any other error the requests are deleted and the file is marked "failed".
 */
export async function guardImport<T>(prisma: Db, fileId: string, signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (signal?.aborted || err instanceof UploadLimitError) {
      // Nothing half-stored may remain of an upload its sender gave up on (requests cascade), nor
      // of one refused for the team's quota (as if refused before its body was read).
      await prisma.inputFile.deleteMany({ where: { id: fileId } });
      throw err;
    }
    log.error("upload.store_failed", { fileId, err });
    await prisma.request.deleteMany({ where: { fileId } }).catch(() => {});
    await prisma.inputFile.update({ where: { id: fileId }, data: { status: "failed" } }).catch(() => {});
    throw err;
  }
}

/** What a conversion (a CSV upload) found before its JSONL is checked and stored. */
export interface Converted {
  /** Problems of the source, already in its own terms (row, column). */
  problems: Problem[];
  problemCount: number;
  /** Line N of this file is the Request.source of line N of the JSONL. */
  sourcePath: string;
  /** Puts the JSONL validator's problems (by line) into the source's terms. */
  mapProblems(problems: Problem[]): Promise<Problem[]>;
  /** Requests in the JSONL: when 0, the source's own problems say why, and the JSONL is not checked. */
  requests: number;
}

/**
 * Validates the JSONL file at `opts.path` and, when it (and the conversion it came from, if any) is
 * valid, stores its requests into the file row `fileId`; an invalid file ends "invalid" with its
 * problems and no requests.
 */
export async function checkAndStore(prisma: Db, fileId: string, opts: ImportOptions, converted?: Converted): Promise<ImportedFile> {
  const limits = opts.limits ?? uploadLimits;
  return guardImport(prisma, fileId, opts.signal, async () => {
    // A JSONL file is stored in the same pass that checks it: each request goes into the COPY as soon
    // as it is checked, while the file has no problem yet, and the COPY is dropped if one turns up
    // (PostgreSQL stores nothing; PGlite's pieces already in are deleted). So the file is parsed
    // once, and on PostgreSQL the database stores while JS checks. A file that would pass the team's
    // quota is only checked (its problems, if any, come first, as before); a CSV's JSONL is stored
    // after its check, in step with its source rows (storeRequests).
    let along: RequestCopy | undefined;
    if (!converted) {
      const size = (await fs.promises.stat(opts.path)).size;
      const fits = !opts.quotaBytes || (await storedBytes(prisma, opts.teamId, fileId)) + size <= opts.quotaBytes;
      if (fits) along = await RequestCopy.open(prisma, fileId);
    }
    const copy = along;
    // The texts are counted on the token worker (lib/tokens/off-thread.ts), on the other core, while
    // this thread checks and stores (PGlite too shares this thread): the count is ready, or nearly,
    // when the upload's answer ends.
    let tally = copy && opts.tokens ? new TokenTally(opts.endpoint) : undefined;
    // A count that fails is dropped, never the upload: the estimate counts the stored rows instead.
    const dropCount = (err: unknown) => {
      log.warn("tokens.count_in_upload_failed", { fileId, err });
      tally = undefined;
    };
    const onRequest = (line: number, value: Record<string, unknown>) => {
      const row = rowOf(opts.endpoint, line, value, null);
      const stored = copy!.addRow(row);
      let counted: void | Promise<void> = undefined;
      try {
        counted = tally?.add(row.model, value.body);
      } catch (err) {
        dropCount(err);
      }
      if (!counted) return stored;
      return Promise.all([stored, counted.catch(dropCount)]).then(() => undefined);
    };
    try {
      const v =
        converted && converted.requests === 0
          ? { valid: true, bytes: 0, lineCount: 0, requestCount: 0, models: [] as string[], problems: [] as Problem[], problemCount: 0, warnings: [] as Problem[], warningCount: 0, sha256: undefined }
          : await validateJsonl(opts.path, {
              limits,
              endpoint: opts.endpoint,
              signal: opts.signal,
              sha256: !opts.sha256 && !converted,
              onProgress: (lines, bytes) => opts.onProgress?.({ phase: "checking", lines, bytes }),
              onRequest: copy ? onRequest : undefined,
            });
      let problems = v.problems;
      let problemCount = v.problemCount;
      let warnings = v.warnings;
      if (converted) {
        warnings = await converted.mapProblems(v.warnings);
        // One list, by row: the conversion's problems and the provider limits' (rows left out of the JSONL have none of the latter).
        problems = [...converted.problems, ...(await converted.mapProblems(v.problems))].sort((a, b) => a.line - b.line).slice(0, MAX_KEPT_PROBLEMS);
        problemCount += converted.problemCount;
      }
      const sha256 = opts.sha256 ?? v.sha256 ?? null;
      // A message may quote the file (a JSON error shows the text near it, a column its name): keep it storable.
      problems = problems.map((p) => ({ line: p.line, ...(p.field === undefined ? {} : { field: storableText(p.field) }), message: storableText(p.message), ...(p.code ? { code: p.code } : {}) }));
      warnings = warnings.map((p) => ({ line: p.line, ...(p.field === undefined ? {} : { field: storableText(p.field) }), message: storableText(p.message), ...(p.code ? { code: p.code } : {}) }));
      const checked = { ...v, problems, problemCount, warnings, valid: problemCount === 0 };
      const summary = {
        bytes: BigInt(v.bytes),
        lineCount: v.lineCount,
        requestCount: v.requestCount,
        models: v.models,
        sha256,
        problemCount,
        problems: problems as unknown as Prisma.InputJsonValue,
        warningCount: v.warningCount,
        warnings: warnings as unknown as Prisma.InputJsonValue,
      };
      if (!checked.valid) {
        if (along) {
          along = undefined;
          await copy!.abort(new Error("The file has problems: its requests are not stored"));
          await prisma.request.deleteMany({ where: { fileId } });
        }
        opts.signal?.throwIfAborted();
        await prisma.inputFile.update({ where: { id: fileId }, data: { ...summary, status: "invalid" } });
        return { ...result(fileId, opts, checked, sha256), status: "invalid" };
      }

      if (opts.quotaBytes) {
        // The file as stored (a CSV's converted JSONL) against what the team's other files hold.
        const used = await storedBytes(prisma, opts.teamId, fileId);
        if (used + v.bytes > opts.quotaBytes) throw quotaError(opts.quotaBytes, used);
      }
      let stored: number;
      if (along) {
        along = undefined;
        stored = await copy!.end();
        opts.onProgress?.({ phase: "storing", stored, total: v.requestCount });
        await prisma.inputFile.update({ where: { id: fileId }, data: summary });
      } else {
        // Counts are written first so a watcher sees how many requests are on their way.
        await prisma.inputFile.update({ where: { id: fileId }, data: summary });
        stored = await storeRequests(prisma, {
          fileId,
          path: opts.path,
          endpoint: opts.endpoint,
          maxLineBytes: limits.maxLineBytes,
          sourcePath: converted?.sourcePath,
          signal: opts.signal,
          onProgress: (n) => opts.onProgress?.({ phase: "storing", stored: n, total: v.requestCount }),
        });
      }
      if (stored !== v.requestCount) throw new Error(`Stored ${stored} requests of ${v.requestCount}: the file changed while it was read`);
      opts.signal?.throwIfAborted();
      // Fresh statistics for the planner (PGlite has no autovacuum): launches and result pages join these
      // rows, and a search's plan needs the prompts' (a LIKE's selectivity). Not the bodies': the
      // largest column, which no plan looks at.
      await sql(prisma).exec(`ANALYZE "Request" ("fileId", "line", "customId", "model", "prompt")`);
      await prisma.inputFile.update({ where: { id: fileId }, data: { status: "valid" } });
      // Not waited for: the count's last batches finish after the answer, and the estimate joins them.
      if (tally) keepFileTokens(fileId, tally.done(fileId), opts.tokens);
      return { ...result(fileId, opts, checked, sha256), status: "valid" };
    } catch (err) {
      // Let the COPY settle before guardImport deletes what was stored.
      if (along) await along.abort(err);
      throw err;
    }
  });
}

/**
 * Validates the file and, when it is valid, stores its requests. The InputFile row exists from the
 * start with status "uploading" (so the team sees the upload); see checkAndStore for the rest.
 */
export async function importJsonlFile(prisma: Db, opts: ImportOptions): Promise<ImportedFile> {
  const fileId = opts.fileId ?? (await createUploadRow(prisma, opts));
  return checkAndStore(prisma, fileId, opts);
}

function result(id: string, opts: ImportOptions, v: Omit<Awaited<ReturnType<typeof validateJsonl>>, "sha256">, sha256: string | null) {
  return {
    id,
    name: opts.name,
    endpoint: opts.endpoint,
    format: "jsonl" as "jsonl" | "csv",
    bytes: v.bytes,
    lineCount: v.lineCount,
    requestCount: v.requestCount,
    models: v.models,
    problemCount: v.problemCount,
    problems: v.problems,
    warningCount: v.warningCount,
    warnings: v.warnings,
    sha256,
  };
}

/**
 * Uploads cut short by a stopped server stay "uploading" forever: mark those older than `olderThanMs`
 * failed and drop their partial requests. Meant for server start.
 */
export async function failInterruptedUploads(prisma: Db, olderThanMs = STALE_UPLOAD_MS): Promise<number> {
  const stale = await prisma.inputFile.findMany({
    where: { status: "uploading", createdAt: { lt: new Date(Date.now() - olderThanMs) } },
    select: { id: true },
  });
  if (stale.length === 0) return 0;
  const ids = stale.map((f) => f.id);
  await prisma.request.deleteMany({ where: { fileId: { in: ids } } });
  await prisma.inputFile.updateMany({ where: { id: { in: ids }, status: "uploading" }, data: { status: "failed" } });
  return ids.length;
}
