// Exports of a results view: chosen columns, formulas neutralised, filter and order respected, the
// uploaded CSV's own columns joined back, and the JSONL of the same rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import type { Readable } from "node:stream";
import type { DbHandle } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { createTestDb } from "@/lib/test/db";
import { neutraliseFormula } from "@/lib/csv/write";
import { csvFields, resultsCsv, resultsJsonlExport } from "./export";
import { seedBatch, seedTeam, type SeedRow } from "./results.fixtures";

let h: DbHandle;
let plainId: string;
let csvId: string;

const text = async (s: Readable) => {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks).toString("utf8");
};
const records = async (s: Readable) => parse(await text(s), { bom: true }) as string[][];

// Answers a spreadsheet would run as formulas, and one that is only a negative number.
const DANGEROUS = ["=1+1", "+SUM(A1:A9)", "-2+3", "@cmd|' /C calc'!A0", "\tTabbed", "\rReturn", "- a markdown list"];

const plainRows: SeedRow[] = [
  ...DANGEROUS.map((content, i) => ({ customId: `d${i + 1}`, prompt: `p${i + 1}`, result: { ok: true as const, content } })),
  { customId: "neg", prompt: "-12", result: { ok: true, content: "-12.5" } },
  { customId: "f1", prompt: "=HYPERLINK(\"http://x\")", result: { ok: false, code: "rate_limit", message: "slow down" } },
  { customId: "f2", prompt: "p", result: { ok: false, code: "server_error", message: "boom" } },
];

// A CSV upload: its header and each request's row, as the CSV upload stores them. Row 5 has no result.
const HEADER = ["编号", "question", "content", "note"];
const csvRows = Array.from({ length: 6 }, (_, i) => ({
  cells: [`${i + 1}`, `问题 ${i + 1}`, `their own content ${i + 1}`, i === 2 ? "=cmd()" : `n${i + 1}`],
  result: i === 4 ? ({ ok: false, code: "invalid_request", message: "bad" } as const) : i === 3 ? undefined : ({ ok: true, content: `答案 ${i + 1}` } as const),
}));

beforeAll(async () => {
  h = await createTestDb();
  const t = await seedTeam(h.prisma, "exp");
  const plain = await seedBatch(h.prisma, t, plainRows);
  plainId = plain.batch.id;
  const up = await seedBatch(
    h.prisma,
    t,
    csvRows.map((r, i) => ({ customId: `row-${i + 2}`, prompt: r.cells[1], result: r.result })),
  );
  csvId = up.batch.id;
  await h.prisma.inputFile.update({
    where: { id: up.file.id },
    data: { format: "csv", csv: { encoding: "utf-8", bom: false, delimiter: ",", columns: HEADER, mapping: {} } },
  });
  const db = sql(h.prisma);
  for (const [i, r] of csvRows.entries()) {
    await db.exec(`UPDATE "Request" SET "source" = $1::jsonb WHERE "fileId" = $2 AND "customId" = $3`, [JSON.stringify({ row: i + 2, cells: r.cells }), up.file.id, `row-${i + 2}`]);
  }
  // Set lines and varied counts as ingest would, so order and sort have something to show.
  for (const id of [plainId, csvId]) {
    await db.exec(
      `UPDATE "Result" r SET "line" = q."line", "totalTokens" = CASE WHEN r."succeeded" THEN 100 - q."line" END FROM "Request" q, "Batch" b
       WHERE b."id" = $1 AND r."batchId" = b."id" AND q."fileId" = b."inputFileId" AND q."customId" = r."customId"`,
      [id],
    );
  }
});

afterAll(async () => {
  await h?.close();
});

