// Splits a file on disk into lines as a stream of Buffers, with a cap on how much of one line is
// ever held: readline would buffer a 200 MB file without a newline as one string, so an oversized
// line is only measured, never kept. Used by the validator and by the second (storing) pass.
import fs from "node:fs";

export interface FileLine {
  /** 1-based. */
  line: number;
  /**
   * The line's bytes without its "\n" / "\r\n"; null when it is longer than maxLineBytes.
   * Valid only until the next line is asked for.
   */
  text: Buffer | null;
  /** Its size in bytes, without the line break. */
  bytes: number;
  /** The byte offset just past this line and its line break. */
  end: number;
}

export interface ReadLinesOptions {
  maxLineBytes: number;
  signal?: AbortSignal;
  /** Called with every chunk read from disk (to hash or count the file in the same pass). */
  onChunk?: (chunk: Buffer) => void;
  highWaterMark?: number;
}

export async function* readLines(file: string, opts: ReadLinesOptions): AsyncGenerator<FileLine> {
  const stream = fs.createReadStream(file, { highWaterMark: opts.highWaterMark ?? 1024 * 1024, signal: opts.signal });
  let parts: Buffer[] = [];
  let partBytes = 0;
  let lastByte: number | undefined;
  let line = 0;
  let offset = 0;

  const finish = (tail: Buffer, newline: boolean): FileLine => {
    line++;
    const total = partBytes + tail.length;
    offset += total + (newline ? 1 : 0);
    const last = tail.length ? tail[tail.length - 1] : lastByte;
    // A "\r\n" ending is a line break like "\n": its "\r" is not part of the line.
    const cr = last === 13 ? 1 : 0;
    let bytes = total - cr;
    let text: Buffer | null = null;
    if (bytes <= opts.maxLineBytes) {
      text = parts.length ? Buffer.concat([...parts, tail]) : tail;
      if (cr) text = text.subarray(0, text.length - 1);
      if (line === 1 && text[0] === 0xef && text[1] === 0xbb && text[2] === 0xbf) {
        // A UTF-8 byte order mark, as some editors on Windows write: not part of the JSON.
        text = text.subarray(3);
        bytes -= 3;
      }
    }
    parts = [];
    partBytes = 0;
    lastByte = undefined;
    return { line, text, bytes, end: offset };
  };

  const keep = (piece: Buffer) => {
    partBytes += piece.length;
    lastByte = piece[piece.length - 1];
    // Past the limit (plus one byte for a "\r") the line is only measured, no longer kept.
    if (partBytes > opts.maxLineBytes + 1) parts = [];
    // Copy: the read stream may reuse its buffers' memory.
    else parts.push(Buffer.from(piece));
  };

  for await (const chunk of stream as AsyncIterable<Buffer>) {
    opts.onChunk?.(chunk);
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl === -1) break;
      yield finish(chunk.subarray(start, nl), true);
      start = nl + 1;
    }
    if (start < chunk.length) keep(chunk.subarray(start));
  }
  // The last line may have no line break; an empty tail after a final "\n" is not a line.
  if (partBytes > 0) yield finish(Buffer.alloc(0), false);
}
