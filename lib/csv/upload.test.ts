// CSV uploads through the same server code the route runs (lib/files/upload.ts handleUpload): a real
// multipart body in, NDJSON out, rows in a real (PGlite) database.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { handleUpload, type UploadEvent } from "@/lib/files/upload";
import { storedBytes } from "@/lib/files/quota";
import { problemsCsv } from "@/lib/files/problems";
import type { ImportedFile } from "@/lib/files/types";
import type { ValidationLimits } from "@/lib/files/validate-jsonl";
import { saveTemplate } from "@/lib/templates/templates";
import { GB18030_CSV } from "./csv.fixtures";
import type { CsvMappingInput } from "./mapping";

let h: DbHandle;
let teamId: string;
let otherTeamId: string;
let userId: string;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-csv-upload-"));
const uploadsDir = path.join(dataDir, "uploads");

beforeAll(async () => {
  h = await createTestDb();
  const user = await h.prisma.user.create({ data: { email: `csv-${Date.now()}@example.com`, name: "Csv", passwordHash: "x" } });
  teamId = (await h.prisma.team.create({ data: { name: "CSV team" } })).id;
  otherTeamId = (await h.prisma.team.create({ data: { name: "Other team" } })).id;
  userId = user.id;
});
afterAll(async () => {
  await h.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const BOUNDARY = "----batchboardCsvBoundary9x";
const CHAT = "/v1/chat/completions";

const mappingOf = (m: Partial<CsvMappingInput> = {}): CsvMappingInput => ({
  customId: { from: "column", column: "id" },
  template: "Answer: {{question}}",
  model: "batch-test-model",
  endpoint: CHAT,
  ...m,
});

function body(file: Buffer, filename: string, fields: Record<string, string>) {
  let s = "";
  for (const [k, v] of Object.entries(fields)) s += `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
  s += `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n`;
  return Buffer.concat([Buffer.from(s), file, Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]);
}

function upload(
  file: Buffer | string,
  filename: string,
  fields: Record<string, string>,
  opts: { limits?: ValidationLimits; query?: string; team?: string; signal?: AbortSignal } = {},
) {
  const buf = typeof file === "string" ? Buffer.from(file) : file;
  const req = new Request(`http://local/api/uploads${opts.query ?? ""}`, {
    method: "POST",
    headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
    body: new Uint8Array(body(buf, filename, fields)),
    signal: opts.signal,
  });
  return handleUpload(req, { teamId: opts.team ?? teamId, userId }, { dataDir, limits: opts.limits });
}

async function events(res: Response): Promise<UploadEvent[]> {
  return (await res.text())
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as UploadEvent);
}

async function done(res: Response): Promise<ImportedFile> {
  expect(res.status).toBe(200);
  const ev = await events(res);
  const last = ev.at(-1);
  if (last?.type !== "done") throw new Error(`no done event: ${JSON.stringify(last)}`);
  return last.file;
}

const requests = (fileId: string) => h.prisma.request.findMany({ where: { fileId }, orderBy: { line: "asc" } });
const tempFiles = () => (fs.existsSync(uploadsDir) ? fs.readdirSync(uploadsDir) : []);