describe("formula neutralisation", () => {
  it("prefixes a single quote to cells a spreadsheet would run, as OWASP advises, and leaves numbers alone", () => {
    expect(DANGEROUS.map(neutraliseFormula)).toEqual(DANGEROUS.map((d) => `'${d}`));
    for (const v of ["-12", "+3.5", "-0,5", "1e-3", "plain", "", 42, null]) expect(neutraliseFormula(v)).toBe(v);
  });

  it("neutralises every cell of the CSV: answers, prompts, errors and the user's own cells", async () => {
    const [header, ...data] = await records(resultsCsv(h.prisma, plainId));
    const col = (name: string) => data.map((r) => r[header.indexOf(name)]);
    expect(col("content").slice(0, DANGEROUS.length)).toEqual(DANGEROUS.map((d) => `'${d}`));
    expect(col("content")[DANGEROUS.length]).toBe("-12.5");
    expect(col("prompt")).toContain("-12");
    expect(col("prompt")).toContain(`'=HYPERLINK("http://x")`);
    const mine = await records(resultsCsv(h.prisma, csvId));
    expect(mine[3][3]).toBe("'=cmd()");
    // No cell of either file starts with a formula character any more, save plain numbers.
    for (const cell of [...data.flat(), ...mine.flat()]) expect(/^[=+\-@\t\r]/.test(cell) && !/^-\d+(\.\d+)?$/.test(cell)).toBe(false);
  });
});

describe("column choice", () => {
  it("writes the fields of the columns chosen in the results browser, in the browser's order", async () => {
    expect(csvFields(["answer", "custom_id"], false)).toEqual(["custom_id", "content", "error_code", "error_message"]);
    expect(csvFields(["custom_id", "tokens"], true)).toEqual(["custom_id", "prompt_tokens", "completion_tokens", "reasoning_tokens", "total_tokens", "cost"]);
    const [header, ...data] = await records(resultsCsv(h.prisma, plainId, {}, { columns: ["custom_id", "status", "answer"] }));
    expect(header).toEqual(["custom_id", "content", "error_code", "error_message", "status", "status_code"]);
    expect(data.find((r) => r[0] === "f2")).toEqual(["f2", "", "server_error", "boom", "failed", ""]);
  });

  it("fills the cost column at each result's model's price, and leaves it empty for a model without one", async () => {
    const priced = { prices: [{ model: "batch-test-model", inputPerMTok: 2.5, outputPerMTok: 10 }] };
    const [header, ...data] = await records(resultsCsv(h.prisma, plainId, {}, { columns: ["custom_id", "tokens"], prices: priced, costHeader: "cost_usd" }));
    expect(header).toEqual(["custom_id", "prompt_tokens", "completion_tokens", "reasoning_tokens", "total_tokens", "cost_usd"]);
    const answered = data.filter((r) => r[1] !== "");
    expect(answered.length).toBeGreaterThan(0);
    // Exact decimals, as many as needed and no more (the database's numeric, rounded to 8 places).
    for (const r of answered) expect(r[5]).toBe(String(Math.round((Number(r[1]) * 2.5 + Number(r[2]) * 10) / 1e6 * 1e8) / 1e8));
    expect(data.filter((r) => r[1] === "").every((r) => r[5] === "")).toBe(true);
    const other = await records(resultsCsv(h.prisma, plainId, {}, { columns: ["custom_id", "tokens"], prices: { prices: [{ model: "another-model", inputPerMTok: 1, outputPerMTok: 1 }] } }));
    expect(other.slice(1).every((r) => r[5] === "")).toBe(true);
  });
});

describe("filter and order", () => {
  it("exports only the view's rows, in the view's order", async () => {
    const failed = await records(resultsCsv(h.prisma, plainId, { code: "rate_limit" }, { columns: ["custom_id"] }));
    expect(failed).toEqual([["custom_id"], ["f1"]]);
    const search = await records(resultsCsv(h.prisma, plainId, { q: "HYPERLINK" }, { columns: ["custom_id"] }));
    expect(search.slice(1).flat()).toEqual(["f1"]);
    const byTokens = await records(resultsCsv(h.prisma, plainId, { status: "succeeded" }, { columns: ["custom_id"], sort: "total_tokens", pageSize: 3 }));
    // total = 100 - line: fewest first is the last line first.
    expect(byTokens.slice(1).flat()).toEqual(["neg", "d7", "d6", "d5", "d4", "d3", "d2", "d1"]);
  });
});

