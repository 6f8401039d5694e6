import { describe, expect, it } from "vitest";
import { assertCleanParams, intParam, MAX_PAGE, nulParam, pageParam, ParamError, paramValue, readParams } from "./params";

const q = (s: string) => new URLSearchParams(s);

describe("address parameters", () => {
  it("refuse a NUL in any name or value, from a query, a page's searchParams or a path", () => {
    expect(() => assertCleanParams(q("q=a%00b"))).toThrow('The parameter "q" holds a NUL character (%00), which cannot be searched for or stored. Remove it from the address.');
    expect(nulParam(q("status=all&x%00=1"))?.param).toBe("x\u0000");
    expect(nulParam({ model: ["ok", "b\u0000"] })?.param).toBe("model");
    expect(nulParam({ id: "ck\u0000" })).toBeInstanceOf(ParamError);
    expect(nulParam(q("q=caf%C3%A9&model=gpt-4o"))).toBeNull();
    expect(nulParam({ q: undefined })).toBeNull();
  });

  it("read a whole number in its range, or say which parameter and range", () => {
    const range = { min: 1, max: 500, fallback: undefined };
    expect(intParam(q("limit=20"), "limit", range)).toBe(20);
    expect(intParam(q("limit="), "limit", range)).toBeUndefined();
    expect(intParam(q(""), "limit", range)).toBeUndefined();
    for (const bad of ["abc", "-1", "0", "1e3", "1.5", "0x10", "501", "99999999999999999999"]) {
      expect(() => intParam(q(`limit=${bad}`), "limit", range)).toThrow(`The parameter "limit" must be a whole number from 1 to 500; ${JSON.stringify(bad)} is not.`);
    }
  });

  it("read ?page= from 1 to MAX_PAGE, 1 when absent", () => {
    expect(pageParam(q(""))).toBe(1);
    expect(pageParam({ page: ["3", "4"] })).toBe(3);
    expect(pageParam(q(`page=${MAX_PAGE}`))).toBe(MAX_PAGE);
    for (const bad of ["99999999999999999999", "-1", "1e400", `${MAX_PAGE + 1}`]) {
      expect(() => pageParam(q(`page=${bad}`))).toThrow(/^The parameter "page" must be a whole number from 1 to 100,000/);
    }
  });

  it("hand a page the value, or the error to show, and let other errors through", () => {
    expect(readParams(() => pageParam(q("page=2")))).toEqual({ ok: true, value: 2 });
    const r = readParams(() => pageParam(q("page=x")));
    expect(r.ok ? null : r.error.param).toBe("page");
    expect(() => readParams(() => paramValue(q(""), "x")!.length)).toThrow(TypeError);
  });
});
