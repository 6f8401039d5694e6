// Comparing two batches that really ran: input files stored as the upload stores them, launched on
// the built-in Sandbox over HTTP, synced and ingested by the worker, then compared. The sandbox's
// test model echoes the prompt, so an edited prompt is a changed answer; "[fail]" and
// sandbox_fail_every make one side or both fail; the model name differs per file.
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBatch } from "@/lib/batches/engine/launch";
import { launchBatchInput } from "@/lib/batches/schemas";
import { startSyncWorker } from "@/lib/batches/engine/worker";
import { launchInput, makeTeam, startEngine, until, type Engine } from "@/lib/batches/engine/fixtures";
import { compareBatches } from "./compare";
import { compareCsv } from "./csv";
import { compareRows, decodeCursor, encodeCursor } from "./rows";
import type { CompareInput, CompareRow, Comparison } from "./types";

let e: Engine;
let t: Awaited<ReturnType<typeof makeTeam>>;

/** An input file of these (custom_id, prompt) pairs, every body on `model`. */
async function makeInput(name: string, model: string, lines: [string, string][]) {
  const file = await e.h.prisma.inputFile.create({
    data: {
      teamId: t.team.id,
      name,
      format: "jsonl",
      bytes: BigInt(lines.length * 120),
      lineCount: lines.length,
      requestCount: lines.length,
      endpoint: "/v1/chat/completions",
      models: [model],
      status: "valid",
    },
  });
  await e.h.prisma.request.createMany({
    data: lines.map(([customId, prompt], i) => ({
      fileId: file.id,
      line: i + 1,
      customId,
      model,
      prompt,
      body: { model, messages: [{ role: "user", content: prompt }] },
    })),
  });
  return file;
}

async function run(fileId: string, name: string, metadata: Record<string, string> = {}) {
  const input = launchBatchInput.parse(launchInput(t.connection.id, fileId, { name, metadata: { sandbox_ms_per_request: "0", ...metadata } }));
  const { batchId } = await launchBatch(input, t.ctx);
  const worker = startSyncWorker({ owner: `compare-${name}`, manual: true });
  const b = await until(e, batchId, () => worker.runOnce());
  await worker.stop();
  expect(b.status).toBe("COMPLETED");
  return batchId;
}

async function allRows(cmp: CompareInput, query: Parameters<typeof compareRows>[2] = {}) {
  const out: CompareRow[] = [];
  let after: string | null = null;
  for (let i = 0; i < 100; i++) {
    const page = await compareRows(e.h.prisma, cmp, { ...query, after });
    out.push(...page.rows);
    if (!page.next) return out;
    after = page.next;
  }
  throw new Error("pages never ended");
}

/** Token sums of one batch, straight from its rows. */
async function tokensOf(batchId: string) {
  const s = await e.h.prisma.result.aggregate({ where: { batchId }, _sum: { promptTokens: true, completionTokens: true, reasoningTokens: true } });
  return { prompt: s._sum.promptTokens ?? 0, completion: s._sum.completionTokens ?? 0, reasoning: s._sum.reasoningTokens ?? 0 };
}

const q = (i: number) => `q-${String(i).padStart(2, "0")}`;
const base = (i: number) => `Question ${i}: what is ${i} times ${i}?`;

beforeAll(async () => {
  e = await startEngine();
  t = await makeTeam(e);
}, 60_000);
afterAll(() => e.close());

