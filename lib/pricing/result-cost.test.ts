// The export's cost column: each result's own tokens at the team's price for its model on the
// batch's provider and window, on a batch run end to end on the sandbox.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { resultsCsv } from "@/lib/results/export";
import { launchBatch } from "@/lib/batches/engine/launch";
import { syncBatch } from "@/lib/batches/engine/sync";
import { launchInput, makeFile, makeTeam, startEngine, until, type Engine } from "@/lib/batches/engine/fixtures";
import { resultCostFor } from "./result-cost";

let e: Engine;
let t: Awaited<ReturnType<typeof makeTeam>>;
let batchId: string;

beforeAll(async () => {
  e = await startEngine();
  t = await makeTeam(e);
  const file = await makeFile(e, t.team.id, 6, { failing: [1] });
  ({ batchId } = await launchBatch(launchInput(t.connection.id, file.id) as never, t.ctx as never));
  await until(e, batchId, () => syncBatch(e.h.prisma, batchId));
}, 60_000);
afterAll(() => e?.close());

async function csvOf(cost: Awaited<ReturnType<typeof resultCostFor>>) {
  const chunks: Buffer[] = [];
  const opts = cost ? { prices: cost, costHeader: `cost_${cost.currency.toLowerCase()}` } : {};
  for await (const c of resultsCsv(e.h.prisma, batchId, {}, opts)) chunks.push(Buffer.from(c));
  return parse(Buffer.concat(chunks).toString("utf8"), { columns: true }) as Record<string, string>[];
}

describe("the cost of each result", () => {
  it("prices every answered result at the team's own price, in the price's currency", async () => {
    await e.h.prisma.price.create({ data: { teamId: t.team.id, providerKind: "sandbox", model: "batch-test-model", currency: "CNY", inputPerMTok: 2, outputPerMTok: 8 } });
    const cost = await resultCostFor(e.h.prisma, t.team.id, batchId);
    expect(cost?.currency).toBe("CNY");
    const rows = await csvOf(cost);
    expect(rows).toHaveLength(6);
    for (const r of rows) {
      if (r.prompt_tokens === "") expect(r.cost_cny).toBe("");
      else expect(Number(r.cost_cny)).toBeCloseTo((Number(r.prompt_tokens) * 2 + Number(r.completion_tokens) * 8) / 1e6, 8);
    }
    expect(rows.filter((r) => Number(r.cost_cny) > 0)).toHaveLength(5);
  });

  it("prices a result by the model it names, when the provider answers with its own name for it (a dated version)", async () => {
    const [first] = await e.h.prisma.result.findMany({ where: { batchId, succeeded: true }, orderBy: { id: "asc" }, take: 1 });
    await e.h.prisma.result.update({ where: { id: first.id }, data: { model: "batch-test-model-2026-12-01" } });
    await e.h.prisma.price.create({ data: { teamId: t.team.id, providerKind: "sandbox", model: "batch-test-model-*", currency: "CNY", inputPerMTok: 100, outputPerMTok: 100 } });
    const rows = await csvOf(await resultCostFor(e.h.prisma, t.team.id, batchId));
    const dated = rows.find((r) => r.custom_id === first.customId)!;
    expect(dated.model).toBe("batch-test-model-2026-12-01");
    expect(Number(dated.cost_cny)).toBeCloseTo(((first.promptTokens ?? 0) + (first.completionTokens ?? 0)) * 100 / 1e6, 8);
    // The others keep their own model's (exact) price.
    const other = rows.find((r) => r.custom_id !== first.customId && r.prompt_tokens !== "")!;
    expect(Number(other.cost_cny)).toBeCloseTo((Number(other.prompt_tokens) * 2 + Number(other.completion_tokens) * 8) / 1e6, 8);
  });

  it("has nothing to say for another team's batch", async () => {
    const other = await makeTeam(e);
    expect(await resultCostFor(e.h.prisma, other.team.id, batchId)).toBeNull();
  });
});
