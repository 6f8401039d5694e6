// The overview's figures from seeded batches: active batches with an ETA from their snapshots,
// spend and tokens by day and dimension within the period, success rate and error codes, what
// finished since the member's last visit (and only once), the budget, each team's own.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { sampleRows, seedBatch, seedTeam } from "@/lib/results/results.fixtures";
import { overview, spendSeries } from "./overview";
import { periodRange } from "./period";

let h: DbHandle;
let a: Awaited<ReturnType<typeof seedTeam>>;
let b: Awaited<ReturnType<typeof seedTeam>>;
const NOW = new Date("2026-12-06T12:00:00Z");
const min = 60_000;
let runningId: string;

// 90 answered results of 20 + 6 tokens at $1,000 / $2,000 per million: $2.88 a batch (results.fixtures.ts).
const COST = (90 * 20 * 1000 + 90 * 6 * 2000) / 1e6;

beforeAll(async () => {
  h = await createTestDb();
  a = await seedTeam(h.prisma, "a");
  b = await seedTeam(h.prisma, "b");
  await h.prisma.price.create({ data: { teamId: a.team.id, providerKind: "sandbox", model: "batch-test-model", inputPerMTok: 1000, outputPerMTok: 2000 } });
  await seedBatch(h.prisma, a, sampleRows, { name: "Dec 1", createdAt: new Date("2026-12-01T09:00:00Z"), completedAt: new Date("2026-12-01T10:00:00Z") });
  const token = await h.prisma.apiToken.create({ data: { teamId: a.team.id, userId: a.user.id, name: "nightly", tokenHash: "h-overview", prefix: "bb_o" } });
  await seedBatch(h.prisma, a, sampleRows, { name: "Dec 4", createdAt: new Date("2026-12-04T09:00:00Z"), completedAt: new Date("2026-12-04T10:00:00Z"), source: "api", apiTokenId: token.id });
  await seedBatch(h.prisma, a, sampleRows, { name: "Long ago", createdAt: new Date("2026-09-01T09:00:00Z"), completedAt: new Date("2026-09-01T10:00:00Z") });
  await seedBatch(h.prisma, b, sampleRows, { name: "Other team's", createdAt: new Date("2026-12-04T09:00:00Z") });
  const running = await seedBatch(h.prisma, a, [{ customId: "x", prompt: "p" }], {
    name: "Running",
    createdAt: new Date(NOW.getTime() - 10 * min),
    status: "IN_PROGRESS",
    total: 1000,
    completed: 300,
    failed: 0,
    resultsIngestedAt: null,
    completedAt: null,
  });
  runningId = running.batch.id;
  await h.prisma.batchSnapshot.createMany({
    data: [0, 100, 200, 300].map((done, i) => ({ batchId: runningId, at: new Date(NOW.getTime() - (3 - i) * min), status: "IN_PROGRESS" as const, total: 1000, completed: done, failed: 0 })),
  });
  await h.prisma.team.update({ where: { id: a.team.id }, data: { monthlyBudget: 6 } });
});

afterAll(async () => {
  await h?.close();
});

describe("the overview", () => {
  it("shows active batches with progress and an ETA from their snapshots", async () => {
    const o = await overview(h.prisma, { teamId: a.team.id, userId: a.user.id }, "30d", "provider", NOW);
    expect(o.activeCount).toBe(1);
    expect(o.active[0]).toMatchObject({ id: runningId, status: "IN_PROGRESS", total: 1000, completed: 300 });
    expect(o.active[0].eta.perMinute).toBeCloseTo(100);
    expect(o.active[0].eta.range!.likely).toBe(NOW.getTime() + 7 * min);
  });

  it("sums spend and tokens per UTC day within the period, by provider, model, member or source", async () => {
    const o = await overview(h.prisma, { teamId: a.team.id, userId: a.user.id }, "30d", "provider", NOW);
    expect(o.spend).toEqual([
      { t: Date.parse("2026-12-01T00:00:00Z"), key: "sandbox", currency: "USD", cost: expect.closeTo(COST, 9), tokens: 90 * 26 },
      { t: Date.parse("2026-12-04T00:00:00Z"), key: "sandbox", currency: "USD", cost: expect.closeTo(COST, 9), tokens: 90 * 26 },
    ]);
    expect(o.labels).toEqual({ sandbox: "Sandbox (built in)" });
    expect(o.totals).toMatchObject({ batches: 3, tokens: 2 * 90 * 26, cost: [{ currency: "USD", amount: expect.closeTo(2 * COST, 9) }] });
    // 2 × 90 completed and 2 × 29 failed, and the running batch's 300 completed.
    expect(o.totals.successRate).toBeCloseTo((180 + 300) / (180 + 300 + 58), 9);
    expect(o.errors).toEqual([{ code: "rate_limit", count: 58 }]);
    expect(o.budget.team).toMatchObject({ budget: 6, level: "warning" });
    const byMember = await spendSeries(h.prisma, a.team.id, "90d", "member", NOW);
    expect(byMember.spend.map((s) => s.key)).toEqual([a.user.id, a.user.id]); // September is before the 90 days
    expect(byMember.labels).toEqual({ [a.user.id]: "User a" });
    const byModel = await spendSeries(h.prisma, a.team.id, "7d", "model", NOW);
    expect(byModel.spend.map((s) => s.t)).toEqual([Date.parse("2026-12-01T00:00:00Z"), Date.parse("2026-12-04T00:00:00Z")]); // from Nov 30
    expect(byModel.labels).toEqual({ "batch-test-model": "batch-test-model" });
    const bySource = await spendSeries(h.prisma, a.team.id, "30d", "source", NOW);
    expect(bySource.spend.map((s) => [s.t, bySource.labels[s.key]])).toEqual([
      [Date.parse("2026-12-01T00:00:00Z"), "Browser"],
      [Date.parse("2026-12-04T00:00:00Z"), "API: nightly"],
    ]);
    expect((await spendSeries(h.prisma, b.team.id, "30d", "provider", NOW)).spend.every((s) => s.cost === null)).toBe(true);
  });

  it("lists what finished since the member's last visit, once", async () => {
    const member = { teamId: a.team.id, userId: a.user.id };
    await h.prisma.membership.update({ where: { userId_teamId: { userId: a.user.id, teamId: a.team.id } }, data: { overviewSeenAt: new Date("2026-12-02T00:00:00Z") } });
    const first = await overview(h.prisma, member, "30d", "provider", NOW);
    expect(first.finished.since).toBe("2026-12-02T00:00:00.000Z");
    expect(first.finished.batches.map((f) => f.name)).toEqual(["Dec 4"]);
    await h.prisma.batch.updateMany({ where: { id: runningId }, data: { status: "FAILED", failedAt: new Date(NOW.getTime() + min) } });
    const again = await overview(h.prisma, member, "30d", "provider", new Date(NOW.getTime() + 2 * min));
    expect(again.finished.batches.map((f) => f.name)).toEqual(["Running"]);
    expect(again.active).toEqual([]);
  });

  it("starts the period on a bucket's boundary", () => {
    expect(periodRange("7d", NOW).from.toISOString()).toBe("2026-11-30T00:00:00.000Z");
    expect(periodRange("24h", NOW).from.toISOString()).toBe("2026-12-05T13:00:00.000Z");
    expect(periodRange("month", NOW).from.toISOString()).toBe("2026-12-01T00:00:00.000Z");
  });
});
