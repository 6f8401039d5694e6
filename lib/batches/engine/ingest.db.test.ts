// Ingest against a real database: rows in input order whatever the provider's order, idempotent,
// and the first of a custom_id seen twice kept.
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setLogDestination } from "@/lib/log";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { serve } from "@/lib/test/http";
import { resultsCsv, resultsJsonl } from "@/lib/results/export";
import { ingestResults, storeResultLines } from "./ingest";
import { adapterFor } from "@/lib/providers/adapters";
import { parseAnthropicResultLine } from "@/lib/providers/anthropic/results";
import { parseResultLine } from "@/lib/providers/openai-compatible/results";
import { profileOf } from "@/lib/providers/profiles";
import { queryResults } from "@/lib/results/browse";
import { errorLine, outputLine, seedBatch, seedTeam } from "@/lib/results/results.fixtures";

let h: DbHandle;
let provider: Awaited<ReturnType<typeof serve>>;
const files: Record<string, string> = {};

beforeAll(async () => {
  h = await createTestDb();
  provider = await serve(async (req) => {
    const id = new URL(req.url).pathname.split("/").at(-2)!;
    return new Response(files[id] ?? "", { headers: { "content-type": "application/jsonl" } });
  });
});
afterAll(async () => {
  await provider?.close();
  await h?.close();
});

const text = async (s: NodeJS.ReadableStream) => {
  let out = "";
  for await (const c of s) out += c.toString();
  return out;
};

describe("ingestResults", () => {
  it("stores results in input order, once, with their request's line", async () => {
    const t = await seedTeam(h.prisma, "ingest");
    const ids = Array.from({ length: 30 }, (_, i) => `q-${i + 1}`);
    const { batch } = await seedBatch(h.prisma, t, ids.map((customId) => ({ customId, prompt: `prompt ${customId}` })), { resultsIngestedAt: null, resultCount: 0 });
    // The provider answers in its own order; q-5 fails; one custom_id is unknown to the input; q-3
    // appears in both files (its answer wins); a NUL must not break the insert.
    const order = [...ids].reverse().filter((id) => id !== "q-5");
    files["out-1"] = [
      JSON.stringify(outputLine("stranger", "who?")),
      ...order.map((id) => JSON.stringify(outputLine(id, id === "q-7" ? "nul\u0000here" : `answer ${id}`))),
      "not json",
      "",
    ].join("\n");
    files["err-1"] = [JSON.stringify(errorLine("q-5", "server_error", "boom")), JSON.stringify(errorLine("q-3", "x", "dup"))].join("\n");
    const target = { kind: "openai-compatible", baseUrl: provider.url, apiKey: "k", profile: profileOf("openai-compatible") };
    const adapter = adapterFor("openai-compatible").connect(target, { maxRetries: 0 });
    const b = { id: batch.id, providerBatchId: "batch-1", outputFileId: "out-1", errorFileId: "err-1" };

    const first = await ingestResults(h.prisma, b, adapter, { chunkSize: 7 });
    expect(first).toEqual({ done: true, resultCount: 31, skippedLines: 1 });
    const again = await ingestResults(h.prisma, b, adapter, { chunkSize: 7 });
    expect(again.resultCount).toBe(31);

    const page = await queryResults(h.prisma, batch.id, { pageSize: 100 });
    expect(page.rows.map((r) => r.customId)).toEqual([...ids, "stranger"]);
    expect(page.rows.find((r) => r.customId === "q-3")).toMatchObject({ succeeded: true, content: "answer q-3", prompt: "prompt q-3" });
    expect(page.rows.find((r) => r.customId === "q-5")).toMatchObject({ succeeded: false, errorCode: "server_error" });
    expect(page.rows.find((r) => r.customId === "q-7")?.content).toBe("nulhere");
    const lines = await h.prisma.result.findMany({ where: { batchId: batch.id }, select: { customId: true, line: true } });
    expect(lines.find((r) => r.customId === "q-10")?.line).toBe(10);
    expect(lines.find((r) => r.customId === "stranger")?.line).toBeNull();

    // Exports follow the same order, across pages and past the rows without a line.
    const csv = await text(resultsCsv(h.prisma, batch.id, {}, { pageSize: 4 }));
    expect(csv.split("\r\n").slice(1, -1).map((l) => l.split(",")[0])).toEqual([...ids, "stranger"]);
    const out = (await text(resultsJsonl(h.prisma, batch.id, "output", { pageSize: 4 }))).trim().split("\n");
    expect(out.map((l) => JSON.parse(l).custom_id)).toEqual([...ids.filter((id) => id !== "q-5"), "stranger"]);
  });
});