describe("a CSV upload gets its spreadsheet back", () => {
  it("puts the uploaded columns first, under their own header, then the results", async () => {
    const [header, ...data] = await records(resultsCsv(h.prisma, csvId, {}, { columns: ["custom_id", "answer", "status", "tokens"] }));
    // "content" is one of the user's own columns: ours gets a suffix rather than a second "content".
    expect(header).toEqual([...HEADER, "custom_id", "content_result", "error_code", "error_message", "status", "status_code", "prompt_tokens", "completion_tokens", "reasoning_tokens", "total_tokens"]);
    expect(data[0].slice(0, 4)).toEqual(["1", "问题 1", "their own content 1", "n1"]);
    expect(data[0].slice(4, 6)).toEqual(["row-2", "答案 1"]);
    expect(data[4].slice(4, 9)).toEqual(["row-6", "", "invalid_request", "bad", "failed"]);
    // Every row of the spreadsheet comes back, in its order: the one without a result says so.
    expect(data.map((r) => r[0])).toEqual(["1", "2", "3", "4", "5", "6"]);
    expect(data[3]).toEqual(["4", "问题 4", "their own content 4", "n4", "row-5", "", "", "", "missing", "", "", "", "", ""]);
    // The filter applies to the joined rows too, and the user's columns can be left out.
    const failed = await records(resultsCsv(h.prisma, csvId, { status: "failed" }, { columns: ["custom_id"], source: false }));
    expect(failed).toEqual([["custom_id"], ["row-6"]]);
    // A filtered view, another order, or the user's columns left out: only the results.
    const byTokens = await records(resultsCsv(h.prisma, csvId, {}, { columns: ["custom_id"], sort: "-total_tokens" }));
    expect(byTokens.slice(1).map((r) => r[4])).toEqual(["row-2", "row-3", "row-4", "row-7", "row-6"]);
    expect(await records(resultsCsv(h.prisma, csvId, {}, { columns: ["custom_id"], source: false }))).toHaveLength(1 + 5);
  });

  it("in the guide's layout: exactly its nine columns, without the uploaded ones or a cost", async () => {
    const [header, ...data] = await records(resultsCsv(h.prisma, csvId, {}, { layout: "guide", prices: { prices: [{ model: "batch-test-model", inputPerMTok: 1, outputPerMTok: 1 }] } }));
    expect(header).toEqual(["custom_id", "model", "request_id", "status_code", "error_code", "error_message", "created", "content", "usage"]);
    expect(data[0].slice(0, 4)).toEqual(["row-2", "batch-test-model", "req-row-2", "200"]);
    expect(data[0][7]).toBe("答案 1");
  });

  it("with every field when no columns are chosen", async () => {
    const [header] = await records(resultsCsv(h.prisma, csvId));
    expect(header.slice(0, 4)).toEqual(HEADER);
    expect(header.slice(4, 13)).toEqual(["custom_id", "model", "request_id", "status_code", "error_code", "error_message", "created", "content_result", "usage"]);
  });
});

describe("resultsJsonlExport", () => {
  it("writes one object a result of the view, with the uploaded row as {column: cell}", async () => {
    const lines = (await text(resultsJsonlExport(h.prisma, csvId, { status: "succeeded" }))).trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({
      custom_id: "row-2",
      line: 1,
      status: "succeeded",
      content: "答案 1",
      error: null,
      usage: { prompt_tokens: 20, completion_tokens: 6, total_tokens: 99 },
      source: { 编号: "1", question: "问题 1", content: "their own content 1", note: "n1" },
    });
    const failed = (await text(resultsJsonlExport(h.prisma, plainId, { status: "failed" }))).trim().split("\n").map((l) => JSON.parse(l));
    expect(failed.map((l) => [l.custom_id, l.error])).toEqual([
      ["f1", { code: "rate_limit", message: "slow down" }],
      ["f2", { code: "server_error", message: "boom" }],
    ]);
    expect(failed[0]).not.toHaveProperty("source");
  });
});
