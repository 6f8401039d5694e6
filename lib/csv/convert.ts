// CSV -> JSONL batch file, as a stream: bytes are decoded (decode.ts), split into rows
// (tokenize.ts), each row is rendered by the mapping (render.ts) and written out in large batched
// writes that wait for the disk (backpressure), so a 200 MB CSV costs a few MB of memory. Only the
// custom_ids seen (for duplicates) and the first 100 problems are held.
//
// The original cells of each request are not kept: with `cellsPath`, line N of that side file is
// {"row": R, "cells": [...]} for line N of the JSONL, so the cells can be stored beside their
// request and joined back into the exported spreadsheet.
import "server-only";
import { once } from "node:events";
import fs from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { MAX_KEPT_PROBLEMS, problemBatches } from "@/lib/files/validate-jsonl";
import { unstorableMessage } from "@/lib/storable";
import { CsvDecoder, encodingLabel, type CsvEncoding, type DecodedChunk } from "./decode";
import type { CsvMapping } from "./mapping";
import { bindMapping, type BoundMapping } from "./render";
import { CsvTokenizer, DEFAULT_MAX_ROW_CHARS, sniffDelimiter, type Delimiter, type RowInfo } from "./tokenize";
import type { CsvConversion, CsvPreview, CsvShape, Problem, PreviewRequest } from "./types";

export type { CsvConversion, CsvPreview };

export interface CsvReadOptions {
  /** Read the file in this encoding instead of the one its first bytes suggest. */
  encoding?: CsvEncoding;
  signal?: AbortSignal;
  /** The longest row, in characters, held before giving up (an unclosed quote). */
  maxRowChars?: number;
  /** The target's limit for one request: a row whose request would pass it is a problem (render.ts). */
  maxLineBytes?: number;
  /**
   * Every problem, not only the first MAX_KEPT_PROBLEMS: handed over in batches between chunks read
   * (awaited, so a slow store holds the reading back and memory stays flat). Not in row order
   * within the file as a whole: a quote never closed is told at the end, at the row it opened in.
   */
  allProblems?: (batch: Problem[]) => Promise<void>;
}

export interface CsvToJsonlOptions extends CsvReadOptions {
  /** Also write each request's original cells here, line for line with the JSONL. */
  cellsPath?: string;
  /** Rows read so far; called about every `progressEvery` rows. */
  onProgress?: (rows: number) => void;
  progressEvery?: number;
}

type Input = string | Readable | AsyncIterable<Uint8Array>;

// Small enough that decoded text and write batches stay in V8's young generation, which is
// collected cheaply: with 1 MB chunks a 186 MB file peaked at +170-200 MB RSS, with these at +30 MB,
// at the same speed.
const READ_CHUNK = 64 * 1024;
/** Characters gathered before one write: thousands of writes for 200 MB, not one a row. */
const WRITE_BATCH = 64 * 1024;

function open(input: Input, signal?: AbortSignal): Readable {
  if (typeof input === "string") return fs.createReadStream(input, { highWaterMark: READ_CHUNK, signal });
  return input instanceof Readable ? input : Readable.from(input);
}

interface Sink {
  /** A row became a request; false stops reading. */
  request(r: { customId: string; line: string }, row: number, cells: string[]): boolean;
  /** A data row was read (before it is checked). */
  row?(row: number, cells: string[]): void;
  /** Called between chunks: wait here for the disk. */
  drain?(): Promise<void>;
}

interface Summary extends CsvShape {
  rows: number;
  blankRows: number;
  requests: number;
  problems: Problem[];
  problemCount: number;
  bytesIn: number;
}

const plural = (n: number, one: string) => `${n.toLocaleString("en-US")} ${one}${n === 1 ? "" : "s"}`;

