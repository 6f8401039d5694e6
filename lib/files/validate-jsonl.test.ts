import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { firstInvalidUtf8, formatBytes, MAX_NESTING, validateJsonl, type ValidationLimits } from "./validate-jsonl";
import { readLines } from "./read-lines";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-validate-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
function write(content: string | Buffer) {
  const p = path.join(dir, `f${n++}.jsonl`);
  fs.writeFileSync(p, content);
  return p;
}

const CHAT = "/v1/chat/completions";
const big: ValidationLimits = { maxRequests: 1000, maxFileBytes: 10 * 1024 * 1024, maxLineBytes: 1024 * 1024, maxCustomIdLength: 64 };

function req(id: string, extra: Record<string, unknown> = {}, body: Record<string, unknown> = {}) {
  return { custom_id: id, method: "POST", url: CHAT, body: { model: "m1", messages: [{ role: "user", content: "hi" }], ...body }, ...extra };
}
const jsonl = (...rows: unknown[]) => rows.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n") + "\n";

async function check(content: string | Buffer, limits: Partial<ValidationLimits> = {}, endpoint = CHAT) {
  return validateJsonl(write(content), { limits: { ...big, ...limits }, endpoint });
}

describe("validateJsonl", () => {
  it("accepts a valid file and reports its shape", async () => {
    const r = await validateJsonl(write(jsonl(req("a"), req("b", {}, { model: "m2" }), req("c"))), { limits: big, endpoint: CHAT, sha256: true });
    expect(r).toMatchObject({ valid: true, lineCount: 3, requestCount: 3, models: ["m1", "m2"], problems: [], problemCount: 0 });
    expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.bytes).toBeGreaterThan(0);
  });

  it("skips blank lines, accepts a trailing newline, a missing last newline, CRLF and a BOM", async () => {
    const body = `\uFEFF${JSON.stringify(req("a"))}\r\n\r\n   \n${JSON.stringify(req("b"))}\n\n${JSON.stringify(req("c"))}`;
    const r = await check(body);
    expect(r.problems).toEqual([]);
    expect(r).toMatchObject({ valid: true, requestCount: 3, lineCount: 6 });
  });

  it("names what is wrong with broken JSON, with the line", async () => {
    const r = await check(jsonl(req("a"), '{"custom_id": "b", "method": "POST",', req("c")));
    expect(r.valid).toBe(false);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].line).toBe(2);
    expect(r.problems[0].field).toBeUndefined();
    expect(r.problems[0].message).toMatch(/^This line is not valid JSON: .+/);
  });

  it("requires each line to be an object", async () => {
    const r = await check(jsonl("[1,2]", '"text"', "42", "null"));
    expect(r.problems.map((p) => [p.line, p.message.includes("must be a JSON object")])).toEqual([
      [1, true],
      [2, true],
      [3, true],
      [4, true],
    ]);
    expect(r.problems[0].message).toContain("not an array");
  });

  it("checks custom_id: present, a string, not empty, not too long", async () => {
    const { custom_id: _omit, ...noId } = req("x");
    const r = await check(jsonl(noId, req(7 as unknown as string), req(""), req("x".repeat(64)), req("y".repeat(65))));
    expect(r.problems).toEqual([
      { line: 1, field: "custom_id", message: "custom_id is missing: every request needs a unique id" },
      { line: 2, field: "custom_id", message: "custom_id must be a string, not a number" },
      { line: 3, field: "custom_id", message: "custom_id is empty" },
      { line: 5, field: "custom_id", message: "custom_id is 65 characters, over the limit of 64" },
    ]);
  });

  it("reports a duplicate custom_id with the line of its first use", async () => {
    const r = await check(jsonl(req("a"), req("b"), req("a"), req("a")));
    expect(r.problemCount).toBe(2);
    expect(r.problems[0]).toMatchObject({ line: 3, field: "custom_id" });
    expect(r.problems[0].message).toBe('custom_id "a" is used twice: first on line 1, again on line 3');
    expect(r.problems[1]).toMatchObject({ line: 4 });
    expect(r.problems[1].message).toContain("first on line 1");
  });

  it('checks method is "POST" and url is the chosen endpoint', async () => {
    const { method: _m, ...noMethod } = req("a");
    const { url: _u, ...noUrl } = req("d");
    const r = await check(jsonl(noMethod, req("b", { method: "GET" }), req("c", { url: "/v1/embeddings" }), noUrl, req("e", { url: 5 })));
    expect(r.problems).toEqual([
      { line: 1, field: "method", message: 'method is missing: it must be "POST"' },
      { line: 2, field: "method", message: 'method is "GET"; it must be "POST"' },
      { line: 3, field: "url", message: 'url is "/v1/embeddings", but this file is for "/v1/chat/completions"' },
      { line: 4, field: "url", message: 'url is missing: it must be "/v1/chat/completions"' },
      { line: 5, field: "url", message: 'url is a number, but this file is for "/v1/chat/completions"' },
    ]);
  });

  it("checks body is an object with a non-empty string model", async () => {
    const { body: _b, ...noBody } = req("a");
    const r = await check(
      jsonl(
        noBody,
        req("b", { body: "text" }),
        req("c", { body: { messages: [{ role: "user", content: "x" }] } }),
        req("d", {}, { model: "" }),
        req("e", {}, { model: 3 }),
        req("f", {}, { model: "  " }),
      ),
    );
    expect(r.problems.map((p) => [p.line, p.field, p.message])).toEqual([
      [1, "body", "body is missing: it holds the request (model, messages...)"],
      [2, "body", "body must be a JSON object, not a string"],
      [3, "body.model", "body.model is missing"],
      [4, "body.model", "body.model is empty"],
      [5, "body.model", "body.model must be a string, not a number"],
      [6, "body.model", "body.model is empty"],
    ]);
  });

  it("checks what the endpoint needs in the body", async () => {
    const chat = await check(jsonl(req("a", {}, { messages: [] }), req("b", {}, { messages: "hi" })));
    expect(chat.problems.map((p) => [p.line, p.field])).toEqual([
      [1, "body.messages"],
      [2, "body.messages"],
    ]);
    const emb = { custom_id: "e", method: "POST", url: "/v1/embeddings", body: { model: "e1" } };
    const r = await check(jsonl(emb, { ...emb, custom_id: "f", body: { model: "e1", input: "text" } }), {}, "/v1/embeddings");
    expect(r.problems).toEqual([{ line: 1, field: "body.input", message: "body.input is missing: an embedding needs the text to embed" }]);
    // OpenAI's image and video endpoints (CreateImageRequest, CreateImageEditRequest, CreateVideoBody) need a prompt; an edit its image.
    const img = { custom_id: "i", method: "POST", url: "/v1/images/generations", body: { model: "gpt-image-1", prompt: "A cute baby sea otter", n: 1, size: "1024x1024" } };
    expect((await check(jsonl(img, { ...img, custom_id: "j", body: { model: "gpt-image-1" } }), {}, "/v1/images/generations")).problems).toEqual([
      { line: 2, field: "body.prompt", message: "body.prompt is missing: an image needs a text prompt" },
    ]);
    const edit = { custom_id: "k", method: "POST", url: "/v1/images/edits", body: { model: "gpt-image-1", prompt: "Add a hat" } };
    expect((await check(jsonl(edit), {}, "/v1/images/edits")).problems).toEqual([{ line: 1, field: "body.image", message: "body.image is missing: an image edit needs the image to edit" }]);
    const video = { custom_id: "v", method: "POST", url: "/v1/videos", body: { model: "sora-2", prompt: "A calico cat playing a piano on stage" } };
    expect((await check(jsonl(video, { ...video, custom_id: "w", body: { model: "sora-2" } }), {}, "/v1/videos")).problems).toEqual([
      { line: 2, field: "body.prompt", message: "body.prompt is missing: a video needs a text prompt" },
    ]);
  });

  it("reports several problems of one line, each with its field", async () => {
    const r = await check(jsonl({ custom_id: "", method: "PUT", url: "/x", body: [] }));
    expect(r.problems.map((p) => p.field)).toEqual(["custom_id", "method", "url", "body"]);
    expect(r.problems.every((p) => p.line === 1)).toBe(true);
  });

  it("accepts a line of exactly maxLineBytes and refuses one byte more", async () => {
    const base = JSON.stringify(req("a", {}, { pad: "" }));
    const limit = base.length + 10;
    const exact = JSON.stringify(req("a", {}, { pad: "x".repeat(10) }));
    const over = JSON.stringify(req("b", {}, { pad: "x".repeat(11) }));
    expect(Buffer.byteLength(exact)).toBe(limit);
    const ok = await check(`${exact}\r\n`, { maxLineBytes: limit });
    expect(ok.problems).toEqual([]);
    const r = await check(jsonl(exact, over), { maxLineBytes: limit });
    expect(r.problems).toEqual([{ line: 2, message: `This line is ${limit + 1} bytes, over the ${limit} bytes limit for one request` }]);
    expect(r.requestCount).toBe(2);
  });

  it("measures a huge line without holding it", async () => {
    const p = write(`${JSON.stringify(req("a"))}\n${"x".repeat(5 * 1024 * 1024)}\n${JSON.stringify(req("b"))}\n`);
    const r = await validateJsonl(p, { limits: { ...big, maxLineBytes: 1024 }, endpoint: CHAT });
    expect(r.problems).toEqual([{ line: 2, message: "This line is 5.00 MB, over the 1 KB limit for one request".replace("5.00", "5") }]);
    expect(r.requestCount).toBe(3);
  });

  it("accepts a file of exactly maxFileBytes and refuses one byte more, naming the line", async () => {
    const content = jsonl(req("a"), req("b"));
    const size = Buffer.byteLength(content);
    expect((await check(content, { maxFileBytes: size })).problems).toEqual([]);
    const r = await check(content + " ", { maxFileBytes: size });
    expect(r.problems).toEqual([{ line: 3, message: `The file is over the ${formatBytes(size)} limit; it passes it on this line` }]);
    const mid = await check(content, { maxFileBytes: size - 5 });
    expect(mid.problems[0].line).toBe(2);
  });

  it("accepts exactly maxRequests requests and refuses one more", async () => {
    const three = jsonl(req("a"), "", req("b"), req("c"));
    expect((await check(three, { maxRequests: 3 })).problems).toEqual([]);
    const r = await check(three + JSON.stringify(req("d")) + "\n" + JSON.stringify(req("e")), { maxRequests: 3 });
    expect(r.problems).toEqual([{ line: 5, message: "Too many requests: a file may hold at most 3; this is request 4" }]);
    expect(r.problemCount).toBe(1);
    expect(r.requestCount).toBe(5);
  });

  it("refuses an empty file and a file of blank lines", async () => {
    expect((await check("")).problems).toEqual([{ line: 1, message: "The file is empty: it has no requests" }]);
    const blank = await check("\n  \n\n");
    expect(blank.problems).toEqual([{ line: 1, message: "The file has only blank lines: it has no requests" }]);
    expect(blank.valid).toBe(false);
  });

  it("keeps the first 100 problems and counts all of them", async () => {
    const rows = Array.from({ length: 250 }, (_, i) => req(`id${i}`, { method: "GET" }));
    const r = await check(jsonl(...rows));
    expect(r.problemCount).toBe(250);
    expect(r.problems).toHaveLength(100);
    expect(r.problems[0].line).toBe(1);
    expect(r.problems[99].line).toBe(100);
  });

  it("reports progress in lines checked", async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => req(`id${i}`));
    const seen: number[] = [];
    await validateJsonl(write(jsonl(...rows)), { limits: { ...big, maxRequests: 5000 }, endpoint: CHAT, progressEvery: 1000, onProgress: (l) => seen.push(l) });
    expect(seen).toEqual([1000, 2000, 2500]);
  });

  it("stops when aborted", async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(validateJsonl(write(jsonl(req("a"))), { limits: big, endpoint: CHAT, signal: ac.signal })).rejects.toThrow(/abort/i);
  });
});

