// What a CSV conversion and its preview report, shared by the server (lib/csv/convert.ts) and the
// upload page, which must not import server modules. Problems have the shape of the JSONL
// validator's (lib/files/types.ts), so both show the same way; for a CSV, `line` is the row as a
// spreadsheet numbers it (the header is row 1) and `field` the column's name.
import type { Problem } from "@/lib/files/types";
import type { CsvEncoding } from "./decode";
import type { Delimiter } from "./tokenize";

export type { Problem, CsvEncoding, Delimiter };

export interface CsvShape {
  encoding: CsvEncoding;
  /** The file starts with a byte order mark. */
  bom: boolean;
  delimiter: Delimiter;
  /** The header's column names, trimmed, in file order. */
  columns: string[];
}

export interface CsvConversion extends CsvShape {
  /** No problem found: the JSONL holds one request for every non-blank row. */
  valid: boolean;
  /** Rows under the header, blank ones included. */
  rows: number;
  /** Rows whose cells are all empty: skipped, not problems. */
  blankRows: number;
  /** Lines written to the JSONL (rows with a problem are left out). */
  requests: number;
  /** The first 100, in row order. */
  problems: Problem[];
  /** All of them. */
  problemCount: number;
  bytesIn: number;
  bytesOut: number;
}

export interface PreviewRequest {
  row: number;
  customId: string;
  /** The JSONL line exactly as it will be sent. */
  line: string;
}

export interface CsvPreview extends CsvShape {
  /** The first data rows read, as cells (for a table beside the requests). */
  rows: { row: number; cells: string[] }[];
  requests: PreviewRequest[];
  /** Problems in the part of the file read for the preview (the header's, and the first rows'). */
  problems: Problem[];
  problemCount: number;
}

/** Bytes of a file's start the upload page sends for its preview: more than the 64 KB the encoding is chosen from. */
export const PREVIEW_HEAD_BYTES = 512 * 1024;
/** Rows the upload page previews. */
export const PREVIEW_ROWS = 8;

/** What the upload page gets back for a file's start (preview.ts). */
export interface HeadPreview extends Omit<CsvPreview, "requests"> {
  /** The rows shown are the first ones of a longer file. */
  partial: boolean;
}
