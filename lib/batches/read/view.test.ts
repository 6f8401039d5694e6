// One batch as its page shows it: another team's is not found; the view holds snapshots and result counts, as plain JSON.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { sampleRows, seedBatch, seedTeam } from "@/lib/results/results.fixtures";
import { getBatch, getBatchView } from "./view";

let h: DbHandle;
let teamA: Awaited<ReturnType<typeof seedTeam>>;
let teamB: Awaited<ReturnType<typeof seedTeam>>;
let batchId: string;
let otherBatchId: string;

beforeAll(async () => {
  h = await createTestDb();
  teamA = await seedTeam(h.prisma, "a");
  teamB = await seedTeam(h.prisma, "b");
  ({ batch: { id: batchId } } = await seedBatch(h.prisma, teamA, sampleRows));
  ({ batch: { id: otherBatchId } } = await seedBatch(h.prisma, teamB, sampleRows));
});

afterAll(async () => {
  await h?.close();
});

describe("batches of a team", () => {
  it("hides another team's batch", async () => {
    expect(await getBatch(h.prisma, teamA.team.id, otherBatchId)).toBeNull();
    expect(await getBatchView(h.prisma, teamA.team.id, otherBatchId)).toBeNull();
    expect(await getBatchView(h.prisma, teamB.team.id, otherBatchId)).not.toBeNull();
  });

  it("builds the batch page's view with snapshots and result counts", async () => {
    const t0 = Date.now() - 60_000;
    await h.prisma.batchSnapshot.createMany({
      data: [
        { batchId, at: new Date(t0), status: "VALIDATING", total: 120, completed: 0, failed: 0 },
        { batchId, at: new Date(t0 + 20_000), status: "IN_PROGRESS", total: 120, completed: 50, failed: 10 },
        { batchId, at: new Date(t0 + 40_000), status: "COMPLETED", total: 120, completed: 89, failed: 30 },
      ],
    });
    const v = await getBatchView(h.prisma, teamA.team.id, batchId);
    expect(v).toMatchObject({
      name: "Test batch",
      status: "COMPLETED",
      terminal: true,
      live: false,
      connection: { name: "Sandbox", kind: "sandbox", providerLabel: "Sandbox (built in)" },
      inputFile: { name: "questions.jsonl", requestCount: 120 },
      resultCounts: { all: 119, succeeded: 90, failed: 29 },
    });
    expect(v!.snapshots.map((s) => s.completed)).toEqual([0, 50, 89]);
    expect(v!.snapshots[0].at).toBe(new Date(t0).toISOString());
    // Plain JSON: what the page hands to react-query is what the route sends.
    expect(JSON.parse(JSON.stringify(v))).toEqual(v);
  });
});