describe("storeResultLines", () => {
  it("stores an Anthropic result whose answer holds a NUL (PostgreSQL refuses NUL in text and jsonb)", async () => {
    const t = await seedTeam(h.prisma, "ingest-anthropic-nul");
    const { batch } = await seedBatch(h.prisma, t, [{ customId: "a-1", prompt: "p" }, { customId: "a-2", prompt: "q" }], { resultsIngestedAt: null, resultCount: 0 });
    const line = (id: string, text: string) =>
      JSON.stringify({ custom_id: id, result: { type: "succeeded", message: { id: "msg", type: "message", role: "assistant", model: "claude", content: [{ type: "text", text }], stop_reason: "end_turn", usage: { input_tokens: 1, output_tokens: 2 } } } });
    // An escaped backslash before "u0000" is text, not a NUL: it stays.
    async function* lines() {
      yield line("a-1", "nul\u0000here");
      yield line("a-2", "a backslash then u0000: \\u0000");
    }
    const out = await storeResultLines(h.prisma, batch.id, lines(), { parse: parseAnthropicResultLine });
    expect(out).toMatchObject({ done: true, lines: 2, skippedLines: 0 });
    const rows = await h.prisma.result.findMany({ where: { batchId: batch.id }, orderBy: { customId: "asc" }, select: { content: true } });
    expect(rows.map((r) => r.content)).toEqual(["nulhere", "a backslash then u0000: \\u0000"]);
  });

  it("stores any text as it came (the COPY's delimiter and quote bytes, line breaks, quotes, an empty answer) and a usage of its own", async () => {
    const t = await seedTeam(h.prisma, "ingest-bytes");
    const texts = ["delimiter \x02 quote \x01\x01 end", "line\nbreak\r\nand CR\r", '"quoted", \\N \\. tab\t', "", "中文 😀"];
    const ids = texts.map((_, i) => `b-${i + 1}`);
    const { batch } = await seedBatch(h.prisma, t, ids.map((customId) => ({ customId, prompt: "p" })), { resultsIngestedAt: null, resultCount: 0 });
    // A custom_id holding the bytes too, unknown to the input: stored with no line.
    const odd = "odd\x01\x02\nid";
    async function* lines() {
      for (const [i, text] of texts.entries()) yield JSON.stringify(outputLine(ids[i], text));
      yield JSON.stringify(outputLine(odd, "x"));
    }
    const out = await storeResultLines(h.prisma, batch.id, lines(), { parse: parseResultLine, chunkSize: 2 });
    expect(out).toMatchObject({ done: true, lines: 6, skippedLines: 0 });
    const rows = await h.prisma.result.findMany({ where: { batchId: batch.id }, orderBy: [{ line: "asc" }, { id: "asc" }] });
    expect(rows.map((r) => r.customId)).toEqual([...ids, odd]);
    expect(rows.map((r) => r.content)).toEqual([...texts, "x"]);
    expect(rows.map((r) => r.line)).toEqual([1, 2, 3, 4, 5, null]);
    expect(rows[0]).toMatchObject({ succeeded: true, statusCode: 200, promptTokens: 20, completionTokens: 6, totalTokens: 26, reasoningTokens: null, errorCode: null, finishReason: "stop", created: 1743562621 });
    expect(JSON.parse(rows[0].usage!)).toEqual({ completion_tokens: 6, prompt_tokens: 20, total_tokens: 26 });
    expect(rows[1].raw).toEqual(outputLine(ids[1], texts[1]));
  });

  it("stores each result once when two instances ingest the same lines at the same time, and leaves no TEMP table behind", async () => {
    const t = await seedTeam(h.prisma, "ingest-twice");
    const ids = Array.from({ length: 400 }, (_, i) => `t-${i + 1}`);
    const { batch } = await seedBatch(h.prisma, t, ids.map((customId) => ({ customId, prompt: "p" })), { resultsIngestedAt: null, resultCount: 0 });
    async function* lines(from: number) {
      for (let i = 0; i < ids.length; i++) yield JSON.stringify(outputLine(ids[(i + from) % ids.length], `answer ${from}`));
    }
    const runs = await Promise.all([0, 150, 300].map((from) => storeResultLines(h.prisma, batch.id, lines(from), { parse: parseResultLine, chunkSize: 64 })));
    expect(runs.map((r) => r.lines)).toEqual([400, 400, 400]);
    const rows = await h.prisma.result.findMany({ where: { batchId: batch.id }, select: { customId: true, line: true } });
    expect(rows).toHaveLength(400);
    expect(new Set(rows.map((r) => r.customId)).size).toBe(400);
    expect(rows.every((r) => r.line === Number(r.customId.slice(2)))).toBe(true);
    const stages = await h.prisma.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM pg_class WHERE relname LIKE 'result_stage_%' AND relpersistence = 't'`);
    expect(stages).toEqual([]);
  });

  it("goes on through the stage when another instance stored rows after this one chose to COPY straight into Result", async () => {
    const t = await seedTeam(h.prisma, "ingest-race");
    const ids = Array.from({ length: 300 }, (_, i) => `r-${i + 1}`);
    const { batch } = await seedBatch(h.prisma, t, ids.map((customId) => ({ customId, prompt: "p" })), { resultsIngestedAt: null, resultCount: 0 });
    const logged: string[] = [];
    setLogDestination(new Writable({ write: (chunk, _enc, done) => void (logged.push(String(chunk)), done()) }), "info");
    try {
      // Each store reads its first line only once it has chosen how to store (storeResultLines makes
      // its stage first): the early one gives lines only after the late one asked for its first, so
      // both have found the batch without rows and COPY straight into Result; the late one then
      // gives lines only after the early one stored its rows.
      const signal = () => {
        let open!: () => void;
        return { done: new Promise<void>((r) => (open = r)), open: () => open() };
      };
      const lateChose = signal();
      const earlyStored = signal();
      async function* lines(tag: string, chose: () => void, wait: Promise<void>) {
        chose();
        await wait;
        for (const id of ids) yield JSON.stringify(outputLine(id, `answer ${tag}`));
      }
      const early = storeResultLines(h.prisma, batch.id, lines("early", () => {}, lateChose.done), { parse: parseResultLine }).then((o) => (earlyStored.open(), o));
      const late = storeResultLines(h.prisma, batch.id, lines("late", lateChose.open, earlyStored.done), { parse: parseResultLine, chunkSize: 100 });
      await Promise.all([early, late]);
    } finally {
      setLogDestination(undefined);
    }
    expect(logged.filter((l) => l.includes("ingest.direct_copy_conflict"))).toHaveLength(1);
    const rows = await h.prisma.result.findMany({ where: { batchId: batch.id }, select: { customId: true, content: true, line: true } });
    expect(rows).toHaveLength(300);
    expect(rows.every((r) => r.content === "answer early" && r.line === Number(r.customId.slice(2)))).toBe(true);
  });

  it("stores nothing of the chunk it was filling when the lease is lost, and nothing twice after", async () => {
    const t = await seedTeam(h.prisma, "ingest-lease");
    const ids = Array.from({ length: 25 }, (_, i) => `l-${i + 1}`);
    const { batch } = await seedBatch(h.prisma, t, ids.map((customId) => ({ customId, prompt: "p" })), { resultsIngestedAt: null, resultCount: 0 });
    async function* lines() {
      for (const id of ids) yield JSON.stringify(outputLine(id, "a"));
    }
    let checks = 0;
    const cut = await storeResultLines(h.prisma, batch.id, lines(), { parse: parseResultLine, chunkSize: 10, lease: { lost: () => ++checks > 1 } });
    expect(cut.done).toBe(false);
    // The first chunk of 10 is stored; the second, full when the lease was found lost, is not.
    expect(await h.prisma.result.count({ where: { batchId: batch.id } })).toBe(10);
    const again = await storeResultLines(h.prisma, batch.id, lines(), { parse: parseResultLine, chunkSize: 10 });
    expect(again.done).toBe(true);
    expect(await h.prisma.result.count({ where: { batchId: batch.id } })).toBe(25);
  });
});
