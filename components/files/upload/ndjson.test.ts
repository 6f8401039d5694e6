// The NDJSON reader over a growing text: each line once, only when complete, blank lines skipped,
// a line cut anywhere (inside a string, before its newline) finished on a later call.
import { describe, expect, it } from "vitest";
import { ndjsonReader } from "./ndjson";

describe("ndjsonReader", () => {
  it("returns each complete line once, as the text grows", () => {
    const read = ndjsonReader<{ n: number }>();
    expect(read("")).toEqual([]);
    expect(read('{"n":1}\n{"n":2}\n')).toEqual([{ n: 1 }, { n: 2 }]);
    expect(read('{"n":1}\n{"n":2}\n')).toEqual([]);
    expect(read('{"n":1}\n{"n":2}\n{"n":3}\n')).toEqual([{ n: 3 }]);
  });

  it("keeps a line without its newline for the next call, wherever it is cut", () => {
    const read = ndjsonReader<{ type: string; message?: string }>();
    const whole = '{"type":"received"}\n{"type":"error","message":"a\\nb"}\n';
    const cut = whole.indexOf("a\\n");
    expect(read(whole.slice(0, cut))).toEqual([{ type: "received" }]);
    expect(read(whole.slice(0, whole.length - 1))).toEqual([]);
    expect(read(whole)).toEqual([{ type: "error", message: "a\nb" }]);
  });

  it("skips blank lines", () => {
    const read = ndjsonReader<{ n: number }>();
    expect(read('\n  \n{"n":1}\n\n')).toEqual([{ n: 1 }]);
  });

  it("gives each reader its own place", () => {
    const a = ndjsonReader<{ n: number }>();
    const b = ndjsonReader<{ n: number }>();
    expect(a('{"n":1}\n')).toEqual([{ n: 1 }]);
    expect(b('{"n":1}\n')).toEqual([{ n: 1 }]);
  });
});
