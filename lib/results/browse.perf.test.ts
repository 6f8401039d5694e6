// Timing of the results page at the benchmark's size (50,000 rows). Slow to seed, so opt-in:
// PERF=1 npx vitest run lib/results/browse.perf.test.ts
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { createTestDb } from "@/lib/test/db";
import { browseResults, queryResults, resultFacets } from "./browse";
import { seedBatch, seedTeam, type SeedRow } from "./results.fixtures";

const N = 50_000;
let h: DbHandle;
let h2: DbHandle;
let batchId: string;

describe.skipIf(!process.env.PERF)("results page at 50,000 rows", () => {
  beforeAll(async () => {
    h = await createTestDb();
    const t = await seedTeam(h.prisma, "perf");
    // Stored in a shuffled order, as providers return them.
    const order = Array.from({ length: N }, (_, i) => i).sort((a, b) => ((a * 7919) % N) - ((b * 7919) % N));
    const rows: SeedRow[] = order.map((i) => ({
      customId: `id-${i}`,
      prompt: `Question number ${i} about something fairly ordinary, with enough words to look like a prompt.`,
      result: i % 20 === 0 ? { ok: false, code: "server_error", message: "boom" } : { ok: true, content: `Answer ${i}: `.padEnd(400, "lorem ipsum ") },
    }));
    const t0 = performance.now();
    ({ batch: { id: batchId } } = await seedBatch(h.prisma, t, rows));
    console.log(`seeded ${N} in ${Math.round(performance.now() - t0)} ms`);
  }, 600_000);

  afterAll(async () => {
    await h?.close();
  });

  it("answers each kind of page quickly", async () => {
    const cases = [
      { page: 1 },
      { page: 500 },
      { page: 1000 },
      { status: "failed" as const },
      { status: "failed" as const, page: 50 },
      { q: "number 4999" },
      { q: "nothing matches this" },
    ];
    for (const c of cases) {
      await queryResults(h.prisma, batchId, c); // warm
      const t0 = performance.now();
      const r = await queryResults(h.prisma, batchId, c);
      const ms = performance.now() - t0;
      console.log(JSON.stringify(c), `${Math.round(ms)} ms`, r.total, r.rows[0]?.customId);
      expect(r.rows.length).toBe(Math.min(50, Math.max(0, r.total - (r.page - 1) * 50)));
      // Loose bounds that catch a lost index, not a slow machine: a search reads every row.
      expect(ms).toBeLessThan(c.q ? 5000 : 1000);
    }
  });
});

// The results browser's reads at 50,000 rows, each with its plan, on PGlite (default) or PostgreSQL
// (TEST_DATABASE_URL). PERF=1 npx vitest run lib/results/browse.perf.test.ts
describe.skipIf(!process.env.PERF)("results browser at 50,000 rows: timings and plans", () => {
  let id: string;
  beforeAll(async () => {
    h2 = await createTestDb();
    const t = await seedTeam(h2.prisma, "perf2");
    const rows: SeedRow[] = Array.from({ length: N }, (_, i) => ({
      customId: `id-${i}`,
      prompt: `Question number ${i} about something fairly ordinary, with enough words to look like a prompt.`,
      result: i % 20 === 0 ? { ok: false, code: i % 40 ? "server_error" : "rate_limit", message: "boom" } : { ok: true, content: `Answer ${i}: `.padEnd(400, "lorem ipsum ") },
    }));
    ({ batch: { id } } = await seedBatch(h2.prisma, t, rows));
    // As ingest leaves them: lines, varied counts, a few finish reasons and two models.
    await sql(h2.prisma).exec(
      `UPDATE "Result" r SET "line" = q."line",
         "promptTokens" = CASE WHEN r."succeeded" THEN 10 + q."line" % 500 END,
         "completionTokens" = CASE WHEN r."succeeded" THEN 5 + (q."line" * 7) % 300 END,
         "totalTokens" = CASE WHEN r."succeeded" THEN 15 + q."line" % 500 + (q."line" * 7) % 300 END,
         "finishReason" = CASE WHEN NOT r."succeeded" THEN NULL WHEN q."line" % 97 = 0 THEN 'length' ELSE 'stop' END,
         "model" = CASE WHEN q."line" % 2 = 0 THEN 'model-a' ELSE 'model-b' END
       FROM "Request" q, "Batch" b WHERE b."id" = $1 AND r."batchId" = b."id" AND q."fileId" = b."inputFileId" AND q."customId" = r."customId"`,
      [id],
    );
    await sql(h2.prisma).exec(`ANALYZE "Result"`);
    await sql(h2.prisma).exec(`ANALYZE "Request"`);
  }, 600_000);

  afterAll(async () => {
    await h2?.close();
  });

  it("answers every filter and sort quickly, and shows how", async () => {
    const deep = await (async () => {
      // A cursor 40,000 rows in: keyset pages cost the same however deep.
      let after: string | null = null;
      for (let i = 0; i < 4; i++) after = (await browseResults(h2.prisma, id, { after, limit: 500 })).nextCursor;
      return after;
    })();
    const cases: [string, () => Promise<unknown>][] = [
      ["first page, counted", () => browseResults(h2.prisma, id, { count: true })],
      ["page 2,000 rows in", () => browseResults(h2.prisma, id, { after: deep })],
      ["status failed, counted", () => browseResults(h2.prisma, id, { status: "failed", count: true })],
      ["error code, counted", () => browseResults(h2.prisma, id, { code: "rate_limit", count: true })],
      ["finish reason length, counted", () => browseResults(h2.prisma, id, { finish: "length", count: true })],
      ["model, counted", () => browseResults(h2.prisma, id, { model: "model-a", count: true })],
      ["search, counted", () => browseResults(h2.prisma, id, { q: "number 4999", count: true })],
      ["search nothing, counted", () => browseResults(h2.prisma, id, { q: "nothing matches this", count: true })],
      ["sort -total_tokens", () => browseResults(h2.prisma, id, { sort: "-total_tokens" })],
      ["sort prompt_tokens + failed", () => browseResults(h2.prisma, id, { sort: "prompt_tokens", status: "succeeded" })],
      ["facets", () => resultFacets(h2.prisma, id)],
    ];
    const db = sql(h2.prisma);
    for (const [name, run] of cases) {
      await run(); // warm
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        await run();
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      // The plans of the statements the case sends.
      const spy = vi.spyOn(db, "query");
      await run();
      const statements = spy.mock.calls.map(([s]) => s as { text: string; values: readonly unknown[] });
      spy.mockRestore();
      const plans: string[] = [];
      for (const s of statements) {
        const rows = await db.query<{ "QUERY PLAN": string }>(`EXPLAIN ANALYZE ${s.text}`, s.values);
        plans.push(rows.map((r) => r["QUERY PLAN"]).join("\n"));
      }
      console.log(`\n=== ${name}: p50 ${times[2].toFixed(1)} ms, max ${times[4].toFixed(1)} ms\n${plans.join("\n---\n")}`);
      expect(times[2]).toBeLessThan(name.startsWith("search") ? 5000 : 2000);
    }
  }, 600_000);
});
