// Queued job parts over real HTTP against the sandbox: a job whose parts exceed the connection's
// enqueued-token or unfinished-batch limit launches what fits and queues the rest with the reason;
// the worker's turn (runDueQueues) launches each as room frees, and two launchers at once (two
// instances) launch a part once; a scheduled launch waits for its time; a queued part can be
// cancelled; a part that could never fit is refused before anything is kept.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "@/lib/generated/prisma/client";
import { rangeTokens } from "@/lib/tokens/file";
import { getJobView } from "./read/job-view";
import { cancelJob, launchJob, launchOrQueue } from "./jobs";
import { cancelQueuedPart, runConnectionQueue, runDueQueues, takeConnection, waitReason } from "./queue";
import { launchBatchInput, launchJobInput } from "./schemas";
import { customConnection, launchInput, makeFile, makeTeam, startEngine, until, type Engine } from "@/lib/batches/engine/fixtures";
import { syncBatch } from "@/lib/batches/engine/sync";
import { startSyncWorker } from "@/lib/batches/engine/worker";

let e: Engine;
beforeAll(async () => {
  e = await startEngine();
});
afterAll(() => e.close());
afterEach(() => {
  e.intercept.fn = undefined;
});

async function setup(queueLimits: Prisma.InputJsonValue | undefined, limits: Prisma.InputJsonValue = { maxRequests: 4 }) {
  const t = await makeTeam(e);
  return { ...t, connection: await customConnection(e, t, { limits, ...(queueLimits ? { queueLimits } : {}) }) };
}

const jobInputFor = (connectionId: string, fileId: string, extra: Record<string, unknown> = {}) =>
  launchJobInput.parse(launchInput(connectionId, fileId, { name: "Translations", metadata: { sandbox_ms_per_request: "3" }, ...extra }));
const sentBatches = () => e.calls.filter((c) => c.method === "POST" && c.route === "batches").length;
const finish = (batchId: string) => until(e, batchId, () => syncBatch(e.h.prisma, batchId));
const queued = (jobId: string) => e.h.prisma.queuedPart.findMany({ where: { jobId }, orderBy: { part: "asc" } });