describe("compare two batches on different inputs and models", () => {
  let cmp: Comparison;
  let aId: string;
  let bId: string;

  beforeAll(async () => {
    // A: q-01..q-10, q-03 fails; q-06's prompt starts with "=" (a formula to a spreadsheet).
    const aLines: [string, string][] = Array.from({ length: 10 }, (_, k) => {
      const i = k + 1;
      if (i === 3) return [q(i), `[fail] ${base(i)}`];
      if (i === 6) return [q(i), `=HYPERLINK("http://x.test") ${base(i)}`];
      return [q(i), base(i)];
    });
    // B: q-01..q-09 with q-02 and q-05 reworded, q-03 and q-04 failing, no q-10, and q-11, q-12 of its own.
    const bLines: [string, string][] = [
      ...aLines.slice(0, 9).map(([id, p], k): [string, string] => {
        const i = k + 1;
        if (i === 2 || i === 5) return [id, `${base(i)} Please answer briefly.`];
        if (i === 4) return [id, `[fail] ${p}`];
        return [id, p];
      }),
      [q(11), base(11)],
      [q(12), base(12)],
    ];
    const fa = await makeInput("a.jsonl", "model-alpha", aLines);
    const fb = await makeInput("b.jsonl", "model-beta", bLines);
    aId = await run(fa.id, "Alpha");
    bId = await run(fb.id, "Beta");
    cmp = (await compareBatches(e.h.prisma, t.team.id, aId, bId))!;
  }, 180_000);

  it("counts shared, changed, only-in and failed rows", () => {
    expect(cmp.sameInput).toBe(false);
    expect(cmp.a).toMatchObject({ id: aId, name: "Alpha", inputFile: { name: "a.jsonl", models: ["model-alpha"] } });
    expect(cmp.b).toMatchObject({ id: bId, name: "Beta", inputFile: { name: "b.jsonl" } });
    const s = cmp.summary;
    expect(s).toMatchObject({
      shared: 9,
      bothAnswered: 7, // q-01, 02, 05, 06, 07, 08, 09
      changed: 2, // q-02, q-05
      same: 5,
      onlyA: 1,
      onlyB: 2,
      bothFailed: 1, // q-03
      failedInA: 0,
      failedInB: 1, // q-04
      oneFailed: 1,
      counts: { all: 12, changed: 2, same: 5, one_failed: 1, both_failed: 1, only_a: 1, only_b: 2 },
    });
    expect(s.changedShare).toBeCloseTo(2 / 7, 10);
  });

  it("prices each side's tokens at the team's prices, and says B minus A", async () => {
    // The built-in table prices the sandbox at nothing.
    expect(cmp.summary.cost).toEqual({ currency: "USD", a: 0, b: 0, diff: 0 });
    // The team's own prices for the two models.
    await e.h.prisma.price.createMany({
      data: [
        { teamId: t.team.id, providerKind: "sandbox", model: "model-alpha", inputPerMTok: 1, outputPerMTok: 2 },
        { teamId: t.team.id, providerKind: "sandbox", model: "model-beta", inputPerMTok: 3, outputPerMTok: 4 },
      ],
    });
    const [ta, tb] = [await tokensOf(aId), await tokensOf(bId)];
    const cost = (await compareBatches(e.h.prisma, t.team.id, aId, bId))!.summary.cost!;
    const a = (ta.prompt * 1 + ta.completion * 2) / 1e6;
    const b = (tb.prompt * 3 + tb.completion * 4) / 1e6;
    expect(cost.currency).toBe("USD");
    expect(cost.a).toBeCloseTo(a, 7);
    expect(cost.b).toBeCloseTo(b, 7);
    expect(cost.diff).toBeCloseTo(b - a, 7);
    await e.h.prisma.price.deleteMany({ where: { teamId: t.team.id } });
  });

  it("adds up each side's tokens and their difference", async () => {
    const [ta, tb] = [await tokensOf(aId), await tokensOf(bId)];
    const s = cmp.summary;
    expect(s.tokens.a).toMatchObject(ta);
    expect(s.tokens.b).toMatchObject(tb);
    expect(s.tokens.a.prompt).toBeGreaterThan(0);
    expect(s.tokens.diff).toMatchObject({ prompt: tb.prompt - ta.prompt, completion: tb.completion - ta.completion, reasoning: tb.reasoning - ta.reasoning });
    expect(s.tokens.diff.total).toBe(s.tokens.b.total - s.tokens.a.total);
    // Like for like: the rewording adds prompt tokens on the rows both answered.
    expect(s.sharedTokens.diff.prompt).toBeGreaterThan(0);
    expect(s.sharedTokens.a.prompt).toBeLessThan(s.tokens.a.prompt);
  });

  it("aligns rows by custom_id in input order: A's lines, then what only B has", async () => {
    const rows = await allRows(cmp);
    expect(rows.map((r) => r.customId)).toEqual([...Array.from({ length: 10 }, (_, k) => q(k + 1)), q(11), q(12)]);
    const by = Object.fromEntries(rows.map((r) => [r.customId, r]));
    expect(by[q(1)]).toMatchObject({ line: 1, changed: false, prompt: base(1), promptB: null });
    expect(by[q(1)].a).toMatchObject({ succeeded: true, model: "model-alpha" });
    expect(by[q(1)].b).toMatchObject({ succeeded: true, model: "model-beta" });
    expect(by[q(1)].a!.content).toBe(by[q(1)].b!.content);
    expect(by[q(2)]).toMatchObject({ changed: true, prompt: base(2), promptB: `${base(2)} Please answer briefly.` });
    expect(by[q(2)].b!.content).toContain("Please answer briefly");
    expect(by[q(2)].a!.content).not.toContain("Please answer briefly");
    expect(by[q(3)]).toMatchObject({ changed: null, a: { succeeded: false, statusCode: 400 }, b: { succeeded: false } });
    expect(by[q(3)].a!.errorCode).toBeTruthy();
    expect(by[q(4)]).toMatchObject({ changed: null, a: { succeeded: true }, b: { succeeded: false } });
    expect(by[q(10)]).toMatchObject({ line: 10, b: null, changed: null });
    expect(by[q(11)]).toMatchObject({ line: 10, a: null, prompt: base(11), promptB: null }); // line 10 of B's file
    expect(by[q(11)].b).toMatchObject({ succeeded: true, model: "model-beta" });
    // Token counts per side are the rows' own.
    const stored = await e.h.prisma.result.findFirstOrThrow({ where: { batchId: bId, customId: q(2) } });
    expect(by[q(2)].b).toMatchObject({ promptTokens: stored.promptTokens, completionTokens: stored.completionTokens });
  });

  it("pages by keyset without repeating or skipping a row, whatever the page size", async () => {
    const whole = (await allRows(cmp)).map((r) => r.customId);
    for (const pageSize of [1, 3, 4, 10, 11, 12]) {
      expect((await allRows(cmp, { pageSize })).map((r) => r.customId)).toEqual(whole);
      // Without the summary (which lets a page skip an empty section), the same rows.
      expect((await allRows({ a: cmp.a, b: cmp.b, sameInput: cmp.sameInput }, { pageSize })).map((r) => r.customId)).toEqual(whole);
    }
    const first = await compareRows(e.h.prisma, cmp, { pageSize: 10 });
    expect(first.rows).toHaveLength(10);
    expect(decodeCursor(first.next)).toMatchObject({ section: "a", line: 10 });
    const second = await compareRows(e.h.prisma, cmp, { pageSize: 10, after: first.next });
    expect(second.rows.map((r) => r.customId)).toEqual([q(11), q(12)]);
    expect(second.next).toBeNull();
    // The last page ends exactly at the end: no empty page after it.
    const exact = await compareRows(e.h.prisma, cmp, { pageSize: 12 });
    expect(exact.next).toBeNull();
    // A cursor that is not ours is refused by name (the page shows why), not silently started over.
    await expect(compareRows(e.h.prisma, cmp, { pageSize: 2, after: "x'; drop" })).rejects.toThrow(/^The parameter "after" is not a position in this comparison/);
  });

  it("filters changed, same, one side failed, both failed, only in A or B, and searches", async () => {
    const ids = async (query: Parameters<typeof compareRows>[2]) => (await allRows(cmp, { pageSize: 2, ...query })).map((r) => r.customId);
    expect(await ids({ filter: "changed" })).toEqual([q(2), q(5)]);
    expect(await ids({ filter: "same" })).toEqual([q(1), q(6), q(7), q(8), q(9)]);
    expect(await ids({ filter: "one_failed" })).toEqual([q(4)]);
    expect(await ids({ filter: "both_failed" })).toEqual([q(3)]);
    expect(await ids({ filter: "only_a" })).toEqual([q(10)]);
    expect(await ids({ filter: "only_b" })).toEqual([q(11), q(12)]);
    expect(await ids({ q: "answer briefly" })).toEqual([q(2), q(5)]); // in B's answers
    expect(await ids({ q: "Q-1" })).toEqual([q(10), q(11), q(12)]); // custom_id, either side
    expect(await ids({ q: "7 times 7" })).toEqual([q(7)]); // prompt
    expect(await ids({ filter: "changed", q: "5 times" })).toEqual([q(5)]);
    expect(await ids({ q: "100%" })).toEqual([]); // % is text, not a wildcard
  });

  it("exports the comparison as formula-safe CSV, filter respected", async () => {
    const text = async (s: NodeJS.ReadableStream) => {
      let out = "";
      for await (const c of s) out += c.toString();
      return out;
    };
    const all = parse(await text(compareCsv(e.h.prisma, cmp, {}, { pageSize: 5 })), { columns: true }) as Record<string, string>[];
    expect(all.map((r) => r.custom_id)).toEqual([...Array.from({ length: 10 }, (_, k) => q(k + 1)), q(11), q(12)]);
    const six = all.find((r) => r.custom_id === q(6))!;
    expect(six.prompt).toBe(`'=HYPERLINK("http://x.test") ${base(6)}`);
    expect(all.find((r) => r.custom_id === q(2))).toMatchObject({ status_a: "succeeded", status_b: "succeeded", changed: "yes", model_a: "model-alpha", model_b: "model-beta" });
    expect(all.find((r) => r.custom_id === q(4))).toMatchObject({ status_b: "failed", changed: "" });
    expect(all.find((r) => r.custom_id === q(4))!.error_b).toMatch(/\S/);
    expect(all.find((r) => r.custom_id === q(10))).toMatchObject({ status_b: "missing" });
    const changed = parse(await text(compareCsv(e.h.prisma, cmp, { filter: "changed" })), { columns: true }) as Record<string, string>[];
    expect(changed.map((r) => r.custom_id)).toEqual([q(2), q(5)]);
  });

  it("finds nothing of another team: either batch of another team is not found", async () => {
    const other = await makeTeam(e);
    expect(await compareBatches(e.h.prisma, other.team.id, aId, bId)).toBeNull();
    expect(await compareBatches(e.h.prisma, t.team.id, aId, "no-such-batch")).toBeNull();
    // The other team's own batch, compared with ours from either side.
    const f = await e.h.prisma.inputFile.create({
      data: { teamId: other.team.id, name: "o.jsonl", format: "jsonl", bytes: BigInt(1), endpoint: "/v1/chat/completions", models: [], status: "valid" },
    });
    const theirs = await e.h.prisma.batch.create({
      data: { teamId: other.team.id, connectionId: other.connection.id, inputFileId: f.id, name: "Theirs", endpoint: "/v1/chat/completions", completionWindow: "24h", idempotencyKey: `k-${Date.now()}`, status: "COMPLETED" },
    });
    expect(await compareBatches(e.h.prisma, t.team.id, aId, theirs.id)).toBeNull();
    expect(await compareBatches(e.h.prisma, t.team.id, theirs.id, bId)).toBeNull();
    expect(await compareBatches(e.h.prisma, other.team.id, theirs.id, theirs.id)).not.toBeNull();
  });
});

