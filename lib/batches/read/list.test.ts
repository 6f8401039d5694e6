// The team's batch list: newest first, paged, each team's own.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { sampleRows, seedBatch, seedTeam } from "@/lib/results/results.fixtures";
import { listBatches } from "./list";

let h: DbHandle;
let teamA: Awaited<ReturnType<typeof seedTeam>>;
let teamB: Awaited<ReturnType<typeof seedTeam>>;
let otherBatchId: string;

beforeAll(async () => {
  h = await createTestDb();
  teamA = await seedTeam(h.prisma, "a");
  teamB = await seedTeam(h.prisma, "b");
  await seedBatch(h.prisma, teamA, sampleRows);
  ({ batch: { id: otherBatchId } } = await seedBatch(h.prisma, teamB, sampleRows));
});

afterAll(async () => {
  await h?.close();
});

describe("batches of a team", () => {
  it("lists newest first, paginated, with connection and creator", async () => {
    for (let i = 0; i < 3; i++) {
      await seedBatch(h.prisma, teamA, [{ customId: "x", prompt: "p" }], { name: `Later ${i}`, createdAt: new Date(Date.now() + (i + 1) * 1000), status: "IN_PROGRESS", resultsIngestedAt: null });
    }
    const p1 = await listBatches(h.prisma, teamA.team.id, { page: 1, pageSize: 2 });
    expect(p1.total).toBe(4);
    expect(p1.pageCount).toBe(2);
    expect(p1.rows.map((r) => r.name)).toEqual(["Later 2", "Later 1"]);
    expect(p1.rows[0]).toMatchObject({ connection: { name: "Sandbox", kind: "sandbox" }, createdBy: "User a", status: "IN_PROGRESS", live: true });
    const p2 = await listBatches(h.prisma, teamA.team.id, { page: 2, pageSize: 2 });
    expect(p2.rows.map((r) => r.name)).toEqual(["Later 0", "Test batch"]);
    expect(p2.rows[1].live).toBe(false);
    expect((await listBatches(h.prisma, teamB.team.id)).rows.map((r) => r.id)).toEqual([otherBatchId]);
  });

  it("says where each batch came from and filters by it", async () => {
    const t = await seedTeam(h.prisma, "src");
    const token = await h.prisma.apiToken.create({ data: { teamId: t.team.id, userId: t.user.id, name: "nightly", tokenHash: "h-src", prefix: "bb_x" } });
    await seedBatch(h.prisma, t, [{ customId: "x", prompt: "p" }], { name: "From the form" });
    await seedBatch(h.prisma, t, [{ customId: "x", prompt: "p" }], { name: "From a script", source: "api", apiTokenId: token.id, createdAt: new Date(Date.now() + 1000) });
    await seedBatch(h.prisma, t, [{ customId: "x", prompt: "p" }], { name: "From history", source: "import", importedAt: new Date(), createdAt: new Date(Date.now() + 2000) });
    const all = await listBatches(h.prisma, t.team.id);
    expect(all.rows.map((r) => [r.name, r.source, r.token])).toEqual([
      ["From history", "import", null],
      ["From a script", "api", "nightly"],
      ["From the form", "browser", null],
    ]);
    for (const source of ["browser", "api", "import"] as const) {
      const one = await listBatches(h.prisma, t.team.id, { source });
      expect(one.total).toBe(1);
      expect(one.rows[0].source).toBe(source);
    }
  });
});
