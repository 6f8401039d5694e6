import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { GB18030_CSV, GB18030_TEXT } from "./csv.fixtures";
import { CsvDecoder, INVALID_BYTES, SNIFF_BYTES, sniffEncoding, type DecodedChunk } from "./decode";

async function decode(bytes: Buffer, chunk = bytes.length || 1, forced?: ConstructorParameters<typeof CsvDecoder>[0]) {
  const pieces: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) pieces.push(bytes.subarray(i, i + chunk));
  const decoder = new CsvDecoder(forced);
  const out: DecodedChunk[] = [];
  for await (const c of Readable.from(pieces).pipe(decoder)) out.push(c as DecodedChunk);
  return { out, text: out.filter((c) => typeof c === "string").join(""), sniffed: decoder.sniffed, bytes: decoder.bytes };
}

describe("sniffEncoding", () => {
  it("reads a byte order mark, else tells UTF-8 from GB18030", () => {
    expect(sniffEncoding(Buffer.from("\uFEFFa,b", "utf8"))).toEqual({ encoding: "utf-8", bom: true });
    expect(sniffEncoding(Buffer.from("a,b\n你好", "utf8"))).toEqual({ encoding: "utf-8", bom: false });
    expect(sniffEncoding(GB18030_CSV)).toEqual({ encoding: "gb18030", bom: false });
    expect(sniffEncoding(Buffer.from("\uFEFFa\tb", "utf16le"))).toEqual({ encoding: "utf-16le", bom: true });
    // A character cut by the end of the sample is still UTF-8.
    expect(sniffEncoding(Buffer.from("ab你", "utf8").subarray(0, 4))).toEqual({ encoding: "utf-8", bom: false });
  });

  it("checks that this Node decodes GB18030 and GBK (full ICU)", () => {
    expect(new TextDecoder("gb18030").decode(Buffer.from("d6d0cec4", "hex"))).toBe("中文");
    expect(new TextDecoder("gbk").decode(Buffer.from("d6d0cec4", "hex"))).toBe("中文");
    // Four-byte GB18030 (outside GBK): an emoji.
    expect(new TextDecoder("gb18030").decode(Buffer.from("9439fc36", "hex"))).toBe("😀");
  });
});

describe("CsvDecoder", () => {
  it("decodes GB18030 split at every byte", async () => {
    for (const chunk of [1, 2, 3, 7]) {
      const r = await decode(GB18030_CSV, chunk);
      expect(r.text).toBe(GB18030_TEXT);
      expect(r.sniffed).toEqual({ encoding: "gb18030", bom: false });
      expect(r.bytes).toBe(GB18030_CSV.length);
    }
  });

  it("drops a UTF-8 BOM and keeps characters split across chunks", async () => {
    const bytes = Buffer.from("\uFEFFid,q\n1,😀你好\n", "utf8");
    for (const chunk of [1, 2, 5]) {
      const r = await decode(bytes, chunk);
      expect(r.text).toBe("id,q\n1,😀你好\n");
      expect(r.sniffed).toEqual({ encoding: "utf-8", bom: true });
    }
  });

  it("reads UTF-16 with its BOM (Excel's Unicode Text)", async () => {
    const r = await decode(Buffer.from("\uFEFFid\tq\n1\t你好\n", "utf16le"), 3);
    expect(r.text).toBe("id\tq\n1\t你好\n");
    expect(r.sniffed?.encoding).toBe("utf-16le");
  });

  it("marks the place where bytes stop being valid, instead of replacing them silently", async () => {
    // The first 64 KB are plain ASCII (so UTF-8 is chosen), then GBK bytes of 中文.
    const head = Buffer.from("id,q\n" + "1,abc\n".repeat(Math.ceil(SNIFF_BYTES / 6)), "utf8");
    const bytes = Buffer.concat([head, Buffer.from("2,", "utf8"), Buffer.from("d6d0cec4", "hex"), Buffer.from("\n3,ok\n", "utf8")]);
    const r = await decode(bytes, 4096);
    const at = r.out.indexOf(INVALID_BYTES);
    expect(at).toBeGreaterThan(0);
    expect(r.out.slice(0, at).join("").endsWith("\n2,")).toBe(true);
    expect(r.text.endsWith("\n3,ok\n")).toBe(true);
    expect(r.out.filter((c) => c === INVALID_BYTES)).toHaveLength(1);
  });

  it("reads in the encoding the user chose", async () => {
    const r = await decode(Buffer.from("d6d0cec42c610a", "hex"), 100, "gb18030");
    expect(r.text).toBe("中文,a\n");
  });
});
