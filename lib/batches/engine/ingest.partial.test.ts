// storeResultLines, the piece partial reads and the final ingest share: a line still being written at
// the end of an early answer is not counted as read, so the next read takes it again, whole.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { parseResultLine as parse } from "@/lib/providers/openai-compatible/results";
import { storeResultLines } from "./ingest";
import { outputLine, seedBatch, seedTeam } from "@/lib/results/results.fixtures";

let h: DbHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(() => h?.close());

async function* lines(...l: string[]) {
  yield* l;
}

describe("storeResultLines", () => {
  it("counts lines up to the last stored one, and stores each custom_id once across re-reads", async () => {
    const t = await seedTeam(h.prisma, "store");
    const ids = ["a", "b", "c", "d"];
    const { batch } = await seedBatch(h.prisma, t, ids.map((customId) => ({ customId, prompt: `p ${customId}` })), { resultsIngestedAt: null, resultCount: 0 });
    const line = (id: string) => JSON.stringify(outputLine(id, `answer ${id}`));

    // An early answer cut inside its last line: two stored, the cut one left for the next read.
    const cut = line("c").slice(0, 30);
    const first = await storeResultLines(h.prisma, batch.id, lines(line("a"), "", line("b"), cut), { chunkSize: 1, parse });
    expect(first).toEqual({ done: true, lines: 3, settledLines: 2, skippedLines: 1 });

    // A line that is not a result, followed by one that is, counts as read: it will not get better.
    const next = await storeResultLines(h.prisma, batch.id, lines(line("b"), line("c"), "garbage", line("d")), { parse });
    expect(next).toEqual({ done: true, lines: 4, settledLines: 4, skippedLines: 1 });
    const rows = await h.prisma.result.findMany({ where: { batchId: batch.id }, orderBy: { line: "asc" } });
    expect(rows.map((r) => r.customId)).toEqual(ids);

    // A lost lease stops before writing the rest.
    const lost = await storeResultLines(h.prisma, batch.id, lines(line("a")), { lease: { lost: () => true }, parse });
    expect(lost.done).toBe(false);
  });
});
