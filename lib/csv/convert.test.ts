import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { validateJsonl } from "@/lib/files/validate-jsonl";
import { uploadLimits } from "@/lib/providers/profiles";
import { formatBytes } from "@/lib/files/format";
import { GB18030_CSV } from "./csv.fixtures";
import { csvToJsonl, previewRequests } from "./convert";
import { csvMapping, type CsvMappingInput } from "./mapping";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-csv-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
function write(content: string | Buffer) {
  const p = path.join(dir, `in${n++}.csv`);
  fs.writeFileSync(p, content);
  return p;
}

const base: CsvMappingInput = { customId: { from: "column", column: "id" }, template: "{{q}}", model: "qwen-turbo" };
const mapping = (m: Partial<CsvMappingInput> = {}) => csvMapping.parse({ ...base, ...m });

/** Converts, and checks the JSONL with the upload's own validator. */
async function convert(content: string | Buffer, m: Partial<CsvMappingInput> = {}, opts: Parameters<typeof csvToJsonl>[3] = {}) {
  const out = path.join(dir, `out${n++}.jsonl`);
  const result = await csvToJsonl(write(content), mapping(m), out, opts);
  const text = fs.readFileSync(out, "utf8");
  const lines = text.split("\n").filter(Boolean);
  const parsed = lines.map((l) => JSON.parse(l) as { custom_id: string; method: string; url: string; body: Record<string, unknown> });
  const validation = await validateJsonl(out, { limits: uploadLimits, endpoint: mapping(m).endpoint });
  return { result, lines, parsed, validation, out };
}

const userText = (r: { body: Record<string, unknown> }) => (r.body.messages as { role: string; content: string }[]).at(-1)!.content;

describe("csvToJsonl: reading", () => {
  it("converts UTF-8 without a BOM, and the JSONL passes the upload validator", async () => {
    const { result, parsed, validation, out } = await convert("id,q\na,你好\nb,second\n");
    expect(result).toMatchObject({ valid: true, encoding: "utf-8", bom: false, delimiter: ",", columns: ["id", "q"], rows: 2, requests: 2, problemCount: 0 });
    expect(parsed).toEqual([
      { custom_id: "a", method: "POST", url: "/v1/chat/completions", body: { model: "qwen-turbo", messages: [{ role: "user", content: "你好" }] } },
      { custom_id: "b", method: "POST", url: "/v1/chat/completions", body: { model: "qwen-turbo", messages: [{ role: "user", content: "second" }] } },
    ]);
    expect(validation).toMatchObject({ valid: true, requestCount: 2, models: ["qwen-turbo"] });
    expect(result.bytesOut).toBe(fs.statSync(out).size);
    expect(result.bytesIn).toBe(Buffer.byteLength("id,q\na,你好\nb,second\n"));
  });

  it("converts UTF-8 with a BOM (Excel's CSV UTF-8) without the BOM leaking into the first column", async () => {
    const { result, parsed } = await convert("\uFEFFid,q\r\na,x\r\n");
    expect(result).toMatchObject({ valid: true, encoding: "utf-8", bom: true, columns: ["id", "q"] });
    expect(parsed[0].custom_id).toBe("a");
  });

  it("converts GB18030 (Excel in China) with Chinese column names and a quoted line break", async () => {
    const { result, parsed, validation } = await convert(GB18030_CSV, { customId: { from: "column", column: "编号" }, template: "问题：{{问题}}" });
    expect(result).toMatchObject({ valid: true, encoding: "gb18030", bom: false, columns: ["编号", "问题"], requests: 2 });
    expect(parsed.map((p) => [p.custom_id, userText(p)])).toEqual([
      ["q1", "问题：你好，世界"],
      ["q2", "问题：多行\n文本：批处理"],
    ]);
    expect(validation.valid).toBe(true);
  });

  it("sniffs semicolon and tab files and says which it chose", async () => {
    const semi = await convert('id;q\na;"one; two"\nb;3,5\n');
    expect(semi.result).toMatchObject({ valid: true, delimiter: ";" });
    expect(semi.parsed.map(userText)).toEqual(["one; two", "3,5"]);
    const tab = await convert("id\tq\na\tx, y; z\n");
    expect(tab.result).toMatchObject({ valid: true, delimiter: "\t" });
    expect(userText(tab.parsed[0])).toBe("x, y; z");
  });

  it("keeps quoted line breaks, doubled quotes and delimiters inside one cell", async () => {
    const { result, parsed } = await convert('id,q\r\na,"line 1\r\nline 2, ""quoted"""\r\nb,plain\r\n');
    expect(result.valid).toBe(true);
    expect(parsed.map(userText)).toEqual(['line 1\r\nline 2, "quoted"', "plain"]);
  });

  it("skips blank rows without counting them as problems, and keeps the spreadsheet's row numbers", async () => {
    const { result, parsed } = await convert("id,q\n\na,x\n,\n\nb,\n", {});
    expect(result).toMatchObject({ rows: 5, blankRows: 3, requests: 1 });
    expect(parsed.map((p) => p.custom_id)).toEqual(["a"]);
    expect(result.problems).toEqual([{ line: 6, field: "q", message: 'The prompt is empty: the column "q" is empty in this row' }]);
  });

  it("reads from a stream as well as from a path", async () => {
    const out = path.join(dir, "stream.jsonl");
    const r = await csvToJsonl(Readable.from([Buffer.from("id,q\na,"), Buffer.from("x\n")]), mapping(), out);
    expect(r).toMatchObject({ valid: true, requests: 1, bytesIn: 9 });
  });
});

