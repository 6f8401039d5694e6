import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptSecret } from "@/lib/crypto";
import { env, resetEnvForTests } from "@/lib/env";
import { handleSandboxRequest } from "@/lib/providers/sandbox/server";
import { sandboxKeyForTeam } from "@/lib/providers/sandbox/keys";
import { ingestResults } from "./ingest";
import { launchBatch } from "./launch";
import { launchBatchInput } from "@/lib/batches/schemas";
import { syncBatch } from "./sync";
import { startSyncWorker } from "./worker";
import { adapterOf, launchInput, makeFile, makeTeam, providerClient, sleep, startEngine, until, type Engine } from "./fixtures";
import { sql } from "@/lib/db/sql";
import { searchDocsReady } from "@/lib/results/search-docs";

let e: Engine;
beforeAll(async () => {
  e = await startEngine();
});
afterAll(() => e.close());

async function launch(n: number, opts: { failing?: number[]; metadata?: Record<string, string> } = {}) {
  const t = await makeTeam(e);
  const file = await makeFile(e, t.team.id, n, { failing: opts.failing });
  const input = launchBatchInput.parse(launchInput(t.connection.id, file.id, opts.metadata ? { metadata: opts.metadata } : {}));
  const { batchId } = await launchBatch(input, t.ctx);
  return { ...t, file, batchId };
}

