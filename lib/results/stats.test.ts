// The counts and facets of a finished batch, computed once (stats.ts): the same figures as a count
// over the rows, kept after the first read, not recounted while kept, and dropped when results are
// stored or the batch is ingested again. On PGlite, and on PostgreSQL with TEST_DATABASE_URL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { storeResultLines } from "@/lib/batches/engine/ingest";
import { parseResultLine } from "@/lib/providers/openai-compatible/results";
import { createTestDb } from "@/lib/test/db";
import { browseResults, countResults, resultFacets } from "./browse";
import { errorLine, outputLine, sampleRows, seedBatch, seedTeam } from "./results.fixtures";

let h: DbHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => {
  await h?.close();
});

/** The figures as counted before this change: one GROUP BY per field, straight from the rows. */
async function reference(batchId: string) {
  const db = sql(h.prisma);
  const field = async (col: string) =>
    (
      await db.query<{ v: string; n: number }>(
        `SELECT "${col}" AS v, count(*)::int AS n FROM "Result" WHERE "batchId" = $1 AND "${col}" IS NOT NULL AND "${col}" <> '' GROUP BY 1`,
        [batchId],
      )
    )
      .map((r) => ({ value: r.v, n: Number(r.n) }))
      .sort((a, b) => b.n - a.n || a.value.localeCompare(b.value));
  const groups = await h.prisma.result.groupBy({ by: ["succeeded"], where: { batchId }, _count: { _all: true } });
  const succeeded = groups.find((g) => g.succeeded)?._count._all ?? 0;
  const failed = groups.find((g) => !g.succeeded)?._count._all ?? 0;
  return {
    counts: { all: succeeded + failed, succeeded, failed },
    facets: { codes: await field("errorCode"), finishReasons: await field("finishReason"), models: await field("model"), sourceColumns: null },
  };
}

const kept = async (batchId: string) => h.prisma.resultStats.findUnique({ where: { batchId } });

/** Changes rows behind the kept figures' back (no ingest): what a recount would see and a kept figure does not. */
async function relabel(batchId: string, model: string) {
  await sql(h.prisma).exec(`UPDATE "Result" SET "model" = $2 WHERE "batchId" = $1 AND "succeeded"`, [batchId, model]);
}

async function* linesOf(...lines: object[]) {
  for (const l of lines) yield JSON.stringify(l);
}

