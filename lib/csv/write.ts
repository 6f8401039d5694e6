// Writing CSV, for every export (results, merged lineage, comparison). Records end in CRLF like
// Python's csv module and RFC 4180; a field is quoted when it holds a comma, a quote or any line
// break (a lone \n inside an answer too, or readers would split the record there); null is an
// empty field. Every cell is made formula-safe first (neutraliseFormula).
//
// Why not csv-stringify (used here before): writing CSV is these few lines, while its per-cell
// option handling took 0.5 s of a 50,000-result export against 0.15 s for this (docs/benchmarks.md).
// Reading CSV, the hard direction, stays with csv-parse (lib/csv/decode.ts).

// OWASP's CSV injection advice: a cell starting with = + - @, a tab or a carriage return may be
// run as a formula by Excel or LibreOffice; a leading single quote makes it text. Plain numbers
// ("-12", "+3.5") are left alone: they are not formulas, and a spreadsheet of them must stay one.
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+([.,]\d+)?|[.,]\d+)([eE][+-]?\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]/;

export function neutraliseFormula(v: unknown): unknown {
  return typeof v === "string" && FORMULA_START.test(v) && !PLAIN_NUMBER.test(v) ? `'${v}` : v;
}

/** One field: formula-safe, quoted when needed. Numbers and booleans as JavaScript prints them. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = typeof v === "string" ? (neutraliseFormula(v) as string) : String(v);
  return NEEDS_QUOTES.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Records as CSV text, each ending in CRLF. */
export function csvRecords(records: readonly (readonly unknown[])[]): string {
  let out = "";
  for (const r of records) {
    for (let i = 0; i < r.length; i++) out += i === 0 ? csvField(r[i]) : "," + csvField(r[i]);
    out += "\r\n";
  }
  return out;
}

/** The header record, optionally after a UTF-8 byte order mark (Excel needs it for Chinese text). */
export function csvHeader(names: readonly string[], bom = false): string {
  return (bom ? "\ufeff" : "") + csvRecords([names]);
}