describe("compare two runs of the same input", () => {
  it("finds no changed answer, and counts the rows one run failed", async () => {
    const lines: [string, string][] = Array.from({ length: 12 }, (_, k) => [q(k + 1), base(k + 1)]);
    const f = await makeInput("same.jsonl", "batch-test-model", lines);
    const aId = await run(f.id, "Run 1");
    const bId = await run(f.id, "Run 2", { sandbox_fail_every: "4" }); // lines 4, 8, 12 fail in B
    const cmp = (await compareBatches(e.h.prisma, t.team.id, aId, bId))!;
    expect(cmp.sameInput).toBe(true);
    expect(cmp.summary).toMatchObject({ shared: 12, bothAnswered: 9, changed: 0, changedShare: 0, failedInB: 3, failedInA: 0, onlyA: 0, onlyB: 0 });
    // Same prompts, same answers: B's totals are A's minus the three failed rows.
    expect(cmp.summary.sharedTokens.diff).toMatchObject({ prompt: 0, completion: 0, reasoning: 0 });
    expect(cmp.summary.tokens.diff.prompt).toBeLessThan(0);
    const failed = await allRows(cmp, { filter: "one_failed" });
    expect(failed.map((r) => r.customId)).toEqual([q(4), q(8), q(12)]);
    expect(failed.every((r) => r.promptB === null && r.prompt !== null)).toBe(true);
    // Compared with itself: every answered row is the same.
    const self = (await compareBatches(e.h.prisma, t.team.id, aId, aId))!;
    expect(self.summary).toMatchObject({ shared: 12, changed: 0, same: 12, onlyA: 0, onlyB: 0 });
  }, 180_000);

  it("round-trips cursors", () => {
    for (const c of [{ section: "a" as const, line: 3, id: "17" }, { section: "b" as const, line: null, id: "9007199254740993" }]) {
      expect(decodeCursor(encodeCursor(c))).toEqual(c);
    }
    expect(decodeCursor(null)).toBeNull();
    expect(decodeCursor("")).toBeNull();
    // Not ours: a 400 naming the parameter, not a fresh start (nor a bigint out of range).
    for (const bad of ["c.1.2", "a.1.99999999999999999999", "a.1.9223372036854775808", "a.-1.2"]) expect(() => decodeCursor(bad)).toThrow(/^The parameter "after" is not a position/);
  });
});
