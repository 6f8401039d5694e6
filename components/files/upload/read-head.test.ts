// A CSV's start for the preview: whole when short, otherwise cut after its last whole line (UTF-8,
// and UTF-16 in both byte orders, where "\n" is two bytes), or kept as read when no line ends in it.
import { describe, expect, it } from "vitest";
import { isCsv, readHead } from "./read-head";

const text = async (b: Blob) => Buffer.from(await b.arrayBuffer());

describe("readHead", () => {
  it("sends a short file whole", async () => {
    const f = new Blob(["a,b\n1,2\n"]);
    const r = await readHead(f, 100);
    expect(r.truncated).toBe(false);
    expect(r.head).toBe(f);
  });

  it("cuts a long UTF-8 file after its last whole line", async () => {
    const r = await readHead(new Blob(["a,b\n1,2\n3,4\n5,6\n"]), 10);
    expect(r.truncated).toBe(true);
    expect((await text(r.head)).toString()).toBe("a,b\n1,2\n");
  });

  it("cuts UTF-16 on a whole two-byte newline, little- and big-endian", async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("a,b\n1,2\n3,4\n", "utf16le")]);
    const r = await readHead(new Blob([le]), 19);
    expect(r.truncated).toBe(true);
    expect((await text(r.head)).subarray(2).toString("utf16le")).toBe("a,b\n1,2\n");

    const be = Buffer.from(le.subarray(2).toString("utf16le"), "utf16le").swap16();
    const r2 = await readHead(new Blob([Buffer.concat([Buffer.from([0xfe, 0xff]), be])]), 19);
    expect((await text(r2.head)).subarray(2).swap16().toString("utf16le")).toBe("a,b\n1,2\n");
  });

  it("keeps what it read when no line ends in it", async () => {
    const r = await readHead(new Blob(["abcdefghij\n"]), 5);
    expect(r.truncated).toBe(true);
    expect((await text(r.head)).toString()).toBe("abcde");
  });
});

describe("isCsv", () => {
  it("knows a CSV by its name or its type", () => {
    expect(isCsv(new File([""], "q.CSV"))).toBe(true);
    expect(isCsv(new File([""], "q.tsv"))).toBe(true);
    expect(isCsv(new File([""], "q.txt", { type: "text/csv" }))).toBe(true);
    expect(isCsv(new File([""], "q.jsonl"))).toBe(false);
  });
});
