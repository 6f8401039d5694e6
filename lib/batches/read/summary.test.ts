// The summary of a batch run end to end on the sandbox (real HTTP, the sync worker ingesting the
// results), checked against the stored Result rows themselves; a job of two batches adds up; the
// cost follows the team's price; and one GROUP BY over 50,000 results stays fast.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addPrice } from "@/lib/pricing/prices";
import { ctxOf } from "@/lib/teams/fixtures";
import { sql } from "@/lib/db/sql";
import { launchBatch } from "@/lib/batches/engine/launch";
import { launchBatchInput } from "@/lib/batches/schemas";
import { startSyncWorker } from "@/lib/batches/engine/worker";
import { summarizeBatches } from "./summary";
import { launchInput, makeFile, makeTeam, startEngine, until, type Engine } from "@/lib/batches/engine/fixtures";

let e: Engine;
beforeAll(async () => {
  e = await startEngine();
});
afterAll(() => e.close());

async function runBatch(t: Awaited<ReturnType<typeof makeTeam>>, n: number, failing: number[]) {
  const file = await makeFile(e, t.team.id, n, { failing });
  const { batchId } = await launchBatch(launchBatchInput.parse(launchInput(t.connection.id, file.id, { metadata: { sandbox_ms_per_request: "0" } })), t.ctx);
  const worker = startSyncWorker({ owner: `summary-${batchId}`, manual: true });
  await until(e, batchId, () => worker.runOnce());
  await worker.stop();
  return batchId;
}

