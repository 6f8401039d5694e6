// Splits decoded CSV text into rows of cells, chunk by chunk, as RFC 4180 says: cells separated by
// one delimiter, rows by \n, \r\n or \r, a cell in double quotes may hold delimiters, line breaks
// and doubled quotes (""). A quote inside an unquoted cell is kept as text, as Excel and Python's
// csv module read it.
//
// Why not csv-parse: it walks the input byte by byte and appends each byte to a buffer; on the
// bench's 24 MB file it alone takes longer (0.63-0.77 s here) than the whole Python conversion it
// must beat (0.57-0.75 s). Scanning strings with indexOf and slicing whole cells is 2-3 times
// faster. csv-parse stays the authority: tokenize.test.ts checks this reader against it on random
// files.
//
// State is kept across chunks, so a cell split over chunks is never scanned twice, and the text
// of one row is capped (an unclosed quote would otherwise swallow the rest of a 200 MB file).

export type Delimiter = "," | ";" | "\t";

export interface RowInfo {
  /** The row as a spreadsheet numbers it: the header is row 1; blank rows count. */
  row: number;
  /** Set when text follows the closing quote of a cell ("ab"c): the index of the first such cell. */
  strayQuoteCell?: number;
}

export type TokenizeFailure =
  | { kind: "unclosed-quote"; row: number; cell: number }
  | { kind: "row-too-long"; row: number; cell: number; quoted: boolean };

const enum S {
  CellStart,
  Unquoted,
  Quoted,
  /** A quote seen inside a quoted cell: it closes the cell, or starts a doubled "". */
  QuoteInQuoted,
  /** Text after a closing quote, kept but reported. */
  AfterQuote,
  /** A \r ended the row; a \n right after it belongs to the same break. */
  AfterCr,
}

/** The longest row held, in characters: far past any provider's request, and bounded memory. */
export const DEFAULT_MAX_ROW_CHARS = 16 * 1024 * 1024;

const QUOTE = 34;
const LF = 10;
const CR = 13;

export class CsvTokenizer {
  private readonly d: number;
  private state = S.CellStart;
  private cells: string[] = [];
  private cell = "";
  /** Characters held in `cells` of the current row. */
  private held = 0;
  private row = 0;
  private stray: number | undefined;
  failure: TokenizeFailure | undefined;

  constructor(
    delimiter: Delimiter,
    /** Called for every row, blank ones included (as [""]). Return false to stop reading. */
    private readonly onRow: (cells: string[], info: RowInfo) => boolean | void,
    private readonly maxRowChars = DEFAULT_MAX_ROW_CHARS,
  ) {
    this.d = delimiter.charCodeAt(0);
  }

  /** Rows handed out so far. */
  get rows() {
    return this.row;
  }

  /** Feeds the next chunk; false once reading should stop (onRow said so, or a failure). */
  push(s: string): boolean {
    const d = this.d;
    const dChar = String.fromCharCode(d);
    const len = s.length;
    let i = 0;
    let state = this.state;
    let cell = this.cell;
    // The next delimiter, \n and \r at or after i, found with indexOf (native, fast even before the
    // JIT warms up) and looked up again only once passed.
    let nextD = -1;
    let nextLf = -1;
    let nextCr = -1;
    while (i < len) {
      switch (state) {
        case S.AfterCr:
          if (s.charCodeAt(i) === LF) i++;
          state = S.CellStart;
          break;
        case S.CellStart:
          if (s.charCodeAt(i) === QUOTE) {
            i++;
            state = S.Quoted;
            break;
          }
          state = S.Unquoted;
        // falls through
        case S.Unquoted:
        case S.AfterQuote: {
          if (nextD < i) nextD = s.indexOf(dChar, i) >>> 0;
          if (nextLf < i) nextLf = s.indexOf("\n", i) >>> 0;
          if (nextCr < i) nextCr = s.indexOf("\r", i) >>> 0;
          // >>> 0 turned "not found" (-1) into 2^32 - 1, past any chunk.
          const j = Math.min(nextD, nextLf, nextCr, len);
          const c = j < len ? s.charCodeAt(j) : 0;
          if (j > i) cell = cell === "" ? s.slice(i, j) : cell + s.slice(i, j);
          if (j === len) {
            i = len;
            break;
          }
          i = j + 1;
          this.endCell(cell);
          cell = "";
          if (c === d) state = S.CellStart;
          else {
            state = c === CR ? S.AfterCr : S.CellStart;
            if (!this.endRow()) {
              this.state = state;
              this.cell = "";
              return false;
            }
          }
          break;
        }
        case S.Quoted: {
          const q = s.indexOf('"', i);
          if (q === -1) {
            cell += s.slice(i);
            i = len;
            break;
          }
          cell += s.slice(i, q);
          i = q + 1;
          state = S.QuoteInQuoted;
          break;
        }
        case S.QuoteInQuoted: {
          const c = s.charCodeAt(i);
          if (c === QUOTE) {
            cell += '"';
            i++;
            state = S.Quoted;
          } else if (c === d) {
            i++;
            this.endCell(cell);
            cell = "";
            state = S.CellStart;
          } else if (c === LF || c === CR) {
            i++;
            this.endCell(cell);
            cell = "";
            state = c === CR ? S.AfterCr : S.CellStart;
            if (!this.endRow()) {
              this.state = state;
              this.cell = "";
              return false;
            }
          } else {
            if (this.stray === undefined) this.stray = this.cells.length;
            state = S.AfterQuote;
          }
          break;
        }
      }
    }
    this.state = state;
    this.cell = cell;
    if (this.held + cell.length > this.maxRowChars) {
      this.failure = { kind: "row-too-long", row: this.row + 1, cell: this.cells.length, quoted: state === S.Quoted || state === S.QuoteInQuoted };
      return false;
    }
    return true;
  }

  /** The end of the text: the last row may have no line break. */
  end(): void {
    if (this.failure) return;
    switch (this.state) {
      case S.Quoted:
        this.failure = { kind: "unclosed-quote", row: this.row + 1, cell: this.cells.length };
        return;
      case S.CellStart:
        // After a final line break there is no further row; after a final delimiter, an empty cell.
        if (this.cells.length === 0) return;
        break;
      case S.AfterCr:
        return;
    }
    this.endCell(this.cell);
    this.cell = "";
    this.state = S.CellStart;
    this.endRow();
  }

  private endCell(cell: string) {
    this.cells.push(cell);
    this.held += cell.length;
  }

  private endRow(): boolean {
    const cells = this.cells;
    const info: RowInfo = { row: ++this.row };
    if (this.stray !== undefined) info.strayQuoteCell = this.stray;
    this.cells = [];
    this.held = 0;
    this.stray = undefined;
    return this.onRow(cells, info) !== false;
  }
}

/**
 * The delimiter of a file, from its header line (up to the first line break outside quotes): the
 * most frequent of , ; and tab outside quotes; a comma when there is none (one column) or a tie.
 */
export function sniffDelimiter(text: string): Delimiter {
  const counts = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (c === "\n" || c === "\r") break;
    else if (c === "," || c === ";" || c === "\t") counts[c]++;
  }
  let best: Delimiter = ",";
  for (const d of [";", "\t"] as const) if (counts[d] > counts[best]) best = d;
  return best;
}
