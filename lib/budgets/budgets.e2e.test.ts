// Budgets over real batches: launched on the sandbox over HTTP, synced to their end, their results
// rolled up into BatchUsage at the team's prices; this month's spend against the team's and a
// connection's budget, each threshold announced once, and a launch beyond what is left refused in
// the launch path itself (no row, no call to the provider) once an admin chose to refuse.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBatch } from "@/lib/batches/engine/launch";
import { syncBatch } from "@/lib/batches/engine/sync";
import { launchBatchInput } from "@/lib/batches/schemas";
import { launchInput, makeFile, makeTeam, startEngine, until, type Engine } from "@/lib/batches/engine/fixtures";
import { UserError } from "@/lib/errors";
import { refreshUsage } from "@/lib/usage/rollup";
import { announceThresholds, budgetStatus, checkLaunchBudget, launchEstimate, monthBounds } from "./budgets";
import { onBudgetThreshold, type BudgetThresholdEvent } from "./events";
import { afterLaunch } from "./levels";
import { checkBudgets } from "./watcher";

let e: Engine;
beforeAll(async () => {
  e = await startEngine();
});
afterAll(() => e?.close());

/** A team whose sandbox answers cost $1,000 per million input tokens and $2,000 per million output. */
async function pricedTeam() {
  const t = await makeTeam(e);
  await e.h.prisma.price.create({ data: { teamId: t.team.id, providerKind: "sandbox", model: "batch-test-model", inputPerMTok: 1000, outputPerMTok: 2000 } });
  return t;
}

async function runBatch(t: Awaited<ReturnType<typeof makeTeam>>, n: number) {
  const file = await makeFile(e, t.team.id, n);
  const { batchId } = await launchBatch(launchBatchInput.parse(launchInput(t.connection.id, file.id, { metadata: { sandbox_ms_per_request: "1" } })), t.ctx);
  await until(e, batchId, () => syncBatch(e.h.prisma, batchId));
  return { batchId, file };
}

const usageCost = async (batchId: string) => {
  const rows = await e.h.prisma.batchUsage.findMany({ where: { batchId } });
  return rows.reduce((a, r) => a + (r.cost ?? 0), 0);
};

describe("usage roll-up", () => {
  it("rolls a finished batch's results up once, at the team's price, and again only after it changes", async () => {
    const t = await pricedTeam();
    const { batchId } = await runBatch(t, 6);
    expect(await refreshUsage(e.h.prisma, t.team.id)).toBe(1);
    const [u] = await e.h.prisma.batchUsage.findMany({ where: { batchId } });
    expect(u).toMatchObject({ model: "batch-test-model", results: 6, currency: "USD" });
    expect(Number(u.promptTokens)).toBeGreaterThan(0);
    expect(u.cost).toBeCloseTo((Number(u.promptTokens) * 1000 + Number(u.completionTokens) * 2000) / 1e6, 9);
    expect(await refreshUsage(e.h.prisma, t.team.id)).toBe(0);
    await e.h.prisma.batch.update({ where: { id: batchId }, data: { name: "renamed" } });
    expect(await refreshUsage(e.h.prisma, t.team.id)).toBe(1);
    expect(await e.h.prisma.batchUsage.count({ where: { batchId } })).toBe(1);
  });
});

