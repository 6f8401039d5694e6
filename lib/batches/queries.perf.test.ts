// Timing of the results page at the benchmark's size (50,000 rows). Slow to seed, so opt-in:
// PERF=1 npx vitest run lib/batches/queries.perf.test.ts
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { queryResults } from "./queries";
import { seedBatch, seedTeam, type SeedRow } from "./queries.fixtures";

const N = 50_000;
let h: DbHandle;
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
