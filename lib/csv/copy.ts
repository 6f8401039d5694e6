// PostgreSQL's CSV (COPY ... WITH (FORMAT csv)) made into Batchboard's: the exports read a page of
// rows as CSV written by the database (lib/db/sql.ts, copyCsv), each record led by the row's keyset
// key. Here each record loses its key and ends in CRLF like Python's csv module (COPY ends records
// in \n); the last record's key is the next page's start. The rest is already ours: the database
// quotes exactly the fields that hold a comma, a quote or a line break, as lib/csv/write.ts does.
const NL = 0x0a;
const QUOTE = 0x22;
const COMMA = 0x2c;

export interface CopyPage {
  /** The records without their keys, each ending in CRLF. */
  csv: Buffer;
  rows: number;
  /** The key of the last record (null for an empty field), or null for an empty page. */
  lastKey: (number | null)[] | null;
}

/**
 * `keyWidth` leading fields of each record are its key: integers or empty, never quoted. A line
 * break inside a quoted field is data; the record ends at the first one outside quotes. The
 * searches are Buffer.indexOf (native), not a loop over bytes: a 50,000-row export is 20 MB.
 */
export function fromCopy(b: Buffer, keyWidth: number): CopyPage {
  // Every record loses at least one byte of key and its separator: the output fits in input + a CR each.
  const out = Buffer.allocUnsafe(b.length + countOf(b, NL));
  let o = 0;
  let i = 0;
  let rows = 0;
  let keyStart = 0;
  let keyEnd = 0;
  while (i < b.length) {
    keyStart = i;
    for (let k = 0; k < keyWidth; k++) i = b.indexOf(COMMA, i) + 1;
    keyEnd = i - 1;
    let end = endOf(b, b.indexOf(NL, i));
    // Pairs of quotes before that line feed: one whose closing quote is after it makes the line
    // feed data (a "" inside a quoted field closes and reopens it: the pairing still holds).
    for (let q = b.indexOf(QUOTE, i); q !== -1 && q < end; q = b.indexOf(QUOTE, q + 1)) {
      q = b.indexOf(QUOTE, q + 1);
      if (q === -1) throw new Error("COPY output ends inside a quoted field");
      if (q > end) end = endOf(b, b.indexOf(NL, q));
    }
    o += b.copy(out, o, i, end);
    out[o++] = 0x0d;
    out[o++] = NL;
    i = end + 1;
    rows++;
  }
  const lastKey = rows ? b.toString("latin1", keyStart, keyEnd).split(",").map((v) => (v === "" ? null : Number(v))) : null;
  return { csv: out.subarray(0, o), rows, lastKey };
}

/** Where a record ends: its line feed, or the end of the output. */
const endOf = (b: Buffer, nl: number) => (nl === -1 ? b.length : nl);

function countOf(b: Buffer, byte: number) {
  let n = 0;
  for (let i = b.indexOf(byte); i !== -1; i = b.indexOf(byte, i + 1)) n++;
  return n;
}
