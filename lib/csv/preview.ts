// The upload page's first look at a CSV: the browser sends the start of the file (up to
// PREVIEW_HEAD_BYTES, cut after a line break) and gets back its encoding, delimiter, header and first
// rows, read by the same code as the upload. The browser then renders each request from these rows
// with the mapping as the user edits it (render.ts, the very code the server converts with), so the
// preview is exactly what will be sent.
import "server-only";
import { Readable } from "node:stream";
import { previewRequests } from "./convert";
import type { CsvEncoding } from "./decode";
import { PREVIEW_ROWS, type HeadPreview } from "./types";

export { PREVIEW_HEAD_BYTES, type HeadPreview } from "./types";

/**
 * Reads the header and first rows of a file's start. `truncated` says the bytes are only the start of
 * the file: a row cut by the end of them is not a problem of the file, so problems past the last
 * whole row are dropped when the rows ran out.
 */
export async function previewHead(head: Uint8Array, opts: { encoding?: CsvEncoding; truncated: boolean; rows?: number }): Promise<HeadPreview> {
  const n = opts.rows ?? PREVIEW_ROWS;
  const p = await previewRequests(Readable.from([Buffer.from(head)]), null, n, { encoding: opts.encoding });
  const ranOut = p.rows.length < n;
  let { problems, problemCount } = p;
  if (opts.truncated && ranOut) {
    // The browser cuts the start after a line break, so the rows read are whole; what comes after them
    // (a quoted cell that goes on past the cut) is not.
    const lastRow = p.rows.at(-1)?.row ?? 1;
    const kept = problems.filter((x) => x.line <= lastRow);
    problemCount -= problems.length - kept.length;
    problems = kept;
  }
  return {
    encoding: p.encoding,
    bom: p.bom,
    delimiter: p.delimiter,
    columns: p.columns,
    rows: p.rows,
    problems,
    problemCount,
    partial: opts.truncated || !ranOut,
  };
}