describe("csvToJsonl: problems by row and column", () => {
  it("reports ragged rows with the row and the first missing column", async () => {
    const { result, parsed } = await convert("id,q,note\na,x,1\nb,y\nc,z,3,extra\nd,w,4,,\n");
    expect(result.valid).toBe(false);
    expect(result.problems).toEqual([
      { line: 3, field: "note", message: "This row has 2 cells; the header has 3 columns. A line break inside a cell needs the cell in double quotes" },
      { line: 4, message: 'This row has 4 cells; the header has 3 columns. A cell holding "," needs double quotes around it' },
    ]);
    // Empty cells past the header (trailing delimiters) are no problem.
    expect(parsed.map((p) => p.custom_id)).toEqual(["a", "d"]);
  });

  it("reports an unclosed quote at the row and column where it opens", async () => {
    const { result } = await convert('id,q\na,x\nb,"never closed\nc,z\n');
    expect(result.problems).toEqual([{ line: 3, field: "q", message: "A quoted cell starts in this row but its closing quote never comes: the rest of the file was read into it" }]);
  });

  it("reports text after a closing quote", async () => {
    const { result } = await convert('id,q\na,"x"y\n');
    expect(result.problems).toEqual([{ line: 2, field: "q", message: 'Text follows the closing quote of this cell: inside a quoted cell, write a quote as two quotes ("")' }]);
  });

  it("reports an empty custom_id, and a duplicate with the row of its first use", async () => {
    const { result, parsed } = await convert("id,q\na,x\n  ,y\nb,z\na,again\n");
    expect(result.problems).toEqual([
      { line: 3, field: "id", message: "The custom_id is empty" },
      { line: 5, field: "id", message: 'The custom_id "a" is used twice: first in row 2, again in row 5' },
    ]);
    expect(parsed.map((p) => p.custom_id)).toEqual(["a", "b"]);
  });

  it("catches a placeholder the header lacks before reading any row, listing the header's columns", async () => {
    const big = "id,Question\n" + "a,x\n".repeat(10_000);
    const { result, lines } = await convert(big, { template: "{{question}} {{ context }}" });
    expect(result.problems).toEqual([
      { line: 1, field: "question", message: 'The prompt template uses the column "question", which the file does not have (did you mean "Question"?): the header has "id", "Question"' },
      { line: 1, field: "context", message: 'The prompt template uses the column "context", which the file does not have: the header has "id", "Question"' },
    ]);
    expect(result.rows).toBe(0);
    expect(lines).toEqual([]);
  });

  it("catches a custom_id column or a system prompt placeholder the header lacks", async () => {
    const { result } = await convert("id,q\na,x\n", { customId: { from: "column", column: "key" }, systemPrompt: "Answer in {{lang}}" });
    expect(result.problems.map((p) => [p.line, p.field])).toEqual([
      [1, "key"],
      [1, "lang"],
    ]);
  });

  it("reports an empty rendered prompt naming the template's columns", async () => {
    const { result } = await convert("id,a,b\nr1, , \n", { template: "{{a}}{{b}}" });
    expect(result.problems).toEqual([{ line: 2, field: "a", message: 'The prompt is empty: the columns "a", "b" are empty in this row' }]);
  });

  it("reports bytes that are not valid in the encoding chosen, at their row", async () => {
    const head = "id,q\n" + Array.from({ length: 10_000 }, (_, i) => `r${i},abc\n`).join("");
    const bytes = Buffer.concat([Buffer.from(head), Buffer.from("bad,", "utf8"), Buffer.from("d6d0cec4", "hex"), Buffer.from("\n")]);
    const { result } = await convert(bytes);
    expect(result.encoding).toBe("utf-8");
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0].line).toBe(10_002);
    expect(result.problems[0].message).toMatch(/^This row has bytes that are not valid UTF-8 .*choose GB18030/);
  });

  it("reports a NUL in any cell by row and column, used by the mapping or not, and in the header", async () => {
    const { result, lines } = await convert("id,q,note\na,fine,ok\nb,x\u0000y,ok\nc,fine,n\u0000\nd,fine,ok\n");
    expect(result.valid).toBe(false);
    const message = "This cell contains a NUL character (\\u0000), which cannot be stored. Remove it.";
    expect(result.problems).toEqual([
      { line: 3, field: "q", message },
      { line: 4, field: "note", message },
    ]);
    expect(lines.map((l) => JSON.parse(l).custom_id)).toEqual(["a", "d"]);
    expect((await convert("id,q\u0000\na,b\n")).result.problems).toEqual([
      { line: 1, field: "column 2", message: "The header contains a NUL character (\\u0000), which cannot be stored. Remove it." },
    ]);
  });

  it("reads UTF-16 without a byte order mark, and names a workbook or an image instead of reading it", async () => {
    const { result, parsed } = await convert(Buffer.from("id,q\na,你好\n", "utf16le"));
    expect(result).toMatchObject({ valid: true, encoding: "utf-16le", bom: false, columns: ["id", "q"] });
    expect(userText(parsed[0])).toBe("你好");
    const xlsx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 20, 0, 6, 0]), Buffer.alloc(22), Buffer.from("xl/worksheets/sheet1.xml"), Buffer.alloc(100)]);
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100, 3)]);
    for (const [bytes, message] of [
      [xlsx, "This is an Excel workbook (.xlsx), not a CSV file. In Excel, use Save As and choose CSV UTF-8, then upload the .csv."],
      [png, "This is a PNG image, not a CSV file."],
    ] as const) {
      const r = await convert(bytes);
      expect(r.result).toMatchObject({ valid: false, requests: 0, problemCount: 1, problems: [{ line: 1, message }] });
    }
  });

  it("reports an empty file and a header without rows", async () => {
    expect((await convert("")).result.problems).toEqual([{ line: 1, message: "The file is empty: it needs a header row and a row for each request" }]);
    expect((await convert("id,q\n\n")).result.problems).toEqual([{ line: 2, message: "The file has a header but no rows under it" }]);
    expect((await convert("\nid,q\n")).result.problems[0]).toMatchObject({ line: 1, message: expect.stringMatching(/^The first row must be the header/) });
  });

  it("keeps the first 100 problems and counts all of them", async () => {
    const { result } = await convert("id,q\n" + "a,x\n".repeat(250));
    expect(result.problemCount).toBe(249);
    expect(result.problems).toHaveLength(100);
    expect(result.problems[0].line).toBe(3);
  });
});