/** Reads a CSV, checks it row by row against the mapping, and hands each request to the sink. */
async function readCsv(input: Input, mapping: CsvMapping | null, sink: Sink, opts: CsvReadOptions): Promise<Summary> {
  const problems: Problem[] = [];
  let problemCount = 0;
  const found = problemBatches(opts.allProblems);
  const report = (line: number, field: string | undefined, message: string) => {
    problemCount++;
    const p = field === undefined ? { line, message } : { line, field, message };
    if (problems.length < MAX_KEPT_PROBLEMS) problems.push(p);
    found.add(p);
  };
  const handOver = found.handOver;

  const source = open(input, opts.signal);
  const decoder = new CsvDecoder(opts.encoding);

  let delimiter: Delimiter = ",";
  let header: string[] | undefined;
  let bound: BoundMapping | undefined;
  const column = (i: number) => header?.[i] || `column ${i + 1}`;
  const firstUse = new Map<string, number>();
  let rows = 0;
  let blankRows = 0;
  let requests = 0;
  let stop = false;
  // Set once a decoded chunk holds a NUL: only then are the cells searched for one.
  let nulSeen = false;
  const nulCell = (cells: string[]) => (nulSeen ? cells.findIndex((c) => c.includes("\u0000")) : -1);

  const onRow = (cells: string[], info: RowInfo): boolean => {
    const row = info.row;
    if (!header) {
      const nul = nulCell(cells);
      if (nul !== -1) {
        // PostgreSQL cannot store it, and a column name is stored with the file.
        report(1, `column ${nul + 1}`, `The header ${unstorableMessage("nul")}`);
        return false;
      }
      header = cells.map((c) => c.trim());
      if (header.every((h) => h === "")) {
        report(1, undefined, "The first row must be the header, with the column names; row 1 is empty");
        return false;
      }
      if (mapping) {
        bound = bindMapping(mapping, header, { maxLineBytes: opts.maxLineBytes });
        for (const p of bound.problems) report(1, p.field, p.message);
        // The mapping cannot be rendered for this file: reading on would only repeat that.
        if (bound.problems.length) return false;
      }
      return true;
    }
    rows++;
    if (cells.every((c) => c === "")) {
      blankRows++;
      return true;
    }
    sink.row?.(row, cells);
    const nul = nulCell(cells);
    if (nul !== -1) {
      // Every cell is stored beside its request (Request.source), used by the mapping or not.
      report(row, column(nul), `This cell ${unstorableMessage("nul")}`);
      return true;
    }
    if (info.strayQuoteCell !== undefined) {
      report(row, column(info.strayQuoteCell), 'Text follows the closing quote of this cell: inside a quoted cell, write a quote as two quotes ("")');
      return true;
    }
    if (cells.length !== header.length) {
      if (cells.length < header.length) {
        report(row, column(cells.length), `This row has ${plural(cells.length, "cell")}; the header has ${plural(header.length, "column")}. A line break inside a cell needs the cell in double quotes`);
        return true;
      }
      if (cells.slice(header.length).some((c) => c !== "")) {
        report(row, undefined, `This row has ${plural(cells.length, "cell")}; the header has ${plural(header.length, "column")}. A cell holding ${JSON.stringify(delimiter)} needs double quotes around it`);
        return true;
      }
    }
    if (!bound) return sink.request({ customId: "", line: "" }, row, cells);
    const r = bound.render(cells, row);
    if (!("line" in r)) {
      report(row, r.field, r.message);
      return true;
    }
    if (bound.idCell !== undefined) {
      const first = firstUse.get(r.customId);
      if (first !== undefined) {
        report(row, header[bound.idCell], `The custom_id ${JSON.stringify(r.customId.length > 60 ? `${r.customId.slice(0, 60)}…` : r.customId)} is used twice: first in row ${first}, again in row ${row}`);
        return true;
      }
      firstUse.set(r.customId, row);
    }
    requests++;
    return sink.request(r, row, cells.length > header.length ? cells.slice(0, header.length) : cells);
  };

  let tokenizer: CsvTokenizer | undefined;
  const reading = pipeline(source, decoder, async (chunks: AsyncIterable<DecodedChunk>) => {
    for await (const chunk of chunks) {
      if (typeof chunk !== "string" && "notText" in chunk) {
        report(1, undefined, chunk.notText);
        stop = true;
        break;
      }
      if (typeof chunk !== "string") {
        const { encoding, bom } = decoder.sniffed!;
        const how = opts.encoding ? "as chosen" : bom ? "from its byte order mark" : encoding === "utf-8" ? "from its first bytes" : "since it is not UTF-8";
        const fix = encoding === "utf-8" && !bom ? "Save the file as UTF-8, or choose GB18030 if Excel saved it in China" : "Save the file as UTF-8 (in Excel: CSV UTF-8)";
        report((tokenizer?.rows ?? 0) + 1, undefined, `This row has bytes that are not valid ${encodingLabel[encoding]} (the file was read as ${encodingLabel[encoding]} ${how}). ${fix}`);
        continue;
      }
      if (!tokenizer) {
        delimiter = sniffDelimiter(chunk);
        tokenizer = new CsvTokenizer(delimiter, onRow, opts.maxRowChars);
      }
      if (!nulSeen && chunk.includes("\u0000")) nulSeen = true;
      if (!tokenizer.push(chunk)) {
        stop = true;
        break;
      }
      if (sink.drain) await sink.drain();
      await handOver();
    }
    if (!stop) tokenizer?.end();
  }, { signal: opts.signal });
  // Leaving the loop early (a preview has its rows, the header does not fit) closes the file,
  // which the pipeline reports as an abort.
  await reading.catch((err) => {
    if (!stop || opts.signal?.aborted) throw err;
  });

  const failure = tokenizer?.failure;
  if (failure?.kind === "unclosed-quote") {
    report(failure.row, column(failure.cell), "A quoted cell starts in this row but its closing quote never comes: the rest of the file was read into it");
  } else if (failure?.kind === "row-too-long") {
    report(failure.row, column(failure.cell), `This row is over ${plural(opts.maxRowChars ?? DEFAULT_MAX_ROW_CHARS, "character")}${failure.quoted ? ": most likely a quote opened in this cell is never closed" : ""}`);
  } else if (!header && !stop) {
    report(1, undefined, "The file is empty: it needs a header row and a row for each request");
  } else if (!stop && rows === blankRows && (!bound || bound.problems.length === 0)) {
    report(2, undefined, "The file has a header but no rows under it");
  }

  await handOver();
  problems.sort((a, b) => a.line - b.line);
  const sniffed = decoder.sniffed ?? { encoding: opts.encoding ?? "utf-8", bom: false };
  return { ...sniffed, delimiter, columns: header ?? [], rows, blankRows, requests, problems, problemCount, bytesIn: decoder.bytes };
}