describe("sync worker", () => {
  it("polls a batch to its end, records snapshots only on change, and ingests every result", async () => {
    const { batchId, file } = await launch(12, { failing: [2, 7], metadata: { sandbox_ms_per_request: "40" } });
    // Polls that see the same answer store no new snapshot: the provider's answer is held still
    // for two polls (a timing-free way to see a poll without a change).
    const snapshots = () => e.h.prisma.batchSnapshot.count({ where: { batchId } });
    let held: string | undefined;
    e.intercept.fn = async (req, route) => {
      if (req.method !== "GET" || !route.startsWith("batches/")) return undefined;
      held ??= await (await handleSandboxRequest(req)).text();
      return new Response(held, { headers: { "content-type": "application/json" } });
    };
    await syncBatch(e.h.prisma, batchId);
    const afterFirst = await snapshots();
    await syncBatch(e.h.prisma, batchId);
    expect(await snapshots()).toBe(afterFirst);
    e.intercept.fn = undefined;

    const worker = startSyncWorker({ owner: "test-a", manual: true });
    const b = await until(e, batchId, () => worker.runOnce());
    await worker.stop();

    expect(b.status).toBe("COMPLETED");
    expect(b).toMatchObject({ total: 12, completed: 10, failed: 2, resultCount: 12, nextPollAt: null, leaseOwner: null, lastSyncError: null });
    expect(b.outputFileId).toBeTruthy();
    expect(b.errorFileId).toBeTruthy();
    expect(b.completedAt).not.toBeNull();
    expect(b.inProgressAt).not.toBeNull();

    // One snapshot per change, never two alike in a row.
    const snaps = await e.h.prisma.batchSnapshot.findMany({ where: { batchId }, orderBy: { id: "asc" } });
    for (let i = 1; i < snaps.length; i++) {
      const [a, c] = [snaps[i - 1], snaps[i]];
      expect([a.status, a.completed, a.failed, a.total]).not.toEqual([c.status, c.completed, c.failed, c.total]);
    }
    expect(snaps.at(-1)).toMatchObject({ status: "COMPLETED", completed: 10, failed: 2 });

    // One Result per request, matched by custom_id; the "[fail]" ones failed with the provider's words.
    const requests = await e.h.prisma.request.findMany({ where: { fileId: file.id }, orderBy: { line: "asc" } });
    const results = await e.h.prisma.result.findMany({ where: { batchId }, orderBy: { customId: "asc" } });
    expect(results.map((r) => r.customId)).toEqual(requests.map((r) => r.customId));
    const failed = results.filter((r) => !r.succeeded);
    expect(failed.map((r) => r.customId)).toEqual(["req-0003", "req-0008"]);
    for (const r of failed) {
      expect(r.statusCode).toBe(400);
      expect(r.errorCode).toBeTruthy();
      expect(r.errorMessage).toBeTruthy();
      expect(r.content).toBeNull();
    }
    for (const r of results.filter((x) => x.succeeded)) {
      expect(r.statusCode).toBe(200);
      expect(r.content).toContain("This is a test result.");
      expect(r.content).toContain(requests.find((q) => q.customId === r.customId)!.prompt);
      expect(r.finishReason).toBe("stop");
      expect(r.model).toBe("batch-test-model");
      expect(r.promptTokens).toBeGreaterThan(0);
      expect(r.totalTokens).toBe(r.promptTokens! + r.completionTokens!);
      expect(r.providerRequestId).toBeTruthy();
    }
    // The sandbox's test model "reasons" on every fifth request.
    expect(results.some((r) => r.reasoningContent && r.reasoningTokens)).toBe(true);

    // The worker wrote the batch's search texts once it was over: custom_id, prompt and answer, lowered.
    expect(await searchDocsReady(sql(e.h.prisma), batchId)).toBe(true);
    const docs = await e.h.prisma.resultSearch.findMany({ where: { batchId } });
    expect(docs).toHaveLength(12);
    const first = results.find((r) => r.succeeded)!;
    const doc = docs.find((d) => d.resultId === first.id)!.doc;
    expect(doc).toBe(`${first.customId}\u0001${requests.find((q) => q.customId === first.customId)!.prompt}\u0001${first.content}`.toLowerCase());

    // Ingest again: same rows, nothing added.
    const ids = results.map((r) => r.id);
    const again = await ingestResults(e.h.prisma, b, await adapterOf(e, b.connectionId));
    expect(again).toMatchObject({ done: true, resultCount: 12 });
    const after = await e.h.prisma.result.findMany({ where: { batchId }, orderBy: { customId: "asc" } });
    expect(after.map((r) => r.id)).toEqual(ids);
  });

  it("finishes an ingest cut off midway (crash) without duplicates or gaps", async () => {
    const { batchId, file } = await launch(30, { failing: [0, 29], metadata: { sandbox_ms_per_request: "0" } });
    const worker = startSyncWorker({ owner: "test-b", manual: true });
    // Sync until the provider says completed, but stop the ingest after its first chunk: the lease
    // is "lost" as if the process died right there.
    await sleep(50);
    let chunks = 0;
    const b0 = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: batchId } });
    const client = await providerClient(e, b0.connectionId);
    const remote = await client.batches.retrieve(b0.providerBatchId!);
    expect(remote.status).toBe("completed");
    const cut = await ingestResults(
      e.h.prisma,
      { id: batchId, providerBatchId: remote.id, outputFileId: remote.output_file_id ?? null, errorFileId: remote.error_file_id ?? null },
      await adapterOf(e, b0.connectionId),
      { chunkSize: 7, lease: { lost: () => ++chunks > 2 } },
    );
    expect(cut.done).toBe(false);
    const partial = await e.h.prisma.result.count({ where: { batchId } });
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(30);
    expect((await e.h.prisma.batch.findUniqueOrThrow({ where: { id: batchId } })).resultsIngestedAt).toBeNull();

    // After the "restart" the worker finishes the job.
    const b = await until(e, batchId, () => worker.runOnce());
    expect(b.resultCount).toBe(30);

    // Rows lost after the fact (say a restore) come back on a re-run, and nothing doubles.
    await e.h.prisma.result.deleteMany({ where: { batchId, customId: { in: ["req-0001", "req-0010", "req-0020"] } } });
    await e.h.prisma.batch.update({ where: { id: batchId }, data: { resultsIngestedAt: null, nextPollAt: new Date() } });
    const b2 = await until(e, batchId, () => worker.runOnce());
    await worker.stop();
    expect(b2.resultCount).toBe(30);
    const results = await e.h.prisma.result.findMany({ where: { batchId }, orderBy: { customId: "asc" } });
    const requests = await e.h.prisma.request.findMany({ where: { fileId: file.id }, orderBy: { line: "asc" } });
    expect(results.map((r) => r.customId)).toEqual(requests.map((r) => r.customId));
    expect(results.filter((r) => !r.succeeded).map((r) => r.customId)).toEqual(["req-0001", "req-0030"]);
  });

  it("backs off while nothing changes, up to the maximum", async () => {
    const { batchId } = await launch(3, { metadata: { sandbox_ms_per_request: "600000" } });
    const { SYNC_MIN_INTERVAL_MS: min, SYNC_MAX_INTERVAL_MS: max } = env();
    const intervals: number[] = [];
    // Once it runs: the Sandbox validates for a moment first, and on a loaded machine several syncs
    // can fall in that moment (each a change-free poll), which would move the change to the end.
    for (let i = 0; i < 50 && (await e.h.prisma.batch.findUniqueOrThrow({ where: { id: batchId } })).status !== "IN_PROGRESS"; i++) {
      await syncBatch(e.h.prisma, batchId);
      await new Promise((r) => setTimeout(r, 50));
    }
    for (let i = 0; i < 8; i++) {
      await syncBatch(e.h.prisma, batchId);
      const b = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: batchId } });
      intervals.push(b.pollIntervalMs);
      expect(b.nextPollAt!.getTime() - b.lastPolledAt!.getTime()).toBeGreaterThanOrEqual(b.pollIntervalMs - 5);
    }
    // The sync that saw validating -> in_progress (a change) went back to min; then doubling to max.
    const steady = intervals.slice(intervals.lastIndexOf(min) + 1);
    expect(steady.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < steady.length; i++) expect(steady[i]).toBe(Math.min(max, steady[i - 1] * 2));
    expect(intervals.at(-1)).toBe(max);
    const snaps = await e.h.prisma.batchSnapshot.count({ where: { batchId } });
    expect(snaps).toBeLessThanOrEqual(2);
  });

  it("honours 429 Retry-After, records sync errors, and recovers", async () => {
    const { batchId } = await launch(3, { metadata: { sandbox_ms_per_request: "600000" } });
    const b0 = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: batchId } });
    const target = `batches/${b0.providerBatchId}`;
    e.intercept.fn = async (req, route) =>
      route === target
        ? Response.json({ error: { message: "Rate limit reached for batches", type: "rate_limit_error" } }, { status: 429, headers: { "retry-after": "7" } })
        : undefined;
    try {
      const t = Date.now();
      const out = await syncBatch(e.h.prisma, batchId);
      expect(out.error).toMatch(/HTTP 429: Rate limit reached/);
      const b = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: batchId } });
      expect(b.lastSyncError).toMatch(/Rate limit reached/);
      expect(b.nextPollAt!.getTime() - t).toBeGreaterThanOrEqual(7000);
      expect(b.nextPollAt!.getTime() - t).toBeLessThan(9000);

      // The 429 slows the whole connection: the next sync does not call the provider until then.
      const conn = await e.h.prisma.providerConnection.findUniqueOrThrow({ where: { id: b.connectionId } });
      expect(conn.backoffUntil!.getTime() - t).toBeGreaterThanOrEqual(7000);
      const callsBefore = e.calls.length;
      const held = await syncBatch(e.h.prisma, batchId);
      expect(held.error).toMatch(/holding back calls to .* the provider answered 429/);
      expect(e.calls.length).toBe(callsBefore);
      // As if the 7 s had passed.
      await e.h.prisma.providerConnection.update({ where: { id: conn.id }, data: { backoffUntil: null } });

      e.intercept.fn = async (req, route) =>
        route === target ? Response.json({ error: { message: "upstream down", type: "server_error" } }, { status: 503 }) : undefined;
      await syncBatch(e.h.prisma, batchId);
      const b2 = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: batchId } });
      expect(b2.lastSyncError).toMatch(/HTTP 503: upstream down/);
      expect(b2.pollIntervalMs).toBe(Math.min(env().SYNC_MAX_INTERVAL_MS, b.pollIntervalMs * 2));
    } finally {
      e.intercept.fn = undefined;
    }
    await syncBatch(e.h.prisma, batchId);
    const b3 = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: batchId } });
    expect(b3.lastSyncError).toBeNull();
    expect(b3.lastPolledAt!.getTime()).toBeGreaterThan(b0.lastPolledAt!.getTime());
  });

  it("adopts a provider batch whose launch died before recording it", async () => {
    const t = await makeTeam(e);
    const file = await makeFile(e, t.team.id, 2);
    // What a crash right after the provider's create leaves: our row, still LAUNCHING, with no
    // provider id, and the provider batch carrying our id in its metadata.
    const row = await e.h.prisma.batch.create({
      data: {
        teamId: t.team.id, connectionId: t.connection.id, inputFileId: file.id, name: "Orphan", endpoint: "/v1/chat/completions",
        completionWindow: "24h", idempotencyKey: `${t.team.id}:orphan`, status: "LAUNCHING", total: 2, nextPollAt: new Date(),
      },
    });
    const client = await providerClient(e, t.connection.id);
    const fs = await import("node:fs");
    const path = await import("node:path");
    const tmp = path.join(env().DATA_DIR, "orphan.jsonl");
    fs.writeFileSync(tmp, '{"custom_id":"a","method":"POST","url":"/v1/chat/completions","body":{"model":"m","messages":[{"role":"user","content":"hi"}]}}\n');
    const up = await client.files.create({ file: fs.createReadStream(tmp), purpose: "batch" });
    const remote = await client.batches.create({
      input_file_id: up.id, endpoint: "/v1/chat/completions", completion_window: "24h",
      metadata: { batchboard_batch_id: row.id, sandbox_ms_per_request: "0" },
    });
    const worker = startSyncWorker({ owner: "test-c", manual: true });
    const b = await until(e, row.id, () => worker.runOnce());
    await worker.stop();
    expect(b.providerBatchId).toBe(remote.id);
    expect(b.status).toBe("COMPLETED");
    expect(b.resultCount).toBe(1);
  });

  it("keeps running when a batch's sync blows up, and stop() waits for work in flight", async () => {
    const { batchId } = await launch(2, { metadata: { sandbox_ms_per_request: "0" } });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    e.intercept.fn = async (req, route) => {
      if (route.startsWith("batches/")) await gate;
      return undefined;
    };
    const worker = startSyncWorker({ owner: "test-d", tickMs: 5 });
    await sleep(100);
    let stopped = false;
    const stopping = worker.stop().then(() => (stopped = true));
    await sleep(50);
    expect(stopped).toBe(false); // a retrieve is still in flight
    release();
    await stopping;
    e.intercept.fn = undefined;
    const b = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: batchId } });
    expect(b.leaseOwner).toBeNull();

    // A batch whose connection key cannot be decrypted fails alone; the tick still syncs the rest.
    const other = await launch(2, { metadata: { sandbox_ms_per_request: "0" } });
    const broken = await launch(2, { metadata: { sandbox_ms_per_request: "0" } });
    await e.h.prisma.providerConnection.update({ where: { id: broken.connection.id }, data: { encryptedKey: "v1:AAAA:AAAA:AAAA" } });
    const w2 = startSyncWorker({ owner: "test-e", manual: true });
    const done = await until(e, other.batchId, () => w2.runOnce());
    expect(done.resultCount).toBe(2);
    const brokenPolled = () => e.h.prisma.batch.findUniqueOrThrow({ where: { id: broken.batchId } });
    for (let i = 0; i < 50 && !(await brokenPolled()).lastSyncError; i++) await w2.runOnce();
    await w2.stop();
    const bb = await brokenPolled();
    expect(bb.lastSyncError).toBeTruthy();
    expect(bb.nextPollAt).not.toBeNull();
  });

  it("polls no sooner than the provider asks (Doubleword: every 30 s), its sandbox imitation too, even while counts move", async () => {
    const t = await makeTeam(e);
    const at = (baseUrl: string, name: string) =>
      e.h.prisma.providerConnection.create({
        data: { teamId: t.team.id, kind: "doubleword", name, baseUrl, encryptedKey: encryptSecret(sandboxKeyForTeam(t.team.id)), keyLast4: "test", createdById: t.user.id },
      });
    // The sandbox at a URL as a user would type one: to the engine, Doubleword's own service.
    const service = await at(`${e.url}/api/sandbox/doubleword/v1`, "Doubleword");
    const imitation = await at("builtin:doubleword", "Doubleword imitation");
    const saved = process.env.SYNC_POLL_OVERRIDE_MS;
    delete process.env.SYNC_POLL_OVERRIDE_MS;
    resetEnvForTests();
    try {
      for (const c of [service, imitation]) {
        const floor = 30_000;
        const file = await makeFile(e, t.team.id, 3);
        // The launch answers "validating", the first poll "in_progress" with counts: a change.
        const { batchId } = await launchBatch(launchBatchInput.parse(launchInput(c.id, file.id, { metadata: { sandbox_ms_per_request: "60" } })), t.ctx);
        expect((await e.h.prisma.batch.findUniqueOrThrow({ where: { id: batchId } })).pollIntervalMs).toBe(floor);
        // Poll (by hand, not waiting for nextPollAt) until a poll sees the batch move.
        let before = Date.now();
        let out = await syncBatch(e.h.prisma, batchId);
        for (let i = 0; i < 40 && !out.changed; i++) {
          await sleep(50);
          before = Date.now();
          out = await syncBatch(e.h.prisma, batchId);
        }
        expect(out.changed).toBe(true);
        const b = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: batchId } });
        expect(b.pollIntervalMs).toBe(floor);
        expect(b.nextPollAt!.getTime()).toBeGreaterThanOrEqual(before + floor);
      }
    } finally {
      process.env.SYNC_POLL_OVERRIDE_MS = saved;
      resetEnvForTests();
    }
  });
});