describe("readLines", () => {
  it("splits across chunk boundaries and reports byte offsets", async () => {
    const p = write("ab\ncdef\r\n\ng");
    const out: [number, string | null, number, number][] = [];
    for await (const l of readLines(p, { maxLineBytes: 100, highWaterMark: 2 })) out.push([l.line, l.text?.toString() ?? null, l.bytes, l.end]);
    expect(out).toEqual([
      [1, "ab", 2, 3],
      [2, "cdef", 4, 9],
      [3, "", 0, 10],
      [4, "g", 1, 11],
    ]);
  });

  it("drops a line past the limit across chunks but keeps counting it", async () => {
    const p = write("aaaaaaaaaa\r\nbb\n");
    const out: [string | null, number][] = [];
    for await (const l of readLines(p, { maxLineBytes: 5, highWaterMark: 3 })) out.push([l.text?.toString() ?? null, l.bytes]);
    expect(out).toEqual([
      [null, 10],
      ["bb", 2],
    ]);
  });
});

describe("formatBytes", () => {
  it("names sizes as people read them", () => {
    expect(formatBytes(1)).toBe("1 byte");
    expect(formatBytes(512)).toBe("512 bytes");
    expect(formatBytes(6 * 1024 * 1024)).toBe("6 MB");
    expect(formatBytes(200 * 1024 * 1024)).toBe("200 MB");
    expect(formatBytes(1536)).toBe("1.5 KB");
  });
});

