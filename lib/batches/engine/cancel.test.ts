import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserError } from "@/lib/errors";
import { cancelBatch } from "./cancel";
import { launchBatch } from "./launch";
import { launchBatchInput } from "@/lib/batches/schemas";
import { startSyncWorker } from "./worker";
import { launchInput, makeFile, makeTeam, sleep, startEngine, until, type Engine } from "./fixtures";

let e: Engine;
beforeAll(async () => {
  e = await startEngine();
});
afterAll(() => e.close());

describe("cancelBatch", () => {
  it("cancels at the provider, then the worker syncs to the end and ingests the partial results", async () => {
    const t = await makeTeam(e);
    const file = await makeFile(e, t.team.id, 40, { failing: [1] });
    const input = launchBatchInput.parse(launchInput(t.connection.id, file.id, { metadata: { sandbox_ms_per_request: "50" } }));
    const { batchId } = await launchBatch(input, t.ctx);
    const worker = startSyncWorker({ owner: "cancel-test", manual: true });
    // Let some requests finish first (validation takes 250 ms, then one request per 50 ms).
    for (let i = 0; i < 60; i++) {
      await worker.runOnce();
      const b = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: batchId } });
      if (b.completed >= 5) break;
      await sleep(20);
    }

    // Another team cannot see it, let alone cancel it.
    const stranger = await makeTeam(e);
    await expect(cancelBatch(stranger.ctx, batchId)).rejects.toThrow("That batch was not found.");

    const out = await cancelBatch(t.ctx, batchId);
    expect(["CANCELLING", "CANCELLED"]).toContain(out.status);
    const b1 = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: batchId } });
    expect(b1.status).toBe(out.status);
    expect(b1.cancellingAt).not.toBeNull();
    expect(b1.nextPollAt!.getTime()).toBeLessThanOrEqual(Date.now());
    const snaps = await e.h.prisma.batchSnapshot.findMany({ where: { batchId }, orderBy: { id: "desc" }, take: 1 });
    expect(snaps[0].status).toBe(out.status);
    expect(await e.h.prisma.auditEvent.count({ where: { targetId: batchId, action: "batch.cancelled", actorId: t.user.id } })).toBe(1);
    // A second click changes nothing.
    expect((await cancelBatch(t.ctx, batchId)).status).toBe(b1.status);

    const b = await until(e, batchId, () => worker.runOnce());
    await worker.stop();
    expect(b.status).toBe("CANCELLED");
    expect(b.cancelledAt).not.toBeNull();
    const done = b.completed + b.failed;
    expect(done).toBeGreaterThanOrEqual(5);
    expect(done).toBeLessThan(40);
    expect(b.resultCount).toBe(done);
    const results = await e.h.prisma.result.findMany({ where: { batchId } });
    expect(results).toHaveLength(done);
    expect(results.filter((r) => !r.succeeded).map((r) => r.customId)).toEqual(["req-0002"]);

    await expect(cancelBatch(t.ctx, batchId)).resolves.toMatchObject({ status: "CANCELLED" });
  });

  it("refuses to cancel a batch that has ended", async () => {
    const t = await makeTeam(e);
    const file = await makeFile(e, t.team.id, 2);
    const { batchId } = await launchBatch(launchBatchInput.parse(launchInput(t.connection.id, file.id, { metadata: { sandbox_ms_per_request: "0" } })), t.ctx);
    const worker = startSyncWorker({ owner: "cancel-test-2", manual: true });
    await until(e, batchId, () => worker.runOnce());
    await worker.stop();
    const err = await cancelBatch(t.ctx, batchId).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe("This batch has already ended (completed).");
  });
});
