// A JSON array where JSONL was expected: recognised from its first bytes, and converted into one
// element a line, streaming, byte for byte (numbers and strings as they were), or refused by name.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { convertJsonArray, looksLikeJsonArray } from "./json-array";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-json-array-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;

async function convert(text: string | Buffer, maxElementBytes = 1024 * 1024) {
  const src = path.join(dir, `in-${++n}.json`);
  const dest = path.join(dir, `out-${n}.jsonl`);
  fs.writeFileSync(src, text);
  const count = await convertJsonArray(src, dest, { maxElementBytes });
  return { count, text: fs.readFileSync(dest, "utf8") };
}

describe("looksLikeJsonArray", () => {
  it("sees an array after a byte order mark and blanks, and nothing else", () => {
    expect(looksLikeJsonArray(Buffer.from("\uFEFF\n  [\n  {"))).toBe(true);
    expect(looksLikeJsonArray(Buffer.from('{"custom_id": "a"}\n'))).toBe(false);
    expect(looksLikeJsonArray(Buffer.from(""))).toBe(false);
    expect(looksLikeJsonArray(Buffer.from('[{"a": 1}, {"b": 2}]\n'))).toBe(true);
    // JSONL whose first line is an array: a wrong line, not an array file.
    expect(looksLikeJsonArray(Buffer.from('[1, 2]\n{"custom_id": "a"}\n'))).toBe(false);
  });
});

describe("convertJsonArray", () => {
  it("writes a pretty-printed array one element a line, keeping strings and numbers byte for byte", async () => {
    const pretty = JSON.stringify(
      [
        { custom_id: "a", body: { model: "m", messages: [{ role: "user", content: "line one\nline two, with [brackets] and {braces} and \"quotes\" \\" }] } },
        { custom_id: "b", body: { model: "m", seed: 12345678901234567890, t: 1.0 } },
      ],
      null,
      2,
    ).replace("12345678901234567000", "12345678901234567890");
    const { count, text } = await convert("\uFEFF" + pretty + "\n");
    expect(count).toBe(2);
    const lines = text.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]).body.messages[0].content).toBe('line one\nline two, with [brackets] and {braces} and "quotes" \\');
    // Not re-serialised: a number past double precision stays as written.
    expect(lines[1]).toContain('"seed":12345678901234567890');
    // Whitespace inside strings stays.
    expect(lines[0]).toContain('"line one\\nline two, with');
  });

  it("keeps multi-byte text, across chunk boundaries, as it was", async () => {
    const items = Array.from({ length: 3000 }, (_, i) => ({ custom_id: `r${i}`, body: { q: `问题 ${i} — ${"字".repeat(20)}` } }));
    const { count, text } = await convert(JSON.stringify(items, null, 4));
    expect(count).toBe(3000);
    expect(text.trimEnd().split("\n").map((l) => JSON.parse(l))).toEqual(items);
  });

  it("names what is wrong: not an array, cut short, an empty element, text after it, an element over the limit", async () => {
    await expect(convert('{"a": 1}')).rejects.toThrow("This file does not start with [: it is not a JSON array.");
    await expect(convert('[{"a": 1}, {"b": 2}')).rejects.toThrow("The JSON array is cut short: it has no closing ] after element 1.");
    await expect(convert('[{"a": 1},, {"b": 2}]')).rejects.toThrow("Element 2 of the JSON array is empty");
    await expect(convert('[{"a": 1},]')).rejects.toThrow("Element 2 of the JSON array is empty");
    await expect(convert('[{"a": 1}] [')).rejects.toThrow("Something follows the closing ] of the JSON array");
    await expect(convert("[]")).rejects.toThrow("The JSON array is empty: it has no requests.");
    await expect(convert(`[{"a": "${"x".repeat(200)}"}]`, 100)).rejects.toThrow("Element 1 of the JSON array is over the 100 bytes limit for one request.");
    await expect(convert('[{"a": 1]}]')).rejects.toThrow(/Element 1 of the JSON array is not valid JSON/);
  });
});