/** Batches many small strings into few writes, and waits for the disk when it is behind. */
class BatchedWriter {
  private buf = "";
  private readonly out: fs.WriteStream;
  private failed: Error | undefined;
  constructor(path: string) {
    this.out = fs.createWriteStream(path);
    this.out.on("error", (err) => (this.failed = err));
  }
  add(s: string) {
    this.buf += s;
  }
  async drain() {
    if (this.failed) throw this.failed;
    if (this.buf.length < WRITE_BATCH) return;
    const ok = this.out.write(this.buf);
    this.buf = "";
    if (!ok) await once(this.out, "drain");
  }
  async close(): Promise<number> {
    if (this.failed) throw this.failed;
    this.out.end(this.buf);
    this.buf = "";
    await once(this.out, "finish");
    return this.out.bytesWritten;
  }
  destroy() {
    this.out.destroy();
  }
}

/**
 * Converts a CSV (a path, or a stream of its bytes) into the JSONL batch file at `outPath`. Rows
 * with a problem are left out of it; `valid` says whether there was none. The caller owns (and
 * removes) the files written.
 */
export async function csvToJsonl(input: Input, mapping: CsvMapping, outPath: string, opts: CsvToJsonlOptions = {}): Promise<CsvConversion> {
  const out = new BatchedWriter(outPath);
  const cells = opts.cellsPath ? new BatchedWriter(opts.cellsPath) : undefined;
  const every = opts.progressEvery ?? 1000;
  try {
    const summary = await readCsv(
      input,
      mapping,
      {
        row(row) {
          if (row % every === 0) opts.onProgress?.(row);
        },
        request(r, row, rowCells) {
          out.add(r.line + "\n");
          cells?.add(`{"row":${row},"cells":${JSON.stringify(rowCells)}}\n`);
          return true;
        },
        async drain() {
          await out.drain();
          await cells?.drain();
        },
      },
      opts,
    );
    const bytesOut = await out.close();
    await cells?.close();
    return { ...summary, valid: summary.problemCount === 0, bytesOut };
  } catch (err) {
    out.destroy();
    cells?.destroy();
    throw err;
  }
}

/**
 * Reads a CSV through the mapping only for its problems, every one handed to `opts.allProblems` (a
 * second pass over an upload with more than the file row keeps: lib/csv/import.ts). Writes nothing.
 */
export async function csvProblems(input: Input, mapping: CsvMapping, opts: CsvReadOptions & { allProblems: (batch: Problem[]) => Promise<void> }): Promise<number> {
  const summary = await readCsv(input, mapping, { request: () => true }, opts);
  return summary.problemCount;
}

/**
 * The first `n` requests exactly as they will be sent, with the rows they come from, the header and
 * the encoding and delimiter found. Reads only as far as it needs. Without a mapping (before the
 * user has chosen columns), only the header and the first rows.
 */
export async function previewRequests(input: Input, mapping: CsvMapping | null, n = 5, opts: CsvReadOptions = {}): Promise<CsvPreview> {
  const rows: CsvPreview["rows"] = [];
  const requests: PreviewRequest[] = [];
  const summary = await readCsv(
    input,
    mapping,
    {
      row(row, cells) {
        if (rows.length < n) rows.push({ row, cells });
      },
      request(r, row) {
        if (!mapping) return rows.length < n;
        requests.push({ row, customId: r.customId, line: r.line });
        return requests.length < n;
      },
    },
    opts,
  );
  const { encoding, bom, delimiter, columns, problems, problemCount } = summary;
  return { encoding, bom, delimiter, columns, rows, requests, problems, problemCount };
}