describe("the enqueued-token limit of a model", () => {
  it("launches the parts that fit, queues the rest with the tokens it waits for, and launches it when a part ends", async () => {
    // Parts of 100 requests (about 1,100 tokens each): limits are at least 1,000 tokens.
    const { ctx, team, connection } = await setup(undefined, { maxRequests: 100 });
    const file = await makeFile(e, team.id, 250);
    const [t1, t2, t3] = await rangeTokens(e.h.prisma, file.id, file.endpoint, [
      { fromLine: 1, toLine: 100 },
      { fromLine: 101, toLine: 200 },
      { fromLine: 201, toLine: 250 },
    ]);
    const per = (t: Record<string, number>) => t["batch-test-model"];
    expect(per(t3)).toBeGreaterThan(500);
    // Room for parts 1 and 2 together, not for part 3 as well.
    const limit = per(t1) + per(t2) + Math.floor(per(t3) / 2);
    await e.h.prisma.providerConnection.update({ where: { id: connection.id }, data: { queueLimits: { enqueuedTokens: { "batch-test-model": limit } } } });

    const before = sentBatches();
    const out = await launchJob(jobInputFor(connection.id, file.id), ctx);
    expect(out).toMatchObject({ launched: 2, parts: 3, queued: 1 });
    expect(sentBatches() - before).toBe(2);
    const over = per(t1) + per(t2) + per(t3) - limit;
    expect(out.waiting).toMatch(new RegExp(`^waiting for ${over} enqueued tokens of batch-test-model to free up`));
    const launched = await e.h.prisma.batch.findMany({ where: { jobId: out.jobId }, orderBy: { jobPart: "asc" } });
    expect(launched.map((b) => b.enqueuedTokens)).toEqual([t1, t2]);
    expect((await queued(out.jobId)).map((p) => [p.part, p.fromLine, p.toLine, p.state])).toEqual([[3, 201, 250, "queued"]]);

    // The job page says what waits and why.
    const view = await getJobView(e.h.prisma, team.id, out.jobId);
    expect(view!.queued).toMatchObject([{ part: 3, fromLine: 201, toLine: 250, requests: 50, state: "queued", reason: out.waiting }]);

    // Still no room: the worker's turn launches nothing and says why again.
    await e.h.prisma.queuedPart.updateMany({ where: { jobId: out.jobId }, data: { nextCheckAt: new Date(0) } });
    expect(await runDueQueues(e.h.prisma, "instance-a")).toBe(0);
    expect(sentBatches() - before).toBe(2);

    // Part 1 ends: its tokens free up, and the next turn launches part 3 with its lines.
    await finish(launched[0].id);
    await e.h.prisma.queuedPart.updateMany({ where: { jobId: out.jobId }, data: { nextCheckAt: new Date(0) } });
    expect(await runDueQueues(e.h.prisma, "instance-a")).toBe(1);
    expect(sentBatches() - before).toBe(3);
    expect(await queued(out.jobId)).toEqual([]);
    const third = await e.h.prisma.batch.findFirstOrThrow({ where: { jobId: out.jobId, jobPart: 3 } });
    expect([third.fromLine, third.toLine, third.total, third.enqueuedTokens]).toEqual([201, 250, 50, t3]);
    const done = await finish(third.id);
    expect(done.status).toBe("COMPLETED");
  });

  it("refuses a part that could never fit, naming the model and its limit, and keeps no job", async () => {
    const { ctx, team, connection } = await setup({ enqueuedTokens: { "batch-test-model": 1000 } });
    const file = await makeFile(e, team.id, 300, {});
    await e.h.prisma.providerConnection.update({ where: { id: connection.id }, data: { limits: { maxRequests: 200 } } });
    const before = sentBatches();
    await expect(launchJob(jobInputFor(connection.id, file.id), ctx)).rejects.toThrow(/Part 1 of 2 needs about [\d,]+ input tokens of batch-test-model, over Acme's enqueued-token limit of 1,000/);
    expect(sentBatches()).toBe(before);
    expect(await e.h.prisma.job.count({ where: { teamId: team.id } })).toBe(0);
  });
});

describe("the unfinished-batch limit", () => {
  it("queues parts behind it, and two instances at once launch the next part once", async () => {
    const { ctx, team, connection } = await setup({ maxUnfinished: 1 });
    const file = await makeFile(e, team.id, 10);
    const before = sentBatches();
    const out = await launchJob(jobInputFor(connection.id, file.id), ctx);
    expect(out).toMatchObject({ launched: 1, parts: 3, queued: 2, waiting: "waiting for unfinished batches < 1 on Acme (1 unfinished now)" });
    // Part 3 waits behind part 2 (parts launch in order); part 2 says why.
    expect((await queued(out.jobId)).map((p) => [p.part, p.reason])).toEqual([
      [2, out.waiting],
      [3, null],
    ]);

    const first = await e.h.prisma.batch.findFirstOrThrow({ where: { jobId: out.jobId } });
    await finish(first.id);
    await e.h.prisma.queuedPart.updateMany({ where: { jobId: out.jobId }, data: { nextCheckAt: new Date(0) } });
    // Two instances take their turn at the same moment: one holds the connection, one part goes.
    const [a, b] = await Promise.all([runDueQueues(e.h.prisma, "instance-a"), runDueQueues(e.h.prisma, "instance-b")]);
    expect(a + b).toBe(1);
    expect(sentBatches() - before).toBe(2);
    expect(await e.h.prisma.batch.count({ where: { jobId: out.jobId } })).toBe(2);
    expect((await queued(out.jobId)).map((p) => p.part)).toEqual([3]);
  });

  it("a launcher holding the connection keeps another out until it lets go or its lease runs out", async () => {
    const { connection } = await setup({ maxUnfinished: 1 });
    expect(await takeConnection(e.h.prisma, connection.id, "one", 60_000)).toBe(true);
    expect(await runConnectionQueue(e.h.prisma, connection.id, { owner: "two" })).toBeUndefined();
    expect(await takeConnection(e.h.prisma, connection.id, "two", 60_000)).toBe(false);
    await e.h.prisma.providerConnection.update({ where: { id: connection.id }, data: { queueLeaseUntil: new Date(Date.now() - 1) } });
    expect(await takeConnection(e.h.prisma, connection.id, "two", 60_000)).toBe(true);
  });
});

describe("a single batch", () => {
  it("over the room left waits as a job of one part and launches under its own name when room frees", async () => {
    const { ctx, team, connection } = await setup({ maxUnfinished: 1 });
    const a = await makeFile(e, team.id, 3);
    const b = await makeFile(e, team.id, 2);
    const one = await launchOrQueue(launchBatchInput.parse(launchInput(connection.id, a.id, { name: "First" })), ctx);
    expect(one).toMatchObject({ created: true });
    const input = launchBatchInput.parse(launchInput(connection.id, b.id, { name: "Second" }));
    const two = await launchOrQueue(input, ctx);
    expect(two).toMatchObject({ queued: true, waiting: "waiting for unfinished batches < 1 on Acme (1 unfinished now)" });
    // The same form sent again answers the same queued job, and sends nothing.
    const sent = sentBatches();
    expect(await launchOrQueue(input, ctx)).toEqual(two);
    expect(sentBatches()).toBe(sent);

    await finish((one as { batchId: string }).batchId);
    await e.h.prisma.queuedPart.updateMany({ where: { teamId: team.id }, data: { nextCheckAt: new Date(0) } });
    expect(await runDueQueues(e.h.prisma, "instance-a")).toBe(1);
    const batch = await e.h.prisma.batch.findFirstOrThrow({ where: { jobId: (two as { jobId: string }).jobId } });
    expect([batch.name, batch.total, batch.fromLine, batch.toLine]).toEqual(["Second", 2, 1, 2]);
    const remote = await e.h.prisma.sandboxBatch.findFirstOrThrow({ where: { id: batch.providerBatchId! } });
    expect((remote.metadata as Record<string, string>).name).toBe("Second");
  });

  it("scheduled for later is stored and sent only when its time comes; a connection without limits launches at once", async () => {
    const { ctx, team, connection } = await setup(undefined);
    const file = await makeFile(e, team.id, 3);
    const now = await launchOrQueue(launchBatchInput.parse(launchInput(connection.id, file.id)), ctx);
    expect(now).toMatchObject({ created: true });
    expect(await e.h.prisma.batch.findUniqueOrThrow({ where: { id: (now as { batchId: string }).batchId } })).toMatchObject({ jobId: null, enqueuedTokens: null });

    const at = new Date(Date.now() + 3600_000);
    const before = sentBatches();
    const later = await launchOrQueue(launchBatchInput.parse(launchInput(connection.id, file.id, { name: "Nightly", startAt: at.toISOString() })), ctx);
    expect(later).toMatchObject({ queued: true, startAt: at.toISOString() });
    const jobId = (later as { jobId: string }).jobId;
    expect((await queued(jobId)).map((p) => [p.state, p.startAt.toISOString()])).toEqual([["queued", at.toISOString()]]);
    expect((await getJobView(e.h.prisma, team.id, jobId))!.queued[0]).toMatchObject({ startAt: at.toISOString(), reason: null });
    expect(await runDueQueues(e.h.prisma, "instance-a")).toBe(0);
    expect(sentBatches()).toBe(before);

    // Its time comes (a restart in between changes nothing: it is a row).
    await e.h.prisma.queuedPart.updateMany({ where: { jobId }, data: { startAt: new Date(Date.now() - 1000) } });
    expect(await runDueQueues(e.h.prisma, "instance-b")).toBe(1);
    expect(sentBatches()).toBe(before + 1);
    expect(await e.h.prisma.batch.findFirstOrThrow({ where: { jobId } })).toMatchObject({ name: "Nightly", total: 3 });
  });

  it("refuses a start time too far ahead and a scheduled dry run", () => {
    const far = new Date(Date.now() + 31 * 24 * 3600_000).toISOString();
    const r = launchBatchInput.safeParse(launchInput("c", "f", { startAt: far }));
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]).toMatchObject({ path: ["startAt"], message: "Start at most 30 days from now." });
    expect(launchBatchInput.safeParse(launchInput("c", "f", { startAt: "tomorrow-ish" })).error!.issues[0].message).toBe("Start at must be a date and time.");
  });
});

