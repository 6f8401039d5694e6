import { describe, expect, it } from "vitest";
import { fromCopy } from "./copy";

describe("fromCopy: PostgreSQL's COPY CSV as Batchboard writes CSV", () => {
  it("takes each record's key off, ends records in CRLF, and keeps line breaks and quotes inside fields", () => {
    const copy = Buffer.from(['1,10,a,"x\ny"', '2,11,"He said ""hi"",\nthen ""left""",你好', ",12,,", ""].join("\n"));
    const page = fromCopy(copy, 2);
    expect(page.csv.toString("utf8")).toBe('a,"x\ny"\r\n"He said ""hi"",\nthen ""left""",你好\r\n,\r\n');
    expect(page.rows).toBe(3);
    // An empty key field is null (a result without a line).
    expect(page.lastKey).toEqual([null, 12]);
  });

  it("reads a quoted field whose line break comes after an escaped quote", () => {
    const page = fromCopy(Buffer.from('5,"""\n"""\n6,""\n'), 1);
    expect(page.csv.toString()).toBe('"""\n"""\r\n""\r\n');
    expect(page.lastKey).toEqual([6]);
  });

  it("has nothing for an empty page", () => {
    expect(fromCopy(Buffer.alloc(0), 5)).toEqual({ csv: Buffer.alloc(0), rows: 0, lastKey: null });
  });
});
