// "Check now": the batch is due at once for the sync worker, at most once every 10 s after a poll,
// only for a batch still to check, and another team's batch is not found.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBatchInput } from "@/lib/batches/schemas";
import { launchBatch } from "@/lib/batches/engine/launch";
import { syncBatch } from "@/lib/batches/engine/sync";
import { claimDueBatches } from "@/lib/batches/engine/worker";
import { launchInput, makeFile, makeTeam, startEngine, type Engine } from "@/lib/batches/engine/fixtures";
import { CHECK_NOW_MIN_MS, checkBatchNow } from "./check-now";

let e: Engine;
beforeAll(async () => {
  e = await startEngine();
});
afterAll(() => e.close());

describe("checkBatchNow", () => {
  it("makes a running batch due now, once per 10 s after a poll; refuses an ended one and another team's", async () => {
    const t = await makeTeam(e);
    const file = await makeFile(e, t.team.id, 3);
    const { batchId } = await launchBatch(launchBatchInput.parse(launchInput(t.connection.id, file.id, { metadata: { sandbox_ms_per_request: "600000" } })), t.ctx);
    await syncBatch(e.h.prisma, batchId);
    // As if the provider's pace had scheduled it a minute away, polled 20 s ago.
    const polled = new Date(Date.now() - 20_000);
    await e.h.prisma.batch.update({ where: { id: batchId }, data: { lastPolledAt: polled, nextPollAt: new Date(Date.now() + 60_000) } });
    expect(await claimDueBatches(e.h.prisma, "check-now-a", 10, 60_000)).not.toContain(batchId);

    const out = await checkBatchNow(e.h.prisma, t.team.id, batchId);
    expect(new Date(out.nextPollAt).getTime()).toBeLessThanOrEqual(Date.now());
    expect(await claimDueBatches(e.h.prisma, "check-now-b", 10, 60_000)).toContain(batchId);
    await e.h.prisma.batch.update({ where: { id: batchId }, data: { leaseOwner: null, leaseUntil: null } });

    // Polled just now: not again for 10 s.
    await syncBatch(e.h.prisma, batchId);
    await expect(checkBatchNow(e.h.prisma, t.team.id, batchId)).rejects.toThrow(/^Checked with the provider (just now|\d+ s ago): try again in (9|10) s\.$/);
    const later = new Date(Date.now() + CHECK_NOW_MIN_MS + 100);
    await expect(checkBatchNow(e.h.prisma, t.team.id, batchId, later)).resolves.toMatchObject({ batchId });

    const other = await makeTeam(e);
    await expect(checkBatchNow(e.h.prisma, other.team.id, batchId)).rejects.toThrow("That batch was not found.");

    await e.h.prisma.batch.update({ where: { id: batchId }, data: { status: "COMPLETED", resultsIngestedAt: new Date(), nextPollAt: null, lastPolledAt: polled } });
    await expect(checkBatchNow(e.h.prisma, t.team.id, batchId)).rejects.toThrow(/has ended and its results are stored/);
  });
});