describe("the worker", () => {
  it("launches a due part on its tick (alsoEachTick), whichever instance runs it, and syncs it as any batch", async () => {
    const { ctx, team, connection } = await setup(undefined);
    const file = await makeFile(e, team.id, 2);
    const later = await launchOrQueue(launchBatchInput.parse(launchInput(connection.id, file.id, { name: "Tick", startAt: new Date(Date.now() + 3600_000).toISOString() })), ctx);
    const jobId = (later as { jobId: string }).jobId;
    // One instance ticks and stops (a restart): nothing was due.
    const first = startSyncWorker({ manual: true, prisma: e.h.prisma, owner: "before-restart", alsoEachTick: (p, owner) => runDueQueues(p, owner) });
    await first.runOnce();
    await first.stop();
    expect(await e.h.prisma.batch.count({ where: { jobId } })).toBe(0);
    await e.h.prisma.queuedPart.updateMany({ where: { jobId }, data: { startAt: new Date(Date.now() - 1) } });
    const second = startSyncWorker({ manual: true, prisma: e.h.prisma, owner: "after-restart", alsoEachTick: (p, owner) => runDueQueues(p, owner) });
    expect(await second.runOnce()).toBeGreaterThanOrEqual(1);
    const batch = await e.h.prisma.batch.findFirstOrThrow({ where: { jobId } });
    const done = await until(e, batch.id, () => second.runOnce());
    await second.stop();
    expect(done).toMatchObject({ status: "COMPLETED", resultCount: 2 });
  });
});