describe("result stats of a finished batch", () => {
  it("are the figures a count over the rows gives, kept once, the same JSON from the kept row", async () => {
    const t = await seedTeam(h.prisma, "stats");
    const { batch } = await seedBatch(h.prisma, t, sampleRows);
    // Vary the fields so that every facet has several values, with ties.
    await sql(h.prisma).exec(
      `UPDATE "Result" SET "finishReason" = CASE WHEN "id" % 3 = 0 THEN 'length' ELSE 'stop' END, "model" = CASE WHEN "id" % 2 = 0 THEN 'm-even' ELSE 'm-odd' END WHERE "batchId" = $1 AND "succeeded"`,
      [batch.id],
    );
    await sql(h.prisma).exec(`UPDATE "Result" SET "errorCode" = 'server_error' WHERE "batchId" = $1 AND NOT "succeeded" AND "id" % 2 = 0`, [batch.id]);
    const ref = await reference(batch.id);
    expect(await kept(batch.id)).toBeNull();

    const first = await resultFacets(h.prisma, batch.id);
    expect(first).toEqual(ref.facets);
    expect(await countResults(h.prisma, batch.id)).toEqual(ref.counts);
    expect(JSON.parse((await kept(batch.id))!.counts)).toEqual(ref.counts);

    const again = await resultFacets(h.prisma, batch.id);
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
    const m = first.models[0];
    expect((await browseResults(h.prisma, batch.id, { model: m.value, count: true, limit: 5 })).total).toBe(m.n);
    // Kept, not recounted: rows changed behind its back do not show.
    await relabel(batch.id, "sneaky");
    expect(await resultFacets(h.prisma, batch.id)).toEqual(first);
    // A filtered first page's count comes from the kept figures too (one outcome, one model)...
    await sql(h.prisma).exec(`UPDATE "Result" SET "succeeded" = false WHERE "batchId" = $1 AND "customId" = 'req-001'`, [batch.id]);
    expect((await browseResults(h.prisma, batch.id, { status: "failed", count: true, limit: 5 })).total).toBe(ref.counts.failed);
    // ...and a value the kept figures lack is counted.
    expect((await browseResults(h.prisma, batch.id, { model: "sneaky", count: true, limit: 5 })).total).toBe(ref.counts.succeeded);
  });

  it("are dropped when results are stored, and when the batch is ingested again", async () => {
    const t = await seedTeam(h.prisma, "stats-ingest");
    const rows = sampleRows.slice(0, 20);
    const { batch } = await seedBatch(h.prisma, t, [...rows, { customId: "late-1", prompt: "late" }, { customId: "late-2", prompt: "later" }]);
    const before = await countResults(h.prisma, batch.id);
    await resultFacets(h.prisma, batch.id);
    expect(await kept(batch.id)).not.toBeNull();

    // Results stored (a provider's late lines): the kept row goes, and the next read counts them.
    await storeResultLines(h.prisma, batch.id, linesOf(outputLine("late-1", "hello"), errorLine("late-2", "timeout", "slow")), { parse: parseResultLine });
    expect(await kept(batch.id)).toBeNull();
    const after = await countResults(h.prisma, batch.id);
    expect(after).toEqual({ all: before.all + 2, succeeded: before.succeeded + 1, failed: before.failed + 1 });
    expect((await resultFacets(h.prisma, batch.id)).codes.find((c) => c.value === "timeout")).toEqual({ value: "timeout", n: 1 });
    expect(await kept(batch.id)).not.toBeNull();

    // An ingest that ends sets a new resultsIngestedAt: the kept row is stale at once, whatever changed.
    await relabel(batch.id, "relabelled");
    expect((await resultFacets(h.prisma, batch.id)).models.map((x) => x.value)).not.toContain("relabelled");
    await h.prisma.batch.update({ where: { id: batch.id }, data: { resultsIngestedAt: new Date(Date.now() + 1000) } });
    expect((await resultFacets(h.prisma, batch.id)).models).toEqual([{ value: "relabelled", n: after.succeeded }]);
    expect(await countResults(h.prisma, batch.id)).toEqual(after);
  });

  it("are counted each time, and not kept, while the batch still receives results", async () => {
    const t = await seedTeam(h.prisma, "stats-running");
    const { batch } = await seedBatch(h.prisma, t, sampleRows.slice(0, 10), { status: "IN_PROGRESS", resultsIngestedAt: null });
    const ref = await reference(batch.id);
    expect(await countResults(h.prisma, batch.id)).toEqual(ref.counts);
    expect(await resultFacets(h.prisma, batch.id)).toEqual(ref.facets);
    expect(await kept(batch.id)).toBeNull();
    await relabel(batch.id, "live");
    expect((await resultFacets(h.prisma, batch.id)).models).toEqual([{ value: "live", n: ref.counts.succeeded }]);
    expect((await browseResults(h.prisma, batch.id, { model: "live", count: true, limit: 2 })).total).toBe(ref.counts.succeeded);
  });

  it("go with their batch", async () => {
    const t = await seedTeam(h.prisma, "stats-delete");
    const { batch } = await seedBatch(h.prisma, t, sampleRows.slice(0, 5));
    await resultFacets(h.prisma, batch.id);
    expect(await kept(batch.id)).not.toBeNull();
    await h.prisma.batch.delete({ where: { id: batch.id } });
    expect(await kept(batch.id)).toBeNull();
    expect(await resultFacets(h.prisma, batch.id)).toEqual({ codes: [], finishReasons: [], models: [], sourceColumns: null });
  });
});
