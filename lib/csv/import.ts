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
import { readLines } from "@/lib/files/read-lines";
import { csvToJsonl } from "./convert";
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

/** The rows of some lines of the converted file, read from the cells file (`{"row":R,...}` a line). */
export async function rowsOfLines(cellsPath: string, lines: number[], signal?: AbortSignal): Promise<Map<number, number>> {
  const wanted = new Set(lines);
  const out = new Map<number, number>();
  if (wanted.size === 0) return out;
  const last = Math.max(...wanted);
  for await (const { line, text } of readLines(cellsPath, { maxLineBytes: MAX_SOURCE_BYTES, signal })) {
    if (wanted.has(line) && text) {
      const m = /^\{"row":(\d+),/.exec(text.subarray(0, 32).toString("latin1"));
      if (m) out.set(line, Number(m[1]));
    }
    if (line >= last) break;
  }
  return out;
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