describe("CSV upload", () => {
  it("reads UTF-8 with a BOM, stores each request with its row's cells, and marks the file as CSV", async () => {
    const csv = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("id,question,lang\r\nq1,What is 2+2?,en\r\nq2,Quelle heure est-il ?,fr\r\n")]);
    const mapping = mappingOf({ systemPrompt: "Reply in {{lang}}.", params: { temperature: 0.2, max_tokens: 64 }, extra: { enable_thinking: false } });
    const file = await done(await upload(csv, "questions.csv", { mapping: JSON.stringify(mapping) }));
    expect(file).toMatchObject({ status: "valid", format: "csv", requestCount: 2, endpoint: CHAT, models: ["batch-test-model"] });
    expect(file.csv).toMatchObject({ encoding: "utf-8", delimiter: ",", columns: ["id", "question", "lang"], rows: 2, bytes: csv.length });

    const row = await h.prisma.inputFile.findUniqueOrThrow({ where: { id: file.id } });
    expect(row.format).toBe("csv");
    expect(row.csv).toMatchObject({ encoding: "utf-8", bom: true, delimiter: ",", columns: ["id", "question", "lang"], mapping: { template: "Answer: {{question}}" } });
    const reqs = await requests(file.id);
    expect(reqs.map((r) => [r.line, r.customId, r.prompt])).toEqual([
      [1, "q1", "Answer: What is 2+2?"],
      [2, "q2", "Answer: Quelle heure est-il ?"],
    ]);
    expect(reqs[1].body).toEqual({
      model: "batch-test-model",
      messages: [
        { role: "system", content: "Reply in fr." },
        { role: "user", content: "Answer: Quelle heure est-il ?" },
      ],
      temperature: 0.2,
      max_tokens: 64,
      enable_thinking: false,
    });
    expect(reqs.map((r) => r.source)).toEqual([
      { row: 2, cells: ["q1", "What is 2+2?", "en"] },
      { row: 3, cells: ["q2", "Quelle heure est-il ?", "fr"] },
    ]);
    expect(tempFiles()).toEqual([]);
  });

  it("reads GB18030 as Excel in China saves it, with a quoted line break", async () => {
    const mapping = mappingOf({ customId: { from: "column", column: "编号" }, template: "{{问题}}" });
    const file = await done(await upload(GB18030_CSV, "中文.csv", { mapping: JSON.stringify(mapping) }));
    expect(file).toMatchObject({ status: "valid", requestCount: 2 });
    expect(file.csv?.encoding).toBe("gb18030");
    const reqs = await requests(file.id);
    expect(reqs.map((r) => r.prompt)).toEqual(["你好，世界", "多行\n文本：批处理"]);
    expect(reqs[1].source).toEqual({ row: 3, cells: ["q2", "多行\n文本：批处理"] });
  });

  it("sniffs a semicolon, keeps quoted delimiters and line breaks in their cell, and counts rows as a spreadsheet does", async () => {
    const csv = 'id;question\n1;"Semi; colon"\n2;"Line one\nline two"\n3;plain\n';
    const file = await done(await upload(csv, "semi.csv", { mapping: JSON.stringify(mappingOf({ customId: { from: "row", prefix: "r", digits: 3 }, template: "{{question}}" })) }));
    expect(file).toMatchObject({ status: "valid", requestCount: 3 });
    expect(file.csv?.delimiter).toBe(";");
    const reqs = await requests(file.id);
    expect(reqs.map((r) => [r.customId, r.prompt])).toEqual([
      ["r002", "Semi; colon"],
      ["r003", "Line one\nline two"],
      ["r004", "plain"],
    ]);
    expect(reqs.map((r) => (r.source as { row: number }).row)).toEqual([2, 3, 4]);
  });

  it("reports a bad row by row and column, and stores nothing", async () => {
    const csv = "id,question\na,fine\n,no id here\nc,\na,dupe\n";
    const file = await done(await upload(csv, "bad.csv", { mapping: JSON.stringify(mappingOf({ template: "{{question}}" })) }));
    expect(file.status).toBe("invalid");
    expect(file.problems.map((p) => [p.line, p.field])).toEqual([
      [3, "id"],
      [4, "question"],
      [5, "id"],
    ]);
    expect(file.problems[0].message).toBe("The custom_id is empty");
    expect(file.problems[2].message).toContain("first in row 2, again in row 5");
    expect(await h.prisma.request.count({ where: { fileId: file.id } })).toBe(0);
    const row = await h.prisma.inputFile.findUniqueOrThrow({ where: { id: file.id } });
    expect(row).toMatchObject({ status: "invalid", format: "csv", problemCount: 3, requestCount: 4 });
    expect(tempFiles()).toEqual([]);
  });

  it("makes a NUL in a cell a problem of its row and column, storing nothing, never a failure", async () => {
    const file = await done(await upload("id,question,note\na,fine,\nb,fine,n\u0000b\n", "nul.csv", { mapping: JSON.stringify(mappingOf({ template: "{{question}}" })) }));
    expect(file).toMatchObject({ status: "invalid", problemCount: 1, problems: [{ line: 3, field: "note", message: expect.stringMatching(/^This cell contains a NUL character/) }] });
    expect(await h.prisma.request.count({ where: { fileId: file.id } })).toBe(0);
    const xlsx = await done(await upload(Buffer.concat([Buffer.from("PK\u0003\u0004"), Buffer.alloc(30), Buffer.from("xl/workbook.xml")]), "book.csv", { mapping: JSON.stringify(mappingOf()) }));
    expect(xlsx).toMatchObject({ status: "invalid", problems: [{ line: 1, message: expect.stringMatching(/^This is an Excel workbook \(\.xlsx\), not a CSV file/) }] });
    expect(tempFiles()).toEqual([]);
  });

  it("reports a missing column at the header, naming the columns the file has", async () => {
    const file = await done(await upload("id,question\n1,x\n", "cols.csv", { mapping: JSON.stringify(mappingOf({ template: "{{Question}} {{lang}}" })) }));
    expect(file.status).toBe("invalid");
    expect(file.problems.map((p) => [p.line, p.field])).toEqual([
      [1, "Question"],
      [1, "lang"],
    ]);
    expect(file.problems[0].message).toContain('did you mean "question"?');
  });

  it("turns the provider limits' problems on the converted lines back into rows and columns", async () => {
    const limits: ValidationLimits = { maxRequests: 2, maxFileBytes: 1_000_000, maxLineBytes: 1_000_000, maxCustomIdLength: 8, label: "Tiny" };
    // Row 3 is blank (skipped): the 3rd request comes from row 5, the long id from row 4.
    const csv = "id,question\nq1,a\n,\nvery-long-id,b\nq3,c\n";
    const file = await done(await upload(csv, "limits.csv", { mapping: JSON.stringify(mappingOf({ template: "{{question}}" })) }, { limits }));
    expect(file.status).toBe("invalid");
    expect(file.problems.map((p) => [p.line, p.field ?? null, p.message])).toEqual([
      [4, "id", "custom_id is 12 characters, over Tiny's limit of 8"],
      [5, null, "Too many requests: Tiny takes at most 2; this is request 3"],
    ]);
  });

  it("keeps every problem of a CSV with more than 100, the conversion's and the limits', for the full list by row", async () => {
    const limits: ValidationLimits = { maxRequests: 1000, maxFileBytes: 1_000_000, maxLineBytes: 1_000_000, maxCustomIdLength: 8, label: "Tiny" };
    // 150 bad rows: the odd ones have no question (found while converting), the even ones an id
    // over Tiny's 8 characters (found by the limits' check of the converted requests), interleaved.
    const lines = ["id,question"];
    for (let i = 1; i <= 150; i++) lines.push(i % 2 ? `q${i},` : `a-long-id-${i},Question ${i}`);
    lines.push("fine,An answerable question");
    const file = await done(await upload(lines.join("\r\n") + "\r\n", "many-bad-rows.csv", { mapping: JSON.stringify(mappingOf({ template: "{{question}}" })) }, { limits }));
    expect(file).toMatchObject({ status: "invalid", problemCount: 150 });
    expect(file.problems).toHaveLength(100);
    expect(await h.prisma.fileProblem.count({ where: { fileId: file.id } })).toBe(150);

    let csv = "";
    for await (const part of problemsCsv(h.prisma, { id: file.id, problems: file.problems, problemCount: file.problemCount, csv: true })) csv += part;
    const rows = csv.trimEnd().split("\r\n");
    expect(rows).toHaveLength(151);
    expect(rows[0]).toBe("row,column,message");
    // Every bad row once, in row order, each told by its spreadsheet row and column.
    expect(rows.slice(1).map((r) => r.split(",", 2).join(","))).toEqual(Array.from({ length: 150 }, (_, i) => `${i + 2},${i % 2 ? "id" : "question"}`));
    expect(rows[1]).toBe('2,question,"The prompt is empty: the column ""question"" is empty in this row"');
    expect(rows[150]).toBe(`151,id,"custom_id is 13 characters, over Tiny's limit of 8"`);
    expect(csv).not.toContain("of the converted file");
    expect(tempFiles()).toEqual([]);
  });

  it("converts and stores a 2,000-row file with progress by rows, every request beside its row", async () => {
    const lines = ["id,question,category"];
    for (let i = 1; i <= 2000; i++) lines.push(`id-${i},"Question ${i}, with a comma",cat${i % 7}`);
    const csv = lines.join("\r\n") + "\r\n";
    const res = await upload(csv, "big.csv", { mapping: JSON.stringify(mappingOf({ template: "[{{category}}] {{question}}" })) });
    const ev = await events(res);
    expect(ev.some((e) => e.type === "progress" && e.phase === "converting" && e.rows === 1000)).toBe(true);
    expect(ev.some((e) => e.type === "progress" && e.phase === "storing" && e.stored === 2000)).toBe(true);
    const last = ev.at(-1);
    if (last?.type !== "done") throw new Error("no done event");
    expect(last.file).toMatchObject({ status: "valid", requestCount: 2000, format: "csv" });
    const reqs = await requests(last.file.id);
    expect(reqs).toHaveLength(2000);
    expect(reqs[1999]).toMatchObject({ line: 2000, customId: "id-2000", prompt: "[cat5] Question 2000, with a comma", source: { row: 2001, cells: ["id-2000", "Question 2000, with a comma", "cat5"] } });
    expect(reqs.every((r, i) => (r.source as { row: number }).row === i + 2)).toBe(true);
    expect(tempFiles()).toEqual([]);
  });

  it("leaves nothing behind when the sender gives up during the conversion", async () => {
    const lines = ["id,question"];
    for (let i = 1; i <= 40_000; i++) lines.push(`c-${i},"Question number ${i} ${"pad ".repeat(20)}"`);
    const abort = new AbortController();
    const before = await h.prisma.inputFile.count({ where: { teamId } });
    const res = await upload(lines.join("\n") + "\n", "gave-up.csv", { mapping: JSON.stringify(mappingOf({ template: "{{question}}" })) }, { signal: abort.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    while (!text.includes('"phase":"converting","rows":')) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`ended before converting: ${text}`);
      text += decoder.decode(value);
    }
    abort.abort();
    await reader.cancel().catch(() => {});
    // The row was there while converting; it and any temp file go once the abort is seen.
    for (let i = 0; i < 200 && ((await h.prisma.inputFile.count({ where: { teamId } })) !== before || tempFiles().length > 0); i++) await new Promise((r) => setTimeout(r, 25));
    expect(await h.prisma.inputFile.count({ where: { teamId } })).toBe(before);
    expect(tempFiles()).toEqual([]);
  });

  it("uploads with a saved template (field or ?template=), recording it on the file; another team's template is not found", async () => {
    const ctx = { team: { id: teamId, name: "CSV team", personal: false }, user: { id: userId, email: "", name: "Csv" }, role: "MEMBER" as const };
    const t = await saveTemplate(h.prisma, ctx, { name: "Translate", mapping: mappingOf({ template: "Translate: {{question}}" }) });
    const csv = "id,question\nt1,Hello\n";

    const a = await done(await upload(csv, "a.csv", { templateId: t.id }));
    expect(a).toMatchObject({ status: "valid", requestCount: 1 });
    expect((await requests(a.id))[0].prompt).toBe("Translate: Hello");
    expect((await h.prisma.inputFile.findUniqueOrThrow({ where: { id: a.id } })).csv).toMatchObject({ templateId: t.id });

    const b = await done(await upload(csv, "b.csv", {}, { query: `?template=${t.id}` }));
    expect(b.status).toBe("valid");

    const other = await upload(csv, "c.csv", { templateId: t.id }, { team: otherTeamId });
    expect(other.status).toBe(404);
    expect(await other.json()).toEqual({ error: "That template was not found." });
    expect(await h.prisma.inputFile.count({ where: { teamId: otherTeamId } })).toBe(0);
    expect(tempFiles()).toEqual([]);
  });

  it("refuses a mapping with a template over 256 KB or a NUL as a 400 naming it, keeping nothing", async () => {
    const before = await h.prisma.inputFile.count();
    const big = await upload("id,question\n1,x\n", "x.csv", { mapping: JSON.stringify(mappingOf({ template: "{{question}}\n".repeat(30_000) })) });
    expect(big.status).toBe(400);
    expect((await big.json()).error).toBe("The mapping is not valid: template: The prompt template is 381 KB, over the 256 KB limit: shorten it.");
    const nul = await upload("id,question\n1,x\n", "x.csv", { mapping: JSON.stringify(mappingOf({ systemPrompt: "Be brief\u0000" })) });
    expect(nul.status).toBe(400);
    expect((await nul.json()).error).toBe("The mapping is not valid: systemPrompt: This text contains a NUL character (\\u0000), which cannot be stored. Remove it.");
    const huge = await upload("id,question\n1,x\n", "x.csv", { mapping: "x".repeat(3 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect((await huge.json()).error).toBe('The "mapping" field is over the 2 MB limit for a form field.');
    expect(await h.prisma.inputFile.count()).toBe(before);
    expect(tempFiles()).toEqual([]);
  });

  it("checks the team's quota against the converted file before storing it, keeping nothing past it", async () => {
    const csv = "id,question\n" + Array.from({ length: 20 }, (_, i) => `q${i},What is ${i}?`).join("\n") + "\n";
    const used = await storedBytes(h.prisma, teamId);
    // The CSV itself fits; the JSONL it becomes (what a provider gets, and what is stored) does not.
    const quotaBytes = used + Buffer.byteLength(csv) + 100;
    const before = await h.prisma.inputFile.count();
    const req = new Request("http://local/api/uploads", {
      method: "POST",
      headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
      body: new Uint8Array(body(Buffer.from(csv), "quota.csv", { mapping: JSON.stringify(mappingOf({ template: "{{question}}" })) })),
    });
    const ev = await events(await handleUpload(req, { teamId, userId }, { dataDir, quotaBytes }));
    expect(ev.at(-1)).toEqual({ type: "error", message: expect.stringMatching(/^This upload would take the team past its storage quota of .*: its files hold .* already\. Make room/) });
    expect(await h.prisma.inputFile.count()).toBe(before);
    expect(tempFiles()).toEqual([]);
  });

  it("refuses a CSV without a mapping, or with an invalid one, as a 400 that keeps nothing", async () => {
    const none = await upload("id,q\n1,x\n", "x.csv", {});
    expect(none.status).toBe(400);
    expect((await none.json()).error).toContain('"mapping" field');

    const bad = await upload("id,q\n1,x\n", "x.csv", { mapping: JSON.stringify({ ...mappingOf(), model: "" }) });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toBe("The mapping is not valid: model: Choose a model.");

    const enc = await upload("id,q\n1,x\n", "x.csv", { mapping: JSON.stringify(mappingOf()), encoding: "latin9" });
    expect(enc.status).toBe(400);
    expect(tempFiles()).toEqual([]);
  });
});
