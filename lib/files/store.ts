// Turns a checked JSONL file into an InputFile and its Request rows. The file is read a second
// time as a stream, after validation passed, so an invalid file never has a single request stored;
// the rows (not the file on disk) are then the source of truth for launches and exports.
import "server-only";
import type { Db } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import type { Prisma } from "@/lib/generated/prisma/client";
import { uploadLimits } from "@/lib/providers/registry";
import { promptOf } from "./prompt";
import { readLines } from "./read-lines";
import type { ImportedFile } from "./types";
import { validateJsonl, type ValidationLimits } from "./validate-jsonl";

export type { ImportedFile };

/** Rows per insert: 50,000 requests go in 20 statements. */
export const CHUNK_ROWS = 2500;
/** Also cut a chunk by size (4 MB: a 200 MB upload stores in ~50 statements with a small peak), so big requests never make one giant statement. */
const CHUNK_BYTES = 4 * 1024 * 1024;

interface Row {
  line: number;
  customId: string;
  model: string | null;
  prompt: string | null;
  body: string;
}

/**
 * One INSERT ... SELECT FROM unnest(arrays) per chunk, sent through the raw driver (lib/db/sql.ts):
 * five array parameters, bound, so nothing of the file is spliced into SQL. Prisma's createMany binds
 * every value and measured 5 to 7 times slower; the same statement through Prisma's $executeRaw
 * still pays the client runtime (and on PostgreSQL keeps memory after big inserts). The names
 * follow prisma/schema.prisma (model Request).
 */
async function insertChunk(prisma: Db, fileId: string, rows: Row[]) {
  await sql(prisma).exec(
    `INSERT INTO "Request" ("fileId", "line", "customId", "model", "prompt", "body")
     SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::jsonb[])`,
    [fileId, rows.map((r) => r.line), rows.map((r) => r.customId), rows.map((r) => r.model), rows.map((r) => r.prompt), rows.map((r) => r.body)],
  );
}

export interface StoreOptions {
  fileId: string;
  path: string;
  endpoint: string;
  maxLineBytes: number;
  signal?: AbortSignal;
  /** Requests stored so far, after each chunk. */
  onProgress?: (stored: number) => void;
  chunkRows?: number;
}

/** Stores every request of an already validated file; returns how many. */
export async function storeRequests(prisma: Db, opts: StoreOptions): Promise<number> {
  const chunkRows = opts.chunkRows ?? CHUNK_ROWS;
  let rows: Row[] = [];
  let rowBytes = 0;
  let stored = 0;
  // One insert in flight while the next chunk is parsed.
  let inFlight: Promise<unknown> | null = null;

  const flush = async () => {
    if (inFlight) await inFlight;
    inFlight = null;
    opts.signal?.throwIfAborted();
    if (rows.length === 0) return;
    const data = rows;
    rows = [];
    rowBytes = 0;
    inFlight = insertChunk(prisma, opts.fileId, data).then(() => {
      stored += data.length;
      opts.onProgress?.(stored);
    });
  };

  try {
    for await (const { line, text } of readLines(opts.path, { maxLineBytes: opts.maxLineBytes, signal: opts.signal })) {
      if (text === null) throw new Error(`Line ${line} is over the line limit: validate the file before storing it`);
      const raw = text.toString("utf8");
      if (raw.trim() === "") continue;
      const value = JSON.parse(raw) as { custom_id: string; body: Record<string, unknown> };
      const body = value.body;
      rows.push({
        line,
        customId: value.custom_id,
        model: typeof body.model === "string" ? body.model : null,
        prompt: promptOf(opts.endpoint, body),
        body: JSON.stringify(body),
      });
      rowBytes += text.length;
      if (rows.length >= chunkRows || rowBytes >= CHUNK_BYTES) await flush();
    }
    await flush();
    if (inFlight) await inFlight;
  } catch (err) {
    // Let a running insert settle before the caller deletes what was stored.
    if (inFlight) await (inFlight as Promise<unknown>).catch(() => {});
    throw err;
  }
  return stored;
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
}