// The bytes of a file before its JSON: a NUL (raw or \u0000), an unpaired surrogate escape, invalid
// UTF-8, a UTF-16 file and binary files are each told plainly, never decoded with replacement
// characters and called valid.
const line = (id: string, content = "hi") => JSON.stringify(req(id, {}, { model: "m", messages: [{ role: "user", content }] }));
const lines = (count: number) => Array.from({ length: count }, (_, i) => line(`r${i + 1}`)).join("\n") + "\n";

describe("validateJsonl on bytes", () => {
  it("names a \\u0000 escape on its line, with the field", async () => {
    const text = lines(6) + `{"custom_id":"r7","method":"POST","url":"${CHAT}","body":{"model":"m","messages":[{"role":"user","content":"a\\u0000b"}]}}\n` + line("r8") + "\n";
    const r = await check(text);
    expect(r.valid).toBe(false);
    expect(r.problems).toEqual([{ line: 7, field: "body.messages.0.content", message: "This line contains a NUL character (\\u0000), which cannot be stored. Remove it." }]);
  });

  it("finds a NUL in a key, and leaves an escaped backslash followed by u0000 alone", async () => {
    const r = await check(
      `{"custom_id":"a","method":"POST","url":"${CHAT}","body":{"model":"m","messages":[{"role":"user","content":"C:\\\\u0000"}]}}\n` +
        `{"custom_id":"b","method":"POST","url":"${CHAT}","body":{"model":"m","messages":[{"role":"user","content":"x"}],"k\\u0000":1}}\n`,
    );
    expect(r.problems.map((p) => [p.line, p.field])).toEqual([[2, "body.k\u0000"]]);
  });

  it("refuses a line nested deeper than MAX_NESTING on its line (brackets inside strings do not count), so no later step runs out of stack", async () => {
    const nest = (d: number) => JSON.parse("[".repeat(d) + "1" + "]".repeat(d));
    const r = await check(
      jsonl(
        req("at-limit", {}, { x: nest(MAX_NESTING - 4) }),
        // Written by hand: JSON.stringify itself cannot write one this deep.
        JSON.stringify(req("deep", {}, { x: "NEST" })).replace('"NEST"', "[".repeat(5000) + "1" + "]".repeat(5000)),
        req("text", {}, { messages: [{ role: "user", content: "[".repeat(5000) }] }),
      ),
    );
    expect(r.problems).toEqual([{ line: 2, message: `This line nests arrays and objects more than ${MAX_NESTING} levels deep, which no provider takes` }]);
    expect(r.requestCount).toBe(3);
  });

  it("names a raw NUL byte on its line instead of a JSON error", async () => {
    const bad = Buffer.from(line("r3", "a\u0000b"), "utf8");
    // JSON.stringify escapes a NUL: put the raw byte back.
    const raw = Buffer.from(bad.toString("latin1").replace("\\u0000", "\u0000"), "latin1");
    const r = await check(Buffer.concat([Buffer.from(lines(2)), raw, Buffer.from("\n" + line("r4") + "\n")]));
    expect(r.problems).toEqual([{ line: 3, message: "This line contains a NUL byte (0x00), which cannot be stored. Remove it." }]);
  });

  it("names an unpaired surrogate escape, and accepts a proper pair", async () => {
    const r = await check(
      `{"custom_id":"a","method":"POST","url":"${CHAT}","body":{"model":"m","messages":[{"role":"user","content":"\\ud83d\\ude00 ok"}]}}\n` +
        `{"custom_id":"b","method":"POST","url":"${CHAT}","body":{"model":"m","messages":[{"role":"user","content":"half \\ud83d"}]}}\n`,
    );
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ line: 2, field: "body.messages.0.content" });
    expect(r.problems[0].message).toMatch(/unpaired surrogate/);
  });

  it("refuses invalid UTF-8 on its line, naming the byte, instead of reading U+FFFD", async () => {
    // "café" saved as Windows-1252: é is the single byte 0xE9.
    const latin1 = Buffer.from(line("r2", "café"), "latin1");
    const r = await check(Buffer.concat([Buffer.from(line("r1") + "\n"), latin1, Buffer.from("\n")]));
    expect(r.valid).toBe(false);
    const at = latin1.indexOf(0xe9) + 1;
    expect(r.problems).toEqual([{ line: 2, message: `This line is not valid UTF-8 (its byte ${at} is 0xE9). Save the file as UTF-8: it was likely saved as Windows-1252, Latin-1 or GBK.` }]);
    // A character cut at the end of the line, and an overlong form, are not UTF-8 either.
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xe2, 0x82]))).toEqual({ at: 1, byte: 0xe2 });
    expect(firstInvalidUtf8(Buffer.from([0xc0, 0x80]))).toEqual({ at: 0, byte: 0xc0 });
    expect(firstInvalidUtf8(Buffer.from("ok ✓ 😀 \u00e9", "utf8"))).toEqual({ at: 14, byte: 0 });
  });

  it("answers a UTF-16 file with one problem naming the encoding, with or without a byte order mark", async () => {
    const text = lines(20);
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const be = Buffer.from(text, "utf16le").swap16();
    const bare = Buffer.from(text, "utf16le");
    for (const [bytes, message] of [
      [le, "This file is UTF-16, not UTF-8: save it as UTF-8 and upload it again."],
      [be, "This file is UTF-16 (big-endian) without a byte order mark, not UTF-8: save it as UTF-8 and upload it again."],
      [bare, "This file is UTF-16 without a byte order mark, not UTF-8: save it as UTF-8 and upload it again."],
    ] as const) {
      const r = await validateJsonl(write(bytes), { limits: big, endpoint: CHAT, sha256: true });
      expect(r).toMatchObject({ valid: false, problemCount: 1, requestCount: 0, problems: [{ line: 1, message }] });
      expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it("answers a binary file with one problem saying what it is", async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from("IHDR"), Buffer.alloc(200, 7)]);
    const xlsx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 20, 0, 6, 0]), Buffer.alloc(22), Buffer.from("xl/workbook.xml"), Buffer.alloc(100)]);
    const cases: [Buffer, string][] = [
      [png, "This is a PNG image, not a JSONL file."],
      [xlsx, "This is an Excel workbook (.xlsx), not a JSONL file. In Excel, use Save As and choose CSV UTF-8, then upload the .csv."],
      [Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "latin1"), "This is a PDF document, not a JSONL file."],
      [zlib.gzipSync(lines(50)), "This is a gzip-compressed file, not a JSONL file. Extract the file from it and upload that."],
      [Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)), "This is a binary file, not a JSONL file."],
    ];
    for (const [bytes, message] of cases) {
      const r = await check(bytes);
      expect(r).toMatchObject({ valid: false, problemCount: 1, problems: [{ line: 1, message }] });
    }
  });

  it("keeps text starting with letters some formats use for their magic number a text", async () => {
    const r = await check(`BZh${lines(1)}`);
    expect(r.problems[0].message).toMatch(/not valid JSON/);
  });
});