describe("csvToJsonl: mapping", () => {
  it("generates zero-padded ids from the spreadsheet row number", async () => {
    const { parsed, validation } = await convert("q\nfirst\n\nthird\n", { customId: { from: "row", prefix: "job-", digits: 5 } });
    expect(parsed.map((p) => p.custom_id)).toEqual(["job-00002", "job-00004"]);
    expect(validation.valid).toBe(true);
  });

  it("renders special characters, repeated placeholders and a templated system prompt exactly", async () => {
    const csv = 'id,name,q\na,"O\'Brien ""the"" \\\\ 😀","multi\nline </script> \u2028"\n';
    const m = { template: "{{name}} asks: {{q}} — again {{name}}; {{ q }}", systemPrompt: "Address {{name}} politely.\nTab:\t." };
    const { parsed, lines, validation } = await convert(csv, m);
    const name = 'O\'Brien "the" \\\\ 😀';
    const q = "multi\nline </script> \u2028";
    expect(parsed[0].body.messages).toEqual([
      { role: "system", content: `Address ${name} politely.\nTab:\t.` },
      { role: "user", content: `${name} asks: ${q} — again ${name}; ${q}` },
    ]);
    // The same bytes as serialising the request object in one go.
    expect(lines[0]).toBe(JSON.stringify(parsed[0]));
    expect(validation.valid).toBe(true);
  });

  it("passes parameters and provider extras into the body, after the messages", async () => {
    const { lines, parsed } = await convert("id,q\na,x\n", {
      systemPrompt: "You are a helpful assistant.",
      params: { temperature: 0.3, max_tokens: 512, top_p: 0.9 },
      extra: { enable_thinking: true, thinking_budget: 1024, stop: ["\n\n"], response_format: { type: "json_object" } },
    });
    expect(parsed[0].body).toEqual({
      model: "qwen-turbo",
      messages: [
        { role: "system", content: "You are a helpful assistant." },
        { role: "user", content: "x" },
      ],
      temperature: 0.3,
      top_p: 0.9,
      max_tokens: 512,
      enable_thinking: true,
      thinking_budget: 1024,
      stop: ["\n\n"],
      response_format: { type: "json_object" },
    });
    expect(lines[0]).toBe(JSON.stringify(parsed[0]));
  });

  it("maps to the embeddings endpoint with the text as input", async () => {
    const { parsed, validation } = await convert("id,text\na,hello\n", { endpoint: "/v1/embeddings", template: "{{text}}", model: "text-embedding-v4", extra: { dimensions: 512 } });
    expect(parsed).toEqual([{ custom_id: "a", method: "POST", url: "/v1/embeddings", body: { model: "text-embedding-v4", input: "hello", dimensions: 512 } }]);
    expect(validation).toMatchObject({ valid: true, requestCount: 1 });
  });

  it("refuses a template, system prompt or extras over 256 KB, and a NUL in any text of the mapping", () => {
    const big = "x".repeat(256 * 1024 + 1);
    const issues = (m: Partial<CsvMappingInput>) => csvMapping.safeParse({ ...base, ...m }).error?.issues.map((i) => [i.path.join("."), i.message]);
    expect(issues({ template: big })).toEqual([["template", "The prompt template is 256 KB, over the 256 KB limit: shorten it"]]);
    expect(issues({ systemPrompt: "é".repeat(200 * 1024) })).toEqual([["systemPrompt", "The system prompt is 400 KB, over the 256 KB limit: shorten it"]]);
    expect(issues({ extra: { note: big } })?.[0]).toEqual(["extra", "The extras is 256 KB, over the 256 KB limit: shorten it"]);
    expect(issues({ template: "x".repeat(256 * 1024) })).toBeUndefined();
    const nul = "This text contains a NUL character (\\u0000), which cannot be stored. Remove it.";
    expect(issues({ template: "{{q}}\u0000" })).toEqual([["template", nul]]);
    expect(issues({ extra: { stop: ["a", "\u0000"] } })).toEqual([["extra.stop.1", nul]]);
    expect(issues({ customId: { from: "row", prefix: "r\u0000" } })).toEqual([["customId.prefix", nul]]);
  });

  it("stops a row whose request would pass the line limit before building it, naming the row and the limit", async () => {
    // 100 KB of {{q}} over a 50 KB cell: 1 GB of text if it were built.
    const template = "{{q}}".repeat(20 * 1024);
    const wide = "y".repeat(50 * 1024);
    const before = process.memoryUsage().heapUsed;
    const started = performance.now();
    const { result, lines } = await convert(`id,q\na,short\nb,${wide}\nc,${wide}\n`, { template });
    const ms = performance.now() - started;
    expect(result.problems).toEqual(
      ["b", "c"].map((_, i) => ({
        line: 3 + i,
        field: "q",
        // Any provider's limit: the most any provider takes for one request (lib/providers/profiles.ts).
        message: `The request made from this row would be over the ${formatBytes(uploadLimits.maxLineBytes)} limit for one request (at least 1000 MB): shorten the cells or the template`,
      })),
    );
    expect(lines).toHaveLength(1);
    expect(ms).toBeLessThan(3000);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 * 1024);
    // The target's own limit, when the upload is checked for a connection.
    const tight = await convert("id,q\na,0123456789\n", { template: "{{q}}".repeat(50) }, { maxLineBytes: 400 });
    expect(tight.result.problems[0].message).toMatch(/^The request made from this row would be over the 400 bytes limit for one request \(at least 634 bytes\)/);
  });

  it("refuses mappings that contradict themselves", () => {
    const r = csvMapping.safeParse({ ...base, endpoint: "/v1/embeddings", systemPrompt: "x", params: { temperature: 1 }, extra: { model: "other" } });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join("."))).toEqual(["extra.model", "systemPrompt", "params.temperature"]);
    expect(csvMapping.safeParse({ ...base, model: " " }).success).toBe(false);
  });

  it("writes each request's original cells line for line beside the JSONL", async () => {
    const cellsPath = path.join(dir, "cells.jsonl");
    const { lines } = await convert("id,q,extra\na,x,1\nb,,2\nc,\"z\nz\",3,\n", {}, { cellsPath });
    const cells = fs.readFileSync(cellsPath, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(cells).toEqual([
      { row: 2, cells: ["a", "x", "1"] },
      { row: 4, cells: ["c", "z\nz", "3"] },
    ]);
  });
});

