import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parse } from "csv-parse/sync";
import type { Readable } from "node:stream";
import type { DbHandle } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { createTestDb } from "@/lib/test/db";
import { CSV_COLUMNS, resultsCsv, resultsJsonl } from "./export";
import { errorLine, outputLine, seedBatch, seedTeam, type SeedRow } from "./results.fixtures";

let h: DbHandle;
let batchId: string;

const tricky = 'He said "hi", then\nleft.\r\nSecond line, 你好，世界';
const N = 2_345; // over two pages of 1,000

const rows: SeedRow[] = Array.from({ length: N }, (_, i) => {
  const customId = `c${i + 1}`;
  if (i === 0) return { customId, prompt: "Say, \"quote\"\nplease", result: { ok: true, content: tricky, reasoning: "先想一想" } };
  if (i % 10 === 9) return { customId, prompt: `p${i + 1}`, result: { ok: false, code: "invalid_request", message: "Bad, \"very\" bad" } };
  return { customId, prompt: `p${i + 1}`, result: { ok: true, content: `answer ${i + 1}` } };
});

async function bytes(stream: Readable) {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

async function text(stream: Readable) {
  return (await bytes(stream)).toString("utf8");
}

beforeAll(async () => {
  h = await createTestDb();
  const t = await seedTeam(h.prisma, "x");
  ({ batch: { id: batchId } } = await seedBatch(h.prisma, t, rows));
});

afterAll(async () => {
  await h?.close();
});

describe("resultsCsv", () => {
  it("writes the guide's columns then ours, one record per result, quoting what needs it", async () => {
    const csv = await text(resultsCsv(h.prisma, batchId));
    expect(csv.startsWith(CSV_COLUMNS.join(",") + "\r\n")).toBe(true);
    expect(CSV_COLUMNS.slice(0, 9)).toEqual(["custom_id", "model", "request_id", "status_code", "error_code", "error_message", "created", "content", "usage"]);
    const records: string[][] = parse(csv, { relax_column_count: false });
    expect(records).toHaveLength(N + 1);
    const first = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, records[1][i]]));
    expect(first).toEqual({
      custom_id: "c1",
      model: "batch-test-model",
      request_id: "req-c1",
      status_code: "200",
      error_code: "",
      error_message: "",
      created: "1743562621",
      content: tricky,
      usage: first.usage,
      prompt: 'Say, "quote"\nplease',
      reasoning_content: "先想一想",
      finish_reason: "stop",
      prompt_tokens: "20",
      completion_tokens: "6",
      reasoning_tokens: "4",
      total_tokens: "26",
      status: "succeeded",
    });
    // jsonb keeps its own key order; the object is the provider's.
    expect(JSON.parse(first.usage)).toEqual({ completion_tokens: 6, prompt_tokens: 20, total_tokens: 26, completion_tokens_details: { reasoning_tokens: 4 } });
    // The raw bytes: quotes doubled, the lone \n quoted, Chinese text as UTF-8.
    expect(csv).toContain('"He said ""hi"", then\nleft.\r\nSecond line, 你好，世界"');
    const failed = records.find((r) => r[0] === "c10")!;
    expect(failed.slice(0, 9)).toEqual(["c10", "", "", "", "invalid_request", 'Bad, "very" bad', "", "", ""]);
    expect(failed.at(-1)).toBe("failed");
    expect(new Set(records.slice(1).map((r) => r[0])).size).toBe(N);
  });

  it("reads in pages of 1,000 rather than all at once", async () => {
    const spy = vi.spyOn(sql(h.prisma), "copyCsv");
    try {
      const csv = await text(resultsCsv(h.prisma, batchId));
      expect(parse(csv)).toHaveLength(N + 1);
      // 2,345 rows: pages of 1,000, 1,000 and 345.
      expect(spy).toHaveBeenCalledTimes(3);
    } finally {
      spy.mockRestore();
    }
  });

  it("stops reading when the consumer goes away", async () => {
    const spy = vi.spyOn(sql(h.prisma), "copyCsv");
    try {
      const stream = resultsCsv(h.prisma, batchId, {}, { pageSize: 100 });
      for await (const _chunk of stream) break; // a closed download
      await new Promise((r) => setTimeout(r, 100));
      expect(spy.mock.calls.length).toBeLessThanOrEqual(3);
    } finally {
      spy.mockRestore();
    }
  });

  it("writes a token-sorted view with its total_tokens column over several pages (the count is the sort's key and a cell)", async () => {
    const rows: string[][] = parse(await text(resultsCsv(h.prisma, batchId, {}, { sort: "-total_tokens", pageSize: 100 })));
    const at = rows[0].indexOf("total_tokens");
    expect(at).toBeGreaterThan(-1);
    const counts = rows.slice(1).map((r) => (r[at] === "" ? -1 : Number(r[at])));
    expect(counts).toHaveLength(N);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it("respects the results view's filter and search", async () => {
    const failed: string[][] = parse(await text(resultsCsv(h.prisma, batchId, { status: "failed" }, { pageSize: 100 })));
    expect(failed).toHaveLength(1 + Math.floor(N / 10));
    expect(failed.slice(1).every((r) => r[4] === "invalid_request")).toBe(true);
    // c200 failed, so it has no answer to match.
    const found: string[][] = parse(await text(resultsCsv(h.prisma, batchId, { q: "ANSWER 200" })));
    expect(found.slice(1).map((r) => r[0])).toEqual(["c2001", "c2002", "c2003", "c2004", "c2005", "c2006", "c2007", "c2008", "c2009"]);
    const byPrompt: string[][] = parse(await text(resultsCsv(h.prisma, batchId, { q: "quote" })));
    expect(byPrompt.slice(1).map((r) => r[0])).toEqual(["c1"]);
    // A search is written into the COPY statement as a literal: quotes and backslashes stay text.
    for (const q of [`'); DROP TABLE "Result"; --`, "it's \\ odd", "\\%"]) expect(parse(await text(resultsCsv(h.prisma, batchId, { q })))).toHaveLength(1);
    expect(parse(await text(resultsCsv(h.prisma, batchId, { q: 'said "hi"' }))).slice(1).map((r: string[]) => r[0])).toEqual(["c1"]);
  });

  it("can start with a byte order mark for Excel, and has none otherwise", async () => {
    const withBom = await bytes(resultsCsv(h.prisma, batchId, { q: "c1" }, { bom: true }));
    expect([...withBom.subarray(0, 4)]).toEqual([0xef, 0xbb, 0xbf, "c".charCodeAt(0)]);
    const without = await bytes(resultsCsv(h.prisma, batchId, { q: "c1" }));
    expect(without[0]).toBe("c".charCodeAt(0));
    // The Chinese text survives as UTF-8 after the mark.
    expect(withBom.toString("utf8")).toContain("你好，世界");
  });
});

describe("resultsJsonl", () => {
  it("rebuilds the provider's output and error lines", async () => {
    const out = (await text(resultsJsonl(h.prisma, batchId, "output", { pageSize: 500 }))).split("\n");
    expect(out.pop()).toBe("");
    expect(out).toHaveLength(N - Math.floor(N / 10));
    expect(JSON.parse(out[0])).toEqual(outputLine("c1", tricky, "先想一想"));
    const err = (await text(resultsJsonl(h.prisma, batchId, "errors"))).trim().split("\n");
    expect(err).toHaveLength(Math.floor(N / 10));
    expect(JSON.parse(err[0])).toEqual(errorLine("c10", "invalid_request", 'Bad, "very" bad'));
  });
});
