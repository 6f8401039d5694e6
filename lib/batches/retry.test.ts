// Retries end to end: batches run on the sandbox over real HTTP, the sync worker ingests them, and a
// retry copies exactly the failed or unfinished requests into a child batch, which runs in turn.
// Then the lineage and the merged view (page, counts, CSV) are read back, and the action's role
// check and idempotency are exercised. The routes' answers over the same reads are
// app/api/batches/_lib/lineage-handlers.test.ts.
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { TeamContext } from "@/lib/auth/context";
import { addMember, ctxOf, makeUser } from "@/lib/teams/fixtures";
import { launchInput, makeFile, makeTeam, sleep, startEngine, until, type Engine } from "@/lib/batches/engine/fixtures";

const session = vi.hoisted(() => ({ ctx: null as TeamContext | null }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
vi.mock("@/lib/auth/context", async () => {
  const { UserError } = await import("@/lib/errors");
  const { atLeast } = await import("@/lib/auth/roles");
  return {
    requireTeam: async (min: "OWNER" | "ADMIN" | "MEMBER" | "VIEWER" = "VIEWER") => {
      if (!session.ctx) throw new UserError("Please sign in again.");
      if (!atLeast(session.ctx.role, min)) throw new UserError(`Your role in this team cannot do that (it needs ${min.toLowerCase()} or above).`);
      return session.ctx;
    },
  };
});

const { launchBatch } = await import("@/lib/batches/engine/launch");
const { launchBatchInput } = await import("./schemas");
const { startSyncWorker } = await import("@/lib/batches/engine/worker");
const { cancelBatch } = await import("@/lib/batches/engine/cancel");
const { retryBatch, retryOptions } = await import("./retry");
const { retryBatchInput } = await import("./retry.schema");
const { retryBatchAction } = await import("./retry.action");
const { getLineage } = await import("./lineage");
const { mergedCounts, mergedCsv, queryMerged } = await import("./merged");

let e: Engine;
beforeAll(async () => {
  e = await startEngine({ SANDBOX_MS_PER_REQUEST: "5" });
});
afterAll(() => e.close());

type Team = Awaited<ReturnType<typeof makeTeam>>;

async function run(batchId: string, owner: string) {
  const worker = startSyncWorker({ owner, manual: true });
  try {
    return await until(e, batchId, () => worker.runOnce());
  } finally {
    await worker.stop();
  }
}

const retryInput = (t: Team, batchId: string, extra: Record<string, unknown> = {}) =>
  retryBatchInput.parse({ batchId, connectionId: t.connection.id, completionWindow: "24h", idempotencyKey: crypto.randomUUID(), failed: true, ...extra });

const customIds = async (fileId: string) =>
  (await e.h.prisma.request.findMany({ where: { fileId }, orderBy: { line: "asc" }, select: { customId: true } })).map((r) => r.customId);

describe("retry of failed requests, lineage and merged view", () => {
  let t: Team;
  let parentId: string;
  let childId: string;

  it("runs a batch where every 4th request fails", async () => {
    t = await makeTeam(e);
    const file = await makeFile(e, t.team.id, 12);
    const { batchId } = await launchBatch(
      launchBatchInput.parse(launchInput(t.connection.id, file.id, { name: "Nightly", metadata: { sandbox_ms_per_request: "5", sandbox_fail_every: "4" } })),
      t.ctx,
    );
    parentId = batchId;
    const b = await run(batchId, "retry-parent");
    expect(b.status).toBe("COMPLETED");
    const failed = await e.h.prisma.result.findMany({ where: { batchId, succeeded: false }, orderBy: { customId: "asc" } });
    expect(failed.map((r) => r.customId)).toEqual(["req-0004", "req-0008", "req-0012"]);
  });

  it("shows the counts before launch", async () => {
    const o = await retryOptions(e.h.prisma, t.team.id, parentId);
    expect(o.blocker).toBeNull();
    // The sandbox's profile says its content inspection refuses these again: the dialog warns and leaves them out by default.
    expect(o.counts).toEqual({ failed: 3, missing: 0, codes: [{ code: "data_inspection_failed", count: 3, nonRetryable: expect.stringContaining("content inspection") }] });
    expect(o.model).toBe("batch-test-model");
    expect(o.connections.find((c) => c.id === t.connection.id)).toMatchObject({ supportsEndpoint: true });
    // Another team's batch is not found.
    const stranger = await makeTeam(e);
    await expect(retryOptions(e.h.prisma, stranger.team.id, parentId)).rejects.toThrow("That batch was not found.");
    await expect(retryBatch(retryInput(stranger, parentId), stranger.ctx)).rejects.toThrow("That batch was not found.");
  });

  it("copies exactly the failed requests, with the new model, into a child batch that runs", async () => {
    const out = await retryBatch(retryInput(t, parentId, { model: "batch-test-model-2" }), t.ctx, { metadata: { sandbox_ms_per_request: "5" } });
    expect(out.created).toBe(true);
    expect(out.requests).toBe(3);
    childId = out.batchId;
    const child = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: childId }, include: { inputFile: true } });
    expect(child.parentBatchId).toBe(parentId);
    expect(child.name).toBe("Nightly — retry of 3 failed");
    expect(child.total).toBe(3);
    expect(child.inputFile).toMatchObject({ origin: "retry", requestCount: 3, status: "valid", models: ["batch-test-model-2"], lineCount: 12 });
    const reqs = await e.h.prisma.request.findMany({ where: { fileId: child.inputFileId }, orderBy: { line: "asc" } });
    expect(reqs.map((r) => [r.line, r.customId, r.model, (r.body as { model: string }).model])).toEqual([
      [4, "req-0004", "batch-test-model-2", "batch-test-model-2"],
      [8, "req-0008", "batch-test-model-2", "batch-test-model-2"],
      [12, "req-0012", "batch-test-model-2", "batch-test-model-2"],
    ]);
    // The rest of each body is untouched.
    expect((reqs[0].body as { messages: unknown }).messages).toEqual([{ role: "user", content: "Question number 4" }]);

    const done = await run(childId, "retry-child");
    expect(done.status).toBe("COMPLETED");
    const results = await e.h.prisma.result.findMany({ where: { batchId: childId }, orderBy: { line: "asc" } });
    expect(results.map((r) => [r.customId, r.succeeded, r.line])).toEqual([
      ["req-0004", true, 4],
      ["req-0008", true, 8],
      ["req-0012", true, 12],
    ]);
    expect(await e.h.prisma.auditEvent.count({ where: { action: "batch.retried", targetId: parentId, actorId: t.user.id } })).toBe(1);
  });

  it("gives the same lineage from either end, and none to another team", async () => {
    for (const id of [parentId, childId]) {
      const l = (await getLineage(e.h.prisma, t.team.id, id))!;
      expect(l.rootId).toBe(parentId);
      expect(l.currentId).toBe(id);
      expect(l.nodes.map((n) => [n.id, n.parentId, n.depth])).toEqual([
        [parentId, null, 0],
        [childId, parentId, 1],
      ]);
      expect(l.nodes[1]).toMatchObject({ status: "COMPLETED", completed: 3, failed: 0, models: ["batch-test-model-2"] });
      expect(l.live).toBe(false);
    }
    const stranger = await makeTeam(e);
    expect(await getLineage(e.h.prisma, stranger.team.id, childId)).toBeNull();
  });

  it("merges the lineage: every custom_id once, the retry's success over the first failure", async () => {
    const l = (await getLineage(e.h.prisma, t.team.id, parentId))!;
    expect(await mergedCounts(e.h.prisma, l)).toEqual({ batches: 2, requests: 12, succeeded: 12, failed: 0, unanswered: 0, recovered: 3 });
    const page = await queryMerged(e.h.prisma, l, { pageSize: 5, page: 1 });
    expect(page).toMatchObject({ total: 12, pageCount: 3 });
    expect(page.rows.map((r) => r.customId)).toEqual(["req-0001", "req-0002", "req-0003", "req-0004", "req-0005"]);
    expect(page.rows[3]).toMatchObject({ succeeded: true, batchId: childId, attempts: 2, line: 4, prompt: "Question number 4" });
    expect(page.rows[0]).toMatchObject({ succeeded: true, batchId: parentId, attempts: 1 });
    const all = await queryMerged(e.h.prisma, l, { pageSize: 100 });
    expect(all.rows.map((r) => r.customId)).toEqual(Array.from({ length: 12 }, (_, i) => `req-${String(i + 1).padStart(4, "0")}`));
    expect(all.rows.every((r) => r.succeeded)).toBe(true);
    expect((await queryMerged(e.h.prisma, l, { status: "failed" })).rows).toEqual([]);

    // The CSV walks the same rows by keyset, whatever the page size.
    const text = await new Response(mergedCsv(e.h.prisma, l, { pageSize: 5 }) as unknown as ReadableStream).text();
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.custom_id)).toEqual(all.rows.map((r) => r.customId));
    expect(rows.find((r) => r.custom_id === "req-0008")).toMatchObject({ batch_id: childId, attempts: "2", status_code: "200", error_code: "" });
    expect(rows.find((r) => r.custom_id === "req-0007")).toMatchObject({ batch_id: parentId, attempts: "1" });
  });
});