describe("warnings (the file stays valid)", () => {
  it("warns about parameters outside the documented ranges: Doubleword's temperature 0-2, top_p 0-1", async () => {
    // The seed's request line, with the optional parameters it documents ("temperature: 0-2").
    const seed = (id: string, extra: Record<string, unknown>) =>
      JSON.stringify({ custom_id: id, method: "POST", url: "/v1/chat/completions", body: { model: "anthropic/claude-3-5-sonnet", messages: [{ role: "user", content: "What is 2+2?" }], ...extra } });
    const r = await check(jsonl(seed("req-1", { temperature: 2, top_p: 1 }), seed("req-2", { temperature: 2.5 }), seed("req-3", { top_p: 1.5, max_tokens: 0 })));
    expect(r.valid).toBe(true);
    expect(r.problems).toEqual([]);
    expect(r.warnings).toEqual([
      { line: 2, field: "body.temperature", message: "body.temperature is 2.5; the provider takes between 0 and 2, so this request will likely fail" },
      { line: 3, field: "body.top_p", message: "body.top_p is 1.5; the provider takes between 0 and 1, so this request will likely fail" },
      { line: 3, field: "body.max_tokens", message: "body.max_tokens is 0; the provider takes at least 1, so this request will likely fail" },
    ]);
    expect(r.warningCount).toBe(3);
  });

  it("warns about a request longer than its model's known context (Moonshot's moonshot-v1-8k: 8,192 tokens)", async () => {
    const long = { custom_id: "a", method: "POST", url: CHAT, body: { model: "moonshot-v1-8k", messages: [{ role: "user", content: "x".repeat(40_000) }] } };
    const short = { custom_id: "b", method: "POST", url: CHAT, body: { model: "moonshot-v1-8k", messages: [{ role: "user", content: "x".repeat(30_000) }], max_tokens: 500 } };
    const r = await check(jsonl(long, short), { contextTokens: { "moonshot-v1-8k": 8_192 }, label: "Moonshot" });
    expect(r.valid).toBe(true);
    expect(r.warnings).toEqual([{ line: 1, field: "body.messages", message: expect.stringMatching(/^This request is about 10,0\d\d tokens, over moonshot-v1-8k's context of 8,192 tokens/) }]);
    // Without the model's context known, nothing is said.
    expect((await check(jsonl(long))).warnings).toEqual([]);
  });

  it("warns on the line that passes OpenAI's 50,000 embedding inputs in one /v1/embeddings batch", async () => {
    const emb = (id: string, n: number) => ({ custom_id: id, method: "POST", url: "/v1/embeddings", body: { model: "text-embedding-3-small", input: Array.from({ length: n }, (_, i) => `t${i}`) } });
    const limits = { maxEmbeddingInputs: 50_000, label: "OpenAI" };
    expect((await check(jsonl(emb("a", 25_000), emb("b", 25_000)), limits, "/v1/embeddings")).warnings).toEqual([]);
    const over = await check(jsonl(emb("a", 25_000), emb("b", 25_000), emb("c", 1)), limits, "/v1/embeddings");
    expect(over.valid).toBe(true);
    expect(over.warnings).toEqual([{ line: 3, field: "body.input", message: "OpenAI takes at most 50,000 embedding inputs in one /v1/embeddings batch; this line passes it (50,001 so far)" }]);
  });
});
