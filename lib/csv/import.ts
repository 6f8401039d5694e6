// A CSV upload becomes an InputFile like a JSONL one: the CSV on disk is streamed through the mapping
// into a temp JSONL (convert.ts) with each request's cells in a side file, then the JSONL goes through
// the same checks against the provider's limits and the same storing as any upload
// (lib/files/store.ts). Every problem is told by spreadsheet row and column: the conversion's are
// already, and those the limits find in the JSONL are turned from its lines back into rows.
import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Transform } from "node:stream";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { checkAndStore, createUploadRow, guardImport, MAX_SOURCE_BYTES, type ImportOptions } from "@/lib/files/store";
import type { ImportedFile, Problem } from "@/lib/files/types";
import { readLines, type FileLine } from "@/lib/files/read-lines";
import { storeProblems } from "@/lib/files/problems";
import { MAX_KEPT_PROBLEMS, validateJsonl } from "@/lib/files/validate-jsonl";
import { uploadLimits } from "@/lib/providers/profiles";
import { log } from "@/lib/log";
import { csvProblems, csvToJsonl } from "./convert";
import type { CsvEncoding } from "./decode";
import type { CsvMapping } from "./mapping";

export interface CsvImportOptions extends Omit<ImportOptions, "endpoint"> {
  mapping: CsvMapping;
  /** The saved template the mapping came from, kept on the file. */
  templateId?: string | null;
  /** Read the file in this encoding instead of the one its first bytes suggest. */
  encoding?: CsvEncoding;
}

/** What InputFile.csv holds. */
export interface CsvFileMeta {
  encoding: CsvEncoding;
  bom: boolean;
  delimiter: string;
  columns: string[];
  mapping: CsvMapping;
  templateId?: string;
  /** The CSV's own size and rows (the file's bytes and lines are the converted JSONL's, which a provider gets). */
  bytes: number;
  rows: number;
  blankRows: number;
}

/** What InputFile.csv holds from the start of an upload, before the file is read. */
export function csvRowMeta(mapping: CsvMapping, templateId?: string | null): Prisma.InputJsonValue {
  return { mapping, ...(templateId ? { templateId } : {}) } as Prisma.InputJsonValue;
}

/** The row a line of the cells file is of. */
function rowOfCells(text: Buffer | null): number | undefined {
  const m = text && /^\{"row":(\d+),/.exec(text.subarray(0, 32).toString("latin1"));
  return m ? Number(m[1]) : undefined;
}

/** The rows of some lines of the converted file, read from the cells file (`{"row":R,...}` a line). */
export async function rowsOfLines(cellsPath: string, lines: number[], signal?: AbortSignal): Promise<Map<number, number>> {
  const wanted = new Set(lines);
  const out = new Map<number, number>();
  if (wanted.size === 0) return out;
  const last = Math.max(...wanted);
  for await (const { line, text } of readLines(cellsPath, { maxLineBytes: MAX_SOURCE_BYTES, signal })) {
    const row = wanted.has(line) ? rowOfCells(text) : undefined;
    if (row !== undefined) out.set(line, row);
    if (line >= last) break;
  }
  return out;
}

/**
 * The rows of the converted file's lines, read forward through the cells file once for any number of
 * calls whose lines only grow (the validator hands its problems over in line order). A line behind
 * the reading (none expected) is looked up by a read of its own.
 */
class RowCursor {
  private readonly lines: AsyncGenerator<FileLine>;
  private at = 0;
  constructor(private readonly cellsPath: string, private readonly signal?: AbortSignal) {
    this.lines = readLines(cellsPath, { maxLineBytes: MAX_SOURCE_BYTES, signal });
  }
  async rowsOf(lines: number[]): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    const behind = lines.filter((l) => l <= this.at);
    const ahead = new Set(lines.filter((l) => l > this.at));
    const last = Math.max(0, ...ahead);
    while (this.at < last) {
      const next = await this.lines.next();
      if (next.done) break;
      const { line, text } = next.value;
      this.at = line;
      const row = ahead.has(line) ? rowOfCells(text) : undefined;
      if (row !== undefined) out.set(line, row);
    }
    if (behind.length) for (const [line, row] of await rowsOfLines(this.cellsPath, behind, this.signal)) out.set(line, row);
    return out;
  }
  async close() {
    await this.lines.return(undefined);
  }
}

/**
 * Every problem of an invalid CSV upload with more than its row keeps, into FileProblem rows: the
 * CSV read again through the mapping (the conversion's problems), then the converted requests
 * checked again against the limits (theirs, put back into rows). Both passes stream, in batches.
 */
async function keepAllCsvProblems(
  prisma: Db,
  fileId: string,
  opts: Pick<CsvImportOptions, "path" | "mapping" | "encoding" | "limits" | "signal">,
  converted: { jsonlPath: string; cellsPath: string; requests: number },
): Promise<number> {
  const limits = opts.limits ?? uploadLimits;
  let kept = 0;
  const store = async (batch: Problem[]) => {
    await storeProblems(prisma, fileId, batch);
    kept += batch.length;
  };
  await prisma.fileProblem.deleteMany({ where: { fileId } });
  // The same reading as the conversion (convert.ts), so the same problems.
  await csvProblems(opts.path, opts.mapping, { encoding: opts.encoding, maxLineBytes: opts.limits?.maxLineBytes, signal: opts.signal, allProblems: store });
  if (converted.requests === 0) return kept;
  const rows = new RowCursor(converted.cellsPath, opts.signal);
  try {
    await validateJsonl(converted.jsonlPath, {
      limits,
      endpoint: opts.mapping.endpoint,
      signal: opts.signal,
      allProblems: async (batch) => {
        const found = await rows.rowsOf(batch.map((p) => p.line));
        await store(batch.map((p) => toRowProblem(p, found, opts.mapping)));
      },
    });
  } finally {
    await rows.close();
  }
  return kept;
}