describe("retry of a cancelled batch", () => {
  it("takes the requests that never ran (missing), and only those", async () => {
    const t = await makeTeam(e);
    const file = await makeFile(e, t.team.id, 40, { failing: [0] });
    const { batchId } = await launchBatch(launchBatchInput.parse(launchInput(t.connection.id, file.id, { metadata: { sandbox_ms_per_request: "40" } })), t.ctx);
    const worker = startSyncWorker({ owner: "retry-cancel", manual: true });
    for (let i = 0; i < 100; i++) {
      await worker.runOnce();
      const b = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: batchId } });
      if (b.completed >= 5) break;
      await sleep(20);
    }
    await cancelBatch(t.ctx, batchId);
    const b = await until(e, batchId, () => worker.runOnce());
    await worker.stop();
    expect(b.status).toBe("CANCELLED");

    const answered = new Set((await e.h.prisma.result.findMany({ where: { batchId }, select: { customId: true } })).map((r) => r.customId));
    const all = await customIds(file.id);
    const missing = all.filter((c) => !answered.has(c));
    expect(missing.length).toBeGreaterThan(0);
    const o = await retryOptions(e.h.prisma, t.team.id, batchId);
    expect(o.counts).toMatchObject({ failed: 1, missing: missing.length });

    // Only the unfinished ones: the "[fail]" request (req-0001) stays out.
    const out = await retryBatch(retryInput(t, batchId, { failed: false, missing: true }), t.ctx, { metadata: { sandbox_ms_per_request: "1" } });
    const child = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: out.batchId } });
    expect(child.parentBatchId).toBe(batchId);
    expect(child.name).toBe(`Test batch — retry of ${missing.length} unfinished`);
    expect(await customIds(child.inputFileId)).toEqual(missing);

    // Both kinds at once, on a second key: the failed one is in too.
    const both = await retryBatch(retryInput(t, batchId, { failed: true, missing: true }), t.ctx, { metadata: { sandbox_ms_per_request: "1" } });
    const bothChild = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: both.batchId } });
    expect(await customIds(bothChild.inputFileId)).toEqual(["req-0001", ...missing]);
    // Filtered by an error code nobody has: nothing to retry, nothing made.
    await expect(retryBatch(retryInput(t, batchId, { failed: true, errorCodes: ["rate_limit"] }), t.ctx)).rejects.toThrow(
      'Nothing to retry: "Test batch" has no failed requests with the chosen error codes.',
    );
    const l = (await getLineage(e.h.prisma, t.team.id, batchId))!;
    expect(l.nodes.map((n) => n.id)).toEqual([batchId, out.batchId, both.batchId]);
  });

  it("refuses a batch that is still running", async () => {
    const t = await makeTeam(e);
    const file = await makeFile(e, t.team.id, 5);
    const { batchId } = await launchBatch(launchBatchInput.parse(launchInput(t.connection.id, file.id, { metadata: { sandbox_ms_per_request: "5000" } })), t.ctx);
    await expect(retryBatch(retryInput(t, batchId), t.ctx)).rejects.toThrow("This batch has not finished yet: retry it once it has.");
    await cancelBatch(t.ctx, batchId);
  });
});