describe("summarizeBatches", () => {
  it("adds up a sandbox batch's outcomes, error codes, tokens and cost from its stored results", async () => {
    const t = await makeTeam(e);
    const batchId = await runBatch(t, 30, [2, 7, 11]);
    const results = await e.h.prisma.result.findMany({ where: { batchId } });
    expect(results).toHaveLength(30);

    // The sandbox's test model is free: no cost, but a price (so nothing is "unpriced").
    const free = (await summarizeBatches(e.h.prisma, [batchId])).byBatch[batchId];
    expect(free.cost).toEqual([{ currency: "USD", amount: 0 }]);
    expect(free.unpricedResults).toBe(0);

    // The team's own price for the model on the sandbox replaces the built-in one.
    const owner = await ctxOf(e.h.prisma, t.user.id, t.team.id);
    await addPrice(e.h.prisma, owner, { providerKind: "sandbox", model: "batch-test-model", window: "", currency: "USD", inputPerMTok: 2, outputPerMTok: 8 });
    const { byBatch, total } = await summarizeBatches(e.h.prisma, [batchId]);
    const s = byBatch[batchId];

    const sum = (f: (r: (typeof results)[number]) => number | null) => results.reduce((a, r) => a + (f(r) ?? 0), 0);
    const prompt = sum((r) => r.promptTokens);
    const completion = sum((r) => r.completionTokens);
    const reasoning = sum((r) => r.reasoningTokens);
    expect(prompt).toBeGreaterThan(0);
    expect(reasoning).toBeGreaterThan(0); // every 5th sandbox answer "reasons"
    expect(s).toMatchObject({ results: 30, succeeded: 27, failed: 3, tokens: { prompt, completion, reasoning, total: prompt + completion }, unpricedResults: 0 });
    const codes = new Map<string | null, number>();
    for (const r of results.filter((x) => !x.succeeded)) codes.set(r.errorCode, (codes.get(r.errorCode) ?? 0) + 1);
    expect(s.errors).toEqual([...codes].map(([code, count]) => ({ code, count })));
    expect(s.errors[0].code).toBeTruthy();
    expect(s.cost).toHaveLength(1);
    expect(s.cost[0].currency).toBe("USD");
    expect(s.cost[0].amount).toBeCloseTo((prompt * 2 + completion * 8) / 1e6, 12);
    expect(s.lines[0]).toMatchObject({ providerKind: "sandbox", model: "batch-test-model", window: "24h", price: { origin: "team" } });
    expect(total).toMatchObject({ results: 30, succeeded: 27, failed: 3 });
  });

  it("sums a job's batches, and leaves unknown ids out", async () => {
    const t = await makeTeam(e);
    const a = await runBatch(t, 12, [0]);
    const b = await runBatch(t, 8, []);
    const { byBatch, total } = await summarizeBatches(e.h.prisma, [a, b, "no-such-batch"]);
    expect(Object.keys(byBatch).sort()).toEqual([a, b].sort());
    expect(total.results).toBe(20);
    expect(total.succeeded).toBe(byBatch[a].succeeded + byBatch[b].succeeded);
    expect(total.failed).toBe(1);
    expect(total.tokens.prompt).toBe(byBatch[a].tokens.prompt + byBatch[b].tokens.prompt);
    expect(total.batchIds.sort()).toEqual([a, b].sort());
    expect((await summarizeBatches(e.h.prisma, [])).total.results).toBe(0);
  });

  it("aggregates 50,000 results in one quick query, and says which results have no price", async () => {
    const t = await makeTeam(e);
    const file = await makeFile(e, t.team.id, 1, { models: ["some-model"] });
    const batch = await e.h.prisma.batch.create({
      data: { teamId: t.team.id, connectionId: t.connection.id, inputFileId: file.id, name: "big", endpoint: "/v1/chat/completions", completionWindow: "24h", idempotencyKey: `big-${batchIdSeed()}`, status: "COMPLETED" },
    });
    // An openai-kind connection: "some-model" has no OpenAI price.
    const conn = await e.h.prisma.providerConnection.create({ data: { teamId: t.team.id, kind: "openai", name: "OpenAI", baseUrl: "https://api.openai.com/v1", encryptedKey: "x", keyLast4: "x" } });
    await e.h.prisma.batch.update({ where: { id: batch.id }, data: { connectionId: conn.id } });
    await sql(e.h.prisma).exec(
      `INSERT INTO "Result" ("batchId", "customId", "succeeded", "errorCode", "model", "promptTokens", "completionTokens", "reasoningTokens", "raw", "line")
       SELECT $1, 'c' || g, g % 10 <> 0, CASE WHEN g % 10 = 0 THEN (CASE WHEN g % 20 = 0 THEN 'rate_limit' ELSE 'invalid_request' END) END,
              CASE WHEN g % 2 = 0 THEN 'gpt-4o-mini-2024-07-18' ELSE 'some-model' END,
              CASE WHEN g % 10 <> 0 THEN 100 END, CASE WHEN g % 10 <> 0 THEN 20 END, NULL, '{}'::jsonb, g
         FROM generate_series(1, 50000) g`,
      [batch.id],
    );
    const t0 = performance.now();
    const s = (await summarizeBatches(e.h.prisma, [batch.id])).total;
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(3000);
    expect(s).toMatchObject({ results: 50_000, succeeded: 45_000, failed: 5_000, errors: [{ code: "invalid_request", count: 2500 }, { code: "rate_limit", count: 2500 }] });
    expect(s.tokens).toMatchObject({ prompt: 4_500_000, completion: 900_000, reasoning: 0 });
    // Even rows ran gpt-4o-mini (priced by the built-in table; the failed ones, every 10th, have no
    // tokens); odd rows ran "some-model", which OpenAI has no price for: 25,000 results.
    expect(s.unpricedResults).toBe(25_000);
    const priced = s.lines.find((l) => l.model === "gpt-4o-mini-2024-07-18")!;
    expect(priced.price).toMatchObject({ model: "gpt-4o-mini*", inputPerMTok: 0.075 });
    expect(priced).toMatchObject({ results: 20_000, promptTokens: 2_000_000, completionTokens: 400_000 });
    expect(s.cost[0].amount).toBeCloseTo((2_000_000 * 0.075 + 400_000 * 0.3) / 1e6, 9);
    console.log(`summary of 50,000 results: ${ms.toFixed(0)} ms`);
  });
});

let seed = 0;
const batchIdSeed = () => `${Date.now()}-${seed++}`;
