import { describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { csvField, csvHeader, csvRecords, neutraliseFormula } from "./write";

describe("csvRecords", () => {
  it("quotes what needs it and reads back to the same cells", () => {
    const tricky = ['He said "hi", then\nleft.\r\nSecond line, 你好，世界', "a,b", 'only "quotes"', "lone\rCR", "", "plain", "  spaced  "];
    const text = csvRecords([tricky, [1, -2.5, null, undefined, true, "x"]]);
    expect(text.endsWith("\r\n")).toBe(true);
    const back = parse(text, { relax_column_count: true }) as string[][];
    expect(back[0]).toEqual(tricky);
    expect(back[1]).toEqual(["1", "-2.5", "", "", "true", "x"]);
    // Only the fields that need quotes have them, as Python's csv module writes.
    expect(csvRecords([["plain", "a,b", 'q"']])).toBe('plain,"a,b","q"""\r\n');
  });

  it("makes every text cell formula-safe, numbers and plain numeric text left alone", () => {
    const dangerous = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx", "=HYPERLINK(\"http://x\")"];
    expect(dangerous.map(neutraliseFormula)).toEqual(dangerous.map((d) => `'${d}`));
    for (const v of ["-12", "+3.5", "-0,5", "1e-3", "plain", "", 42, -1, null]) expect(neutraliseFormula(v)).toBe(v);
    expect(csvField("=1+1")).toBe("'=1+1");
    expect(csvField('=A1&","')).toBe(`"'=A1&"","""`);
    expect(csvField(-3)).toBe("-3");
  });

  it("writes a header with an optional byte order mark", () => {
    expect(csvHeader(["a", "b,c"])).toBe('a,"b,c"\r\n');
    expect(csvHeader(["a"], true)).toBe("\ufeffa\r\n");
  });
});