describe("retryBatchAction", () => {
  let owner: TeamContext, viewer: TeamContext, parentId: string, connectionId: string;

  beforeAll(async () => {
    const o = await makeUser(e.h.prisma, "Owner");
    const v = await makeUser(e.h.prisma, "Viewer");
    await addMember(e.h.prisma, o.team.id, v.user.id, "VIEWER");
    owner = await ctxOf(e.h.prisma, o.user.id, o.team.id);
    viewer = await ctxOf(e.h.prisma, v.user.id, o.team.id);
    connectionId = (await e.h.prisma.providerConnection.findFirstOrThrow({ where: { teamId: o.team.id, kind: "sandbox" } })).id;
    const file = await makeFile(e, o.team.id, 6, { failing: [1, 2] });
    const { batchId } = await launchBatch(launchBatchInput.parse(launchInput(connectionId, file.id, { metadata: { sandbox_ms_per_request: "1" } })), owner);
    parentId = batchId;
    await run(batchId, "retry-action");
  });

  const input = (key: string) => ({ batchId: parentId, connectionId, completionWindow: "24h", idempotencyKey: key, failed: true, missing: true });

  it("refuses viewers, and makes nothing", async () => {
    session.ctx = viewer;
    expect(await retryBatchAction(input(crypto.randomUUID()))).toEqual({
      ok: false,
      message: "Your role in this team cannot do that (it needs member or above).",
      fieldErrors: undefined,
    });
    expect(await e.h.prisma.batch.count({ where: { parentBatchId: parentId } })).toBe(0);
  });

  it("makes one retry of a double click, however the two calls interleave", async () => {
    session.ctx = owner;
    const key = crypto.randomUUID();
    const [a, b] = await Promise.all([retryBatchAction(input(key)), retryBatchAction(input(key))]);
    const c = await retryBatchAction(input(key));
    expect(a).toMatchObject({ ok: true, data: { requests: 2 } });
    const ids = [a, b, c].map((r) => (r.ok ? r.data.batchId : r.message));
    expect(new Set(ids).size).toBe(1);
    expect(await e.h.prisma.batch.count({ where: { parentBatchId: parentId } })).toBe(1);
    expect(await e.h.prisma.inputFile.count({ where: { teamId: owner.team.id, origin: "retry" } })).toBe(1);
  });

  it("explains an empty choice", async () => {
    session.ctx = owner;
    const r = await retryBatchAction({ ...input(crypto.randomUUID()), failed: false, missing: false });
    expect(r).toMatchObject({ ok: false, message: "Choose what to retry: the failed requests, the unfinished ones, or both." });
  });
});