describe("cancel", () => {
  it("a queued part never launches; another team cannot cancel it; cancelling the job cancels what waits", async () => {
    const { ctx, team, connection } = await setup({ maxUnfinished: 1 });
    const file = await makeFile(e, team.id, 12);
    const out = await launchJob(jobInputFor(connection.id, file.id, { metadata: { sandbox_ms_per_request: "5000" } }), ctx);
    expect(out).toMatchObject({ launched: 1, queued: 2 });
    const [p2, p3] = await queued(out.jobId);

    const other = await makeTeam(e);
    await expect(cancelQueuedPart(e.h.prisma, other.ctx, p2.id)).rejects.toThrow("That queued part was not found.");
    expect(await cancelQueuedPart(e.h.prisma, ctx, p3.id)).toEqual({ jobId: out.jobId, part: 3 });
    await expect(cancelQueuedPart(e.h.prisma, ctx, p3.id)).rejects.toThrow("Part 3 is not waiting any more");

    const cancelled = await cancelJob(out.jobId, ctx);
    expect(cancelled).toEqual({ cancelled: 2, failures: [] });
    expect((await queued(out.jobId)).map((p) => p.state)).toEqual(["cancelled", "cancelled"]);
    const first = await e.h.prisma.batch.findFirstOrThrow({ where: { jobId: out.jobId } });
    await finish(first.id);
    await e.h.prisma.queuedPart.updateMany({ where: { jobId: out.jobId }, data: { nextCheckAt: new Date(0) } });
    // Other tests' queues share this database and may be due too (a loaded machine): what counts is
    // that nothing of this job launched.
    await runDueQueues(e.h.prisma, "instance-a");
    expect(await e.h.prisma.batch.count({ where: { jobId: out.jobId } })).toBe(1);
    expect((await queued(out.jobId)).map((p) => p.state)).toEqual(["cancelled", "cancelled"]);
  });
});

describe("the reason in words", () => {
  it("counts only unfinished batches of the connection, and snapshots under their base model", async () => {
    const { team, connection } = await setup({ enqueuedTokens: { "gpt-4o-mini": 2_000_000 } });
    const c = { id: connection.id, kind: connection.kind, name: connection.name, queueLimits: { enqueuedTokens: { "gpt-4o-mini": 2_000_000 } } };
    const file = await makeFile(e, team.id, 1);
    const row = (status: "IN_PROGRESS" | "COMPLETED", tokens: Record<string, number>, key: string) =>
      e.h.prisma.batch.create({
        data: { teamId: team.id, connectionId: connection.id, inputFileId: file.id, name: "x", endpoint: file.endpoint, completionWindow: "24h", idempotencyKey: key, status, enqueuedTokens: tokens, nextPollAt: null },
      });
    await row("IN_PROGRESS", { "gpt-4o-mini-2024-07-18": 1_500_000 }, `k1-${team.id}`);
    await row("COMPLETED", { "gpt-4o-mini": 1_900_000 }, `k2-${team.id}`);
    expect(await waitReason(e.h.prisma, c, { "gpt-4o-mini": 400_000 })).toBeNull();
    expect(await waitReason(e.h.prisma, c, { "gpt-4o-mini": 1_700_000 })).toBe(
      "waiting for 1.2M enqueued tokens of gpt-4o-mini to free up (1.5M of 2M enqueued, this needs 1.7M)",
    );
    // Another model is not limited here.
    expect(await waitReason(e.h.prisma, c, { "gpt-4o": 90_000_000 })).toBeNull();
  });
});
