// Turns the bytes of an uploaded CSV into text as a stream, in the encoding its first bytes show:
// a UTF-8 BOM, else UTF-8 when the start of the file is valid UTF-8, else GB18030 (a superset of
// GBK, what Excel in China saves as "CSV"). A UTF-16 BOM (Excel's "Unicode Text") is read too, and
// so is UTF-16 without one (a NUL every other byte). A file that is no text at all (a workbook, an
// image: lib/files/sniff.ts) is not decoded: the stream carries one NotText marker saying what it is.
// Bytes that are not valid in the chosen encoding are not silently replaced: the stream carries an
// INVALID_BYTES marker at that place so that the reader can name the row.
import { Transform, type TransformCallback } from "node:stream";
import { notTextMessage, sniffBytes } from "@/lib/files/sniff";

export type CsvEncoding = "utf-8" | "gb18030" | "utf-16le" | "utf-16be";

export interface SniffedEncoding {
  encoding: CsvEncoding;
  /** The file starts with a byte order mark (not part of the text). */
  bom: boolean;
}

/** How many bytes are looked at before choosing (or all of a smaller file). */
export const SNIFF_BYTES = 64 * 1024;

export const INVALID_BYTES = { invalidBytes: true } as const;
/** The file is not text in any encoding read here: `message` says what it is and what to do. */
export interface NotText {
  notText: string;
}
export type DecodedChunk = string | typeof INVALID_BYTES | NotText;

export function sniffEncoding(head: Uint8Array): SniffedEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: "utf-8", bom: true };
  const s = sniffBytes(head);
  if (s.kind === "utf-16") return { encoding: s.endian === "le" ? "utf-16le" : "utf-16be", bom: s.bom };
  try {
    // stream: a character cut by the end of the sample is not an error.
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true });
    return { encoding: "utf-8", bom: false };
  } catch {
    return { encoding: "gb18030", bom: false };
  }
}

export const encodingLabel: Record<CsvEncoding, string> = {
  "utf-8": "UTF-8",
  gb18030: "GB18030 (GBK)",
  "utf-16le": "UTF-16",
  "utf-16be": "UTF-16 (big-endian)",
};

/**
 * Bytes in, strings out (object mode on the readable side). Holds back the first SNIFF_BYTES to
 * choose the encoding unless one is given; `sniffed` is set before the first string is pushed.
 */
export class CsvDecoder extends Transform {
  sniffed: SniffedEncoding | undefined;
  /** Bytes taken in so far. */
  bytes = 0;
  private head: Buffer[] = [];
  private headBytes = 0;
  private decoder: TextDecoder | undefined;
  private invalidSeen = false;
  /** Set when the file is not text: nothing more is decoded. */
  notText: string | undefined;

  constructor(private readonly forced?: CsvEncoding) {
    super({ readableObjectMode: true });
  }

  _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
    this.bytes += chunk.length;
    if (this.notText) return cb();
    if (this.decoder) {
      this.decode(chunk, false);
      return cb();
    }
    this.head.push(chunk);
    this.headBytes += chunk.length;
    if (this.headBytes >= SNIFF_BYTES) this.start();
    cb();
  }

  _flush(cb: TransformCallback) {
    if (!this.decoder && !this.notText) this.start();
    if (!this.notText) this.decode(undefined, true);
    cb();
  }

  private start() {
    const head = Buffer.concat(this.head);
    this.head = [];
    // Whatever encoding was chosen, a workbook or an image is not a CSV in it.
    const kind = sniffBytes(head);
    const notText = kind.kind === "binary" || kind.kind === "utf-32" ? notTextMessage(kind, "a CSV file") : null;
    if (notText) {
      this.notText = notText;
      this.push({ notText } satisfies NotText);
      return;
    }
    const sniffed = sniffEncoding(head.subarray(0, SNIFF_BYTES));
    this.sniffed = this.forced ? { encoding: this.forced, bom: sniffed.bom && sniffed.encoding === this.forced } : sniffed;
    // TextDecoder drops a leading BOM of its own encoding by default.
    this.decoder = new TextDecoder(this.sniffed.encoding, { fatal: true });
    this.decode(head, false);
  }

  private decode(bytes: Buffer | undefined, last: boolean) {
    let text: string;
    try {
      text = this.decoder!.decode(bytes, { stream: !last });
    } catch {
      // Report the first bad place once, then go on with replacement characters so the rest of
      // the file is still checked.
      this.decoder = new TextDecoder(this.sniffed!.encoding);
      text = this.decoder.decode(bytes, { stream: !last });
      if (!this.invalidSeen) {
        this.invalidSeen = true;
        const at = Math.max(0, text.indexOf("\uFFFD"));
        if (at > 0) this.push(text.slice(0, at));
        this.push(INVALID_BYTES);
        text = text.slice(at);
      }
    }
    if (text.length > 0) this.push(text);
  }
}