export type ImportProgress = { phase: "checking"; lines: number; bytes: number } | { phase: "storing"; stored: number; total: number };

/**
 * Validates the file and, when it is valid, stores its requests. The InputFile row exists from the
 * start with status "uploading" (so the team sees the upload); an invalid file ends "invalid" with
 * its problems and no requests. On abort the row and anything stored are deleted and the abort is
 * rethrown; on any other error the requests are deleted and the file is marked "failed".
 */
export async function importJsonlFile(prisma: Db, opts: ImportOptions): Promise<ImportedFile> {
  const limits = opts.limits ?? uploadLimits;
  const file = await prisma.inputFile.create({
    data: {
      teamId: opts.teamId,
      name: opts.name,
      format: "jsonl",
      bytes: 0,
      endpoint: opts.endpoint,
      status: "uploading",
      sha256: opts.sha256 ?? null,
      createdById: opts.userId ?? null,
    },
    select: { id: true },
  });

  try {
    const v = await validateJsonl(opts.path, {
      limits,
      endpoint: opts.endpoint,
      signal: opts.signal,
      sha256: !opts.sha256,
      onProgress: (lines, bytes) => opts.onProgress?.({ phase: "checking", lines, bytes }),
    });
    const sha256 = opts.sha256 ?? v.sha256 ?? null;
    const summary = {
      bytes: BigInt(v.bytes),
      lineCount: v.lineCount,
      requestCount: v.requestCount,
      models: v.models,
      sha256,
      problemCount: v.problemCount,
      problems: v.problems as unknown as Prisma.InputJsonValue,
    };
    if (!v.valid) {
      opts.signal?.throwIfAborted();
      await prisma.inputFile.update({ where: { id: file.id }, data: { ...summary, status: "invalid" } });
      return { ...result(file.id, opts, v, sha256), status: "invalid" };
    }

    // Counts are written first so a watcher sees how many requests are on their way.
    await prisma.inputFile.update({ where: { id: file.id }, data: summary });
    const stored = await storeRequests(prisma, {
      fileId: file.id,
      path: opts.path,
      endpoint: opts.endpoint,
      maxLineBytes: limits.maxLineBytes,
      signal: opts.signal,
      onProgress: (n) => opts.onProgress?.({ phase: "storing", stored: n, total: v.requestCount }),
    });
    if (stored !== v.requestCount) throw new Error(`Stored ${stored} requests of ${v.requestCount}: the file changed while it was read`);
    opts.signal?.throwIfAborted();
    // Fresh statistics for the planner (PGlite has no autovacuum): launches and result pages join these rows.
    await sql(prisma).exec(`ANALYZE "Request"`);
    await prisma.inputFile.update({ where: { id: file.id }, data: { status: "valid" } });
    return { ...result(file.id, opts, v, sha256), status: "valid" };
  } catch (err) {
    if (opts.signal?.aborted) {
      // Nothing half-stored may remain of an upload its sender gave up on (requests cascade).
      await prisma.inputFile.deleteMany({ where: { id: file.id } });
      throw err;
    }
    console.error(`Storing file ${file.id} failed`, err);
    await prisma.request.deleteMany({ where: { fileId: file.id } }).catch(() => {});
    await prisma.inputFile.update({ where: { id: file.id }, data: { status: "failed" } }).catch(() => {});
    throw err;
  }
}

function result(id: string, opts: ImportOptions, v: Awaited<ReturnType<typeof validateJsonl>>, sha256: string | null) {
  return {
    id,
    name: opts.name,
    endpoint: opts.endpoint,
    bytes: v.bytes,
    lineCount: v.lineCount,
    requestCount: v.requestCount,
    models: v.models,
    problemCount: v.problemCount,
    problems: v.problems,
    sha256,
  };
}

/**
 * Uploads cut short by a stopped server stay "uploading" forever: mark those older than `olderThanMs`
 * failed and drop their partial requests. Meant for server start.
 */
export async function failInterruptedUploads(prisma: Db, olderThanMs = 60 * 60 * 1000): Promise<number> {
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