/** Puts a problem the JSONL validator found on a converted line into the CSV's terms. */
function toRowProblem(p: Problem, rows: Map<number, number>, mapping: CsvMapping): Problem {
  const row = rows.get(p.line);
  const message = p.message
    .replace(/^This line is /, "The request made from this row is ")
    .replace(/; it passes it on this line$/, "; it passes it at this row")
    .replace(/^The file is /, "The converted batch file is ");
  // A custom_id comes from a column (or the row number); other fields are the mapping's, not a column's.
  const field = p.field === "custom_id" && mapping.customId.from === "column" ? mapping.customId.column : undefined;
  const out: Problem = { line: row ?? p.line, message: row ? message : `${message} (request ${p.line} of the converted file)` };
  if (field) out.field = field;
  return out;
}

/**
 * Converts, checks and stores a CSV upload. Temp files sit beside `opts.path` and are removed in
 * every case; the InputFile row is there from the start, as for a JSONL upload.
 */
export async function importCsvFile(prisma: Db, opts: CsvImportOptions): Promise<ImportedFile> {
  const { mapping } = opts;
  const endpoint = mapping.endpoint;
  const base = `${opts.path}.${crypto.randomUUID()}`;
  const jsonlPath = `${base}.jsonl`;
  const cellsPath = `${base}.cells`;
  const csvBytes = (await fs.promises.stat(opts.path)).size;
  const fileId =
    opts.fileId ??
    (await createUploadRow(prisma, {
      ...opts,
      endpoint,
      format: "csv",
      csv: csvRowMeta(mapping, opts.templateId),
    }));
  try {
    const conversion = await guardImport(prisma, fileId, opts.signal, async () => {
      // Counted on the way in, for a progress bar by bytes.
      let bytes = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          bytes += chunk.length;
          cb(null, chunk);
        },
      });
      const input = fs.createReadStream(opts.path, { highWaterMark: 64 * 1024, signal: opts.signal }).pipe(counter);
      const c = await csvToJsonl(input, mapping, jsonlPath, {
        cellsPath,
        encoding: opts.encoding,
        maxLineBytes: opts.limits?.maxLineBytes,
        signal: opts.signal,
        onProgress: (rows) => opts.onProgress?.({ phase: "converting", rows, bytes }),
      });
      opts.onProgress?.({ phase: "converting", rows: c.rows + 1, bytes: csvBytes });
      const meta: CsvFileMeta = {
        encoding: c.encoding,
        bom: c.bom,
        delimiter: c.delimiter,
        columns: c.columns,
        mapping,
        ...(opts.templateId ? { templateId: opts.templateId } : {}),
        bytes: csvBytes,
        rows: c.rows,
        blankRows: c.blankRows,
      };
      await prisma.inputFile.update({ where: { id: fileId }, data: { csv: meta as unknown as Prisma.InputJsonValue } });
      return c;
    });

    const file = await checkAndStore(prisma, fileId, { ...opts, endpoint, path: jsonlPath, sha256: opts.sha256 }, {
      problems: conversion.problems,
      problemCount: conversion.problemCount,
      requests: conversion.requests,
      sourcePath: cellsPath,
      async mapProblems(problems) {
        const rows = await rowsOfLines(cellsPath, problems.map((p) => p.line), opts.signal);
        return problems.map((p) => toRowProblem(p, rows, mapping));
      },
    });
    // An invalid CSV counts its rows as requests (as an invalid JSONL counts its lines), not only those converted.
    const meant = conversion.rows - conversion.blankRows;
    if (file.status === "invalid" && file.requestCount !== meant) {
      await prisma.inputFile.update({ where: { id: fileId }, data: { requestCount: meant } });
      file.requestCount = meant;
    }
    // More problems than the row keeps: every one of them, for the CSV of the full list, while the
    // converted files are still on disk. Best effort: the file's answer stands without them.
    if (file.status === "invalid" && file.problemCount > MAX_KEPT_PROBLEMS) {
      await keepAllCsvProblems(prisma, fileId, opts, { jsonlPath, cellsPath, requests: conversion.requests }).catch((err) => {
        if (opts.signal?.aborted) throw err;
        log.error("upload.problems_not_kept", { fileId, err });
      });
    }
    return {
      ...file,
      format: "csv",
      csv: { encoding: conversion.encoding, delimiter: conversion.delimiter, columns: conversion.columns, rows: conversion.rows, bytes: csvBytes },
    };
  } finally {
    await Promise.all([jsonlPath, cellsPath].map((p) => fs.promises.rm(p, { force: true }).catch(() => {})));
  }
}

export const isCsvName = (name: string) => /\.(csv|tsv)$/i.test(path.basename(name));