describe("budgets", () => {
  it("counts this month's spend against the team's and a connection's budget, with levels and the rest apart", async () => {
    const t = await pricedTeam();
    const { batchId } = await runBatch(t, 4);
    const other = await runBatch(t, 4);
    // Launched last month: not this month's spend.
    await e.h.prisma.batch.update({ where: { id: other.batchId }, data: { createdAt: new Date(monthBounds(new Date()).from.getTime() - 3600_000) } });
    await refreshUsage(e.h.prisma, t.team.id);
    const cost = await usageCost(batchId);
    expect(cost).toBeGreaterThan(0);
    await e.h.prisma.team.update({ where: { id: t.team.id }, data: { monthlyBudget: cost / 0.85 } });
    await e.h.prisma.providerConnection.update({ where: { id: t.connection.id }, data: { monthlyBudget: cost / 2 } });
    const s = await budgetStatus(e.h.prisma, t.team.id);
    expect(s.spent).toBeCloseTo(cost, 9);
    expect(s.team).toMatchObject({ level: "warning", connectionId: null });
    expect(s.team!.percent).toBeCloseTo(85, 6);
    expect(s.connections).toEqual([expect.objectContaining({ connectionId: t.connection.id, level: "over", left: 0 })]);
    // Spend priced in another currency is not converted into the budget's.
    await e.h.prisma.team.update({ where: { id: t.team.id }, data: { budgetCurrency: "EUR" } });
    const eur = await budgetStatus(e.h.prisma, t.team.id);
    expect(eur.spent).toBe(0);
    expect(eur.otherCurrencies).toEqual([{ currency: "USD", amount: expect.closeTo(cost, 9) }]);
  });

  it("announces each threshold once a month", async () => {
    const t = await pricedTeam();
    const { batchId } = await runBatch(t, 4);
    await refreshUsage(e.h.prisma, t.team.id);
    const cost = await usageCost(batchId);
    await e.h.prisma.team.update({ where: { id: t.team.id }, data: { monthlyBudget: cost / 0.9 } });
    const heard: BudgetThresholdEvent[] = [];
    const off = onBudgetThreshold((teamId, ev) => void (teamId === t.team.id && heard.push(ev)));
    try {
      expect(await announceThresholds(e.h.prisma, t.team.id, await budgetStatus(e.h.prisma, t.team.id))).toBe(1);
      expect(await announceThresholds(e.h.prisma, t.team.id, await budgetStatus(e.h.prisma, t.team.id))).toBe(0);
      expect(heard).toEqual([expect.objectContaining({ type: "budget.threshold", threshold: 80, scope: { team: true }, currency: "USD" })]);
      expect(heard[0].message).toMatch(/^The team has spent \$[\d.]+ of its \$[\d.]+ monthly budget \(90%\)\.$/);
      await runBatch(t, 2);
      await announceThresholds(e.h.prisma, t.team.id, await budgetStatus(e.h.prisma, t.team.id));
      expect(heard.map((h) => h.threshold)).toEqual([80, 100]);
      // Each announcement is a notification of the team (the bell, email and webhooks read these).
      const events = await e.h.prisma.notificationEvent.findMany({ where: { teamId: t.team.id, type: "budget.threshold" }, orderBy: { createdAt: "asc" } });
      expect(events.map((x) => x.title)).toEqual(["The team: 80% of the monthly budget reached", "The team: 100% of the monthly budget reached"]);
    } finally {
      off();
    }
  });

  it("is checked for every team with a budget without anyone opening a page", async () => {
    const t = await pricedTeam();
    const { batchId } = await runBatch(t, 3);
    const heard: BudgetThresholdEvent[] = [];
    const off = onBudgetThreshold((teamId, ev) => void (teamId === t.team.id && heard.push(ev)));
    try {
      // A connection's budget alone is enough; the watcher rolls the new batch up itself.
      await e.h.prisma.providerConnection.update({ where: { id: t.connection.id }, data: { monthlyBudget: 0.000001 } });
      expect(await e.h.prisma.batchUsage.count({ where: { batchId } })).toBe(0);
      expect(await checkBudgets(e.h.prisma)).toBeGreaterThanOrEqual(1);
      expect(heard.map((h) => [h.threshold, h.scope])).toEqual([
        [80, { connectionId: t.connection.id, name: "Sandbox" }],
        [100, { connectionId: t.connection.id, name: "Sandbox" }],
      ]);
      await checkBudgets(e.h.prisma);
      expect(heard).toHaveLength(2);
    } finally {
      off();
    }
  });

  it("refuses a launch beyond what is left in the launch path once refusal is chosen, with the figures", async () => {
    const t = await pricedTeam();
    const { batchId, file } = await runBatch(t, 4);
    await refreshUsage(e.h.prisma, t.team.id);
    const spent = await usageCost(batchId);
    const estimate = (await launchEstimate(e.h.prisma, t.team.id, { fileId: file.id, connectionKind: "sandbox", window: "24h" }, "USD"))!;
    expect(estimate).toBeGreaterThan(0);
    // Room for less than one more such batch.
    await e.h.prisma.team.update({ where: { id: t.team.id }, data: { monthlyBudget: spent + estimate / 2 } });
    const launch = () => launchBatch(launchBatchInput.parse(launchInput(t.connection.id, file.id)), t.ctx);
    // Warned, not refused, until an admin chooses to refuse.
    const status = await budgetStatus(e.h.prisma, t.team.id);
    expect(afterLaunch(status, t.connection.id, estimate)[0]).toMatchObject({ levelAfter: "over", refused: false });
    const allowed = await launch();
    await until(e, allowed.batchId, () => syncBatch(e.h.prisma, allowed.batchId));

    await e.h.prisma.team.update({ where: { id: t.team.id }, data: { budgetEnforce: true, monthlyBudget: 1_000_000 } });
    await e.h.prisma.providerConnection.update({ where: { id: t.connection.id }, data: { monthlyBudget: (await budgetStatus(e.h.prisma, t.team.id)).spent + estimate / 2 } });
    const before = { batches: await e.h.prisma.batch.count({ where: { teamId: t.team.id } }), calls: e.calls.length };
    const err = await launch().catch((x: unknown) => x);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/^Launch refused: this batch is estimated at \$[\d.,]+, and only \$[\d.,]+ is left of the connection Sandbox's monthly budget of \$[\d.,]+ \(\$[\d.,]+ spent in \d{4}-\d{2}\)/);
    expect(await e.h.prisma.batch.count({ where: { teamId: t.team.id } })).toBe(before.batches);
    expect(e.calls.length).toBe(before.calls);
    // A free dry run is never refused; a used-up budget refuses whatever the estimate.
    await expect(checkLaunchBudget(e.h.prisma, t.team.id, { fileId: file.id, connectionId: t.connection.id, connectionKind: "sandbox", window: "24h", dryRun: true })).resolves.toBeUndefined();
    await e.h.prisma.providerConnection.update({ where: { id: t.connection.id }, data: { monthlyBudget: 0.000001 } });
    await expect(launch()).rejects.toThrow(/monthly budget of \$[\d.]+ is used up/);
    // Refusal off again: the same launch goes through.
    await e.h.prisma.team.update({ where: { id: t.team.id }, data: { budgetEnforce: false } });
    await expect(launch()).resolves.toMatchObject({ created: true });
  });
});