describe("previewRequests", () => {
  it("gives the first requests exactly as they will be sent, reading only the start of the file", async () => {
    const file = write("\uFEFFid;q\n" + Array.from({ length: 50_000 }, (_, i) => `r${i};question ${i}\n`).join(""));
    const p = await previewRequests(file, mapping({ systemPrompt: "Be brief." }), 3);
    expect(p).toMatchObject({ encoding: "utf-8", bom: true, delimiter: ";", columns: ["id", "q"], problemCount: 0 });
    expect(p.requests.map((r) => [r.row, r.customId])).toEqual([
      [2, "r0"],
      [3, "r1"],
      [4, "r2"],
    ]);
    expect(JSON.parse(p.requests[0].line)).toEqual({
      custom_id: "r0",
      method: "POST",
      url: "/v1/chat/completions",
      body: { model: "qwen-turbo", messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "question 0" }] },
    });
    expect(p.rows.map((r) => r.cells)).toEqual([
      ["r0", "question 0"],
      ["r1", "question 1"],
      ["r2", "question 2"],
    ]);
  });

  it("stops reading the input once it has its requests", async () => {
    let pulled = 0;
    const chunks = function* () {
      yield Buffer.from("id,q\n");
      for (let i = 0; i < 10_000; i++) {
        pulled++;
        yield Buffer.from(`r${i},${"x".repeat(1000)}\n`);
      }
    };
    const p = await previewRequests(Readable.from(chunks()), mapping(), 2);
    expect(p.requests).toHaveLength(2);
    expect(pulled).toBeLessThan(500);
  });

  it("gives up at once when the upload is cancelled", async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(csvToJsonl(write("id,q\na,x\n"), mapping(), path.join(dir, "aborted.jsonl"), { signal: ac.signal })).rejects.toMatchObject({ name: "AbortError" });
  });

  it("shows the header and first rows before a mapping is chosen, and the mapping's problems after", async () => {
    const file = write("a,b\n1,2\n3,4\n5,6\n");
    const bare = await previewRequests(file, null, 2);
    expect(bare).toMatchObject({ columns: ["a", "b"], requests: [], rows: [{ row: 2, cells: ["1", "2"] }, { row: 3, cells: ["3", "4"] }] });
    const wrong = await previewRequests(file, mapping(), 2);
    expect(wrong.requests).toEqual([]);
    expect(wrong.problems.map((p) => p.field)).toEqual(["id", "q"]);
  });
});
