import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { CsvTokenizer, sniffDelimiter, type Delimiter, type RowInfo } from "./tokenize";

function tokenize(text: string, delimiter: Delimiter = ",", chunkSizes: number[] = [text.length || 1], maxRowChars?: number) {
  const rows: string[][] = [];
  const infos: RowInfo[] = [];
  const t = new CsvTokenizer(
    delimiter,
    (cells, info) => {
      rows.push(cells);
      infos.push(info);
    },
    maxRowChars,
  );
  let i = 0;
  let k = 0;
  let going = true;
  while (i < text.length && going) {
    const size = chunkSizes[k++ % chunkSizes.length];
    going = t.push(text.slice(i, i + size));
    i += size;
  }
  if (going) t.end();
  return { rows, infos, failure: t.failure };
}

/** A deterministic generator, so a failing case can be replayed. */
function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

const PIECES = ["a", "b c", "你好", "😀", '"', ",", ";", "\t", "\n", "\r\n", " ", "=1+2", "", "x\"y", "批处理"];

function randomCsv(r: () => number, delimiter: Delimiter, eol: string) {
  const cols = 1 + Math.floor(r() * 4);
  const lines: string[] = [];
  const rows = 1 + Math.floor(r() * 8);
  for (let i = 0; i < rows; i++) {
    const cells: string[] = [];
    for (let c = 0; c < cols; c++) {
      let v = "";
      const n = Math.floor(r() * 4);
      for (let j = 0; j < n; j++) v += PIECES[Math.floor(r() * PIECES.length)];
      const needs = v.includes(delimiter) || v.includes('"') || v.includes("\n") || v.includes("\r") || r() < 0.2;
      cells.push(needs ? `"${v.replaceAll('"', '""')}"` : v);
    }
    // One column and an empty cell would be a blank line: both readers agree on that, keep it.
    lines.push(cells.join(delimiter));
  }
  return lines.join(eol) + (r() < 0.5 ? eol : "");
}

describe("CsvTokenizer", () => {
  it("reads what csv-parse reads, on 600 random files cut into random chunks", () => {
    const r = rng(42);
    for (let n = 0; n < 600; n++) {
      const delimiter = ([",", ";", "\t"] as const)[n % 3];
      const eol = ["\n", "\r\n"][Math.floor(n / 3) % 2];
      const text = randomCsv(r, delimiter, eol);
      const expected = parse(text, { delimiter, record_delimiter: eol, relax_column_count: true, relax_quotes: true });
      const chunks = [1 + Math.floor(r() * 7), 1 + Math.floor(r() * 20)];
      const got = tokenize(text, delimiter, chunks);
      expect(got.failure, JSON.stringify(text)).toBeUndefined();
      expect(got.rows, JSON.stringify(text)).toEqual(expected);
    }
  });

  it("gives the same rows wherever the text is cut", () => {
    const text = 'id,"q, with comma"\r\n1,"line one\r\nline two ""quoted"""\r\n2,plain\r\n\r\n"3",\r\n';
    const whole = tokenize(text).rows;
    expect(whole).toEqual([["id", "q, with comma"], ["1", 'line one\r\nline two "quoted"'], ["2", "plain"], [""], ["3", ""]]);
    for (let cut = 1; cut < text.length; cut++) expect(tokenize(text, ",", [cut]).rows).toEqual(whole);
  });

  it("numbers rows as a spreadsheet does: quoted line breaks stay in one row, blank rows count", () => {
    const { infos } = tokenize('h1,h2\n"a\nb",c\n\nd,e');
    expect(infos.map((i) => i.row)).toEqual([1, 2, 3, 4]);
  });

  it("accepts \\r alone as a row break, and a last row without one", () => {
    expect(tokenize("a,b\rc,d").rows).toEqual([["a", "b"], ["c", "d"]]);
    expect(tokenize("a,b\r", ",", [3, 1]).rows).toEqual([["a", "b"]]);
    expect(tokenize("a,").rows).toEqual([["a", ""]]);
  });

  it("keeps a quote inside an unquoted cell as text, and flags text after a closing quote", () => {
    expect(tokenize('a,5" screen\n').rows).toEqual([["a", '5" screen']]);
    const stray = tokenize('h1,h2\n"x"y,z\n');
    expect(stray.rows[1]).toEqual(["xy", "z"]);
    expect(stray.infos[1].strayQuoteCell).toBe(0);
    expect(stray.infos[0].strayQuoteCell).toBeUndefined();
  });

  it("reports an unclosed quote with the row and cell where it opened", () => {
    const { rows, failure } = tokenize('h1,h2\na,b\nc,"never closed\nd,e\n', ",", [4]);
    expect(rows).toHaveLength(2);
    expect(failure).toEqual({ kind: "unclosed-quote", row: 3, cell: 1 });
  });

  it("stops holding a row past the limit, so a stray quote cannot swallow a whole file", () => {
    const text = 'h\n"' + "x".repeat(5000);
    const { failure } = tokenize(text, ",", [100], 1000);
    expect(failure).toEqual({ kind: "row-too-long", row: 2, cell: 0, quoted: true });
  });

  it("lets the reader stop after any row", () => {
    const rows: string[][] = [];
    const t = new CsvTokenizer(",", (cells) => {
      rows.push(cells);
      return rows.length < 2;
    });
    expect(t.push("a\nb\nc\nd\n")).toBe(false);
    expect(rows).toEqual([["a"], ["b"]]);
  });
});

describe("sniffDelimiter", () => {
  it("chooses from the header line, outside quotes", () => {
    expect(sniffDelimiter("id,question\n1,a;b;c;d")).toBe(",");
    expect(sniffDelimiter("id;question;answer\n1,2,3,4,5")).toBe(";");
    expect(sniffDelimiter("id\tquestion\n")).toBe("\t");
    expect(sniffDelimiter('"a,b,c";d;e\n')).toBe(";");
    expect(sniffDelimiter("question\n")).toBe(",");
  });
});
