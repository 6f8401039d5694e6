// The engine's notices, over the real sandbox: a batch that ends is recorded once however often it
// is synced; a 401 on a connection's key once per key; a batch already over when imported not at all.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptSecret } from "@/lib/crypto";
import { launchBatchInput } from "@/lib/batches/schemas";
import { launchBatch } from "./launch";
import { syncBatch } from "./sync";
import { startSyncWorker } from "./worker";
import { launchInput, makeFile, makeTeam, until, type Engine, startEngine } from "./fixtures";

let e: Engine;
beforeAll(async () => {
  e = await startEngine();
});
afterAll(() => e.close());

const eventsOf = (teamId: string) => e.h.prisma.notificationEvent.findMany({ where: { teamId }, orderBy: { createdAt: "asc" } });

describe("engine notices", () => {
  it("records a completed batch once, in the owner's inbox, however many times it is synced", async () => {
    const t = await makeTeam(e);
    const file = await makeFile(e, t.team.id, 4, { failing: [1] });
    const { batchId } = await launchBatch(launchBatchInput.parse(launchInput(t.connection.id, file.id, { metadata: { sandbox_ms_per_request: "20" } })), t.ctx);
    expect(await eventsOf(t.team.id)).toEqual([]);
    const a = startSyncWorker({ owner: "n-a", manual: true });
    const b = startSyncWorker({ owner: "n-b", manual: true });
    const done = await until(e, batchId, () => Promise.all([a.runOnce(), b.runOnce()]));
    expect(done.status).toBe("COMPLETED");
    // Synced again (a retried pass, another instance): nothing more is recorded.
    expect(await syncBatch(e.h.prisma, batchId)).not.toHaveProperty("error");
    await syncBatch(e.h.prisma, batchId);
    await Promise.all([a.stop(), b.stop()]);
    const events = await eventsOf(t.team.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "batch.completed", key: `batch:${batchId}`, link: `/batches/${batchId}` });
    expect(events[0].body).toContain("3 of 4 requests succeeded, 1 failed");
    const inbox = await e.h.prisma.notification.findMany({ where: { teamId: t.team.id } });
    expect(inbox.map((n) => [n.userId, n.eventId])).toEqual([[t.user.id, events[0].id]]);
  });

  it("records a refused key once per key, for the team's admins, and again after the key is replaced and refused", async () => {
    const t = await makeTeam(e);
    const file = await makeFile(e, t.team.id, 2);
    const { batchId } = await launchBatch(launchBatchInput.parse(launchInput(t.connection.id, file.id)), t.ctx);
    // The provider now refuses the key (as after a revoked key): the sandbox answers 401 to a wrong one.
    await e.h.prisma.providerConnection.update({ where: { id: t.connection.id }, data: { encryptedKey: encryptSecret("sk-revoked-0000") } });
    await syncBatch(e.h.prisma, batchId);
    await syncBatch(e.h.prisma, batchId);
    let events = (await eventsOf(t.team.id)).filter((x) => x.type === "connection.key_refused");
    expect(events).toHaveLength(1);
    expect(events[0].title).toContain(t.connection.name);
    expect(events[0].body).toMatch(/Replace the key/);
    expect(JSON.stringify(events[0])).not.toContain("sk-revoked");
    await e.h.prisma.providerConnection.update({ where: { id: t.connection.id }, data: { encryptedKey: encryptSecret("sk-revoked-1111"), keyVersion: { increment: 1 } } });
    await syncBatch(e.h.prisma, batchId);
    events = (await eventsOf(t.team.id)).filter((x) => x.type === "connection.key_refused");
    expect(events).toHaveLength(2);
  });

  it("records nothing for a batch that was already over when imported", async () => {
    const t = await makeTeam(e);
    const file = await makeFile(e, t.team.id, 2);
    const b = await e.h.prisma.batch.create({
      data: { teamId: t.team.id, connectionId: t.connection.id, inputFileId: file.id, name: "old", endpoint: "/v1/chat/completions", completionWindow: "24h", idempotencyKey: `imp-${batchKey()}`, status: "COMPLETED", importedAt: new Date(), total: 2, completed: 2, providerBatchId: "batch_missing" },
    });
    await e.h.prisma.batchSnapshot.create({ data: { batchId: b.id, status: "COMPLETED", total: 2, completed: 2, failed: 0 } });
    const { noticeBatchEnded } = await import("./notices");
    await e.h.prisma.$transaction((tx) => noticeBatchEnded(tx, b.id));
    expect(await eventsOf(t.team.id)).toEqual([]);
  });

  it("records a job as done once, when its last planned part ends", async () => {
    const t = await makeTeam(e);
    const file = await makeFile(e, t.team.id, 4);
    const job = await e.h.prisma.job.create({ data: { teamId: t.team.id, name: "Split eval", inputFileId: file.id, plannedParts: 2 } });
    const part = (n: number, status: "IN_PROGRESS" | "COMPLETED") =>
      e.h.prisma.batch.create({
        data: { teamId: t.team.id, connectionId: t.connection.id, inputFileId: file.id, name: `part ${n}`, endpoint: "/v1/chat/completions", completionWindow: "24h", idempotencyKey: `job-${batchKey()}`, status, jobId: job.id, jobPart: n, total: 2, completed: 2 },
      });
    const [a, b] = [await part(1, "COMPLETED"), await part(2, "IN_PROGRESS")];
    const { noticeBatchEnded } = await import("./notices");
    await e.h.prisma.$transaction((tx) => noticeBatchEnded(tx, a.id));
    expect((await eventsOf(t.team.id)).map((x) => x.type)).toEqual(["batch.completed"]);
    await e.h.prisma.batch.update({ where: { id: b.id }, data: { status: "FAILED", completed: 0, failed: 2 } });
    await e.h.prisma.$transaction((tx) => noticeBatchEnded(tx, b.id));
    await e.h.prisma.$transaction((tx) => noticeBatchEnded(tx, b.id));
    const events = await eventsOf(t.team.id);
    expect(events.map((x) => x.type).sort()).toEqual(["batch.completed", "batch.failed", "job.done"]);
    expect(events.find((x) => x.type === "job.done")).toMatchObject({ key: `job:${job.id}`, body: "All 2 parts have ended: 1 completed, 1 failed.", link: `/jobs/${job.id}` });
  });
});

let k = 0;
const batchKey = () => `${Date.now()}-${++k}`;
