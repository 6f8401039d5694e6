import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DbHandle } from "@/lib/db/client";
import { launchBatch } from "./launch";
import { launchBatchInput } from "@/lib/batches/schemas";
import { claimDueBatches, startSyncWorker } from "./worker";
import { launchInput, makeFile, makeTeam, sleep, startEngine, type Engine } from "./fixtures";

let e: Engine;
beforeAll(async () => {
  e = await startEngine();
});
afterAll(() => e.close());

describe("claimDueBatches", () => {
  it("leases due batches once, skips live leases, and takes expired ones over", async () => {
    const t = await makeTeam(e);
    const file = await makeFile(e, t.team.id, 1);
    const base = { teamId: t.team.id, connectionId: t.connection.id, inputFileId: file.id, name: "x", endpoint: "/v1/chat/completions", completionWindow: "24h" };
    const past = new Date(Date.now() - 1000);
    const due = await e.h.prisma.batch.create({ data: { ...base, idempotencyKey: "k1", status: "IN_PROGRESS", nextPollAt: past } });
    await e.h.prisma.batch.create({ data: { ...base, idempotencyKey: "k2", status: "IN_PROGRESS", nextPollAt: new Date(Date.now() + 60_000) } });
    await e.h.prisma.batch.create({ data: { ...base, idempotencyKey: "k3", status: "COMPLETED", nextPollAt: past, resultsIngestedAt: new Date() } });
    const terminalNotIngested = await e.h.prisma.batch.create({ data: { ...base, idempotencyKey: "k4", status: "EXPIRED", nextPollAt: past } });
    await e.h.prisma.batch.create({ data: { ...base, idempotencyKey: "k5", status: "IN_PROGRESS", nextPollAt: null } });

    const a = await claimDueBatches(e.h.prisma, "a", 10, 60_000);
    expect(a.sort()).toEqual([due.id, terminalNotIngested.id].sort());
    expect(await claimDueBatches(e.h.prisma, "b", 10, 60_000)).toEqual([]);
    const row = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: due.id } });
    expect(row.leaseOwner).toBe("a");
    expect(row.leaseUntil!.getTime() - Date.now()).toBeGreaterThan(55_000);

    // An owner that died: its lease runs out and another instance takes the batch.
    await e.h.prisma.batch.update({ where: { id: due.id }, data: { leaseUntil: new Date(Date.now() - 1) } });
    expect(await claimDueBatches(e.h.prisma, "b", 10, 60_000)).toEqual([due.id]);
    await e.h.prisma.batch.deleteMany({ where: { teamId: t.team.id } });
  });
});

const pgUrl = process.env.TEST_DATABASE_URL;

describe("two instances on one PostgreSQL", () => {
  it.skipIf(!pgUrl)("never poll or ingest the same batch at the same time, and ingest each batch once", async () => {
    const second: DbHandle = await openDatabase({ url: e.h.url! });
    try {
      // Count, per provider batch and per result file, the calls in flight at once. A little
      // latency on each makes overlaps likely if the leases let them happen.
      const inFlight = new Map<string, number>();
      const maxInFlight = new Map<string, number>();
      const contentCalls = new Map<string, number>();
      e.intercept.fn = async (req, route) => {
        const m = /^(batches\/[^/]+)$|^files\/([^/]+)\/content$/.exec(route);
        if (!m || req.method !== "GET") return undefined;
        const key = m[1] ?? `content:${m[2]}`;
        if (m[2]) contentCalls.set(m[2], (contentCalls.get(m[2]) ?? 0) + 1);
        const n = (inFlight.get(key) ?? 0) + 1;
        inFlight.set(key, n);
        maxInFlight.set(key, Math.max(maxInFlight.get(key) ?? 0, n));
        try {
          await sleep(15);
          const { handleSandboxRequest } = await import("@/lib/providers/sandbox/server");
          const res = await handleSandboxRequest(req);
          // Hold the count until the body is read: the ingest streams it.
          const body = await res.arrayBuffer();
          return new Response(body, { status: res.status, headers: res.headers });
        } finally {
          inFlight.set(key, (inFlight.get(key) ?? 1) - 1);
        }
      };

      const t = await makeTeam(e);
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        const file = await makeFile(e, t.team.id, 20, { failing: [i] });
        const pace = String(80 + i * 20);
        const { batchId } = await launchBatch(launchBatchInput.parse(launchInput(t.connection.id, file.id, { metadata: { sandbox_ms_per_request: pace } })), t.ctx);
        ids.push(batchId);
      }
      const w1 = startSyncWorker({ owner: "instance-1", manual: true, concurrency: 3, prisma: e.h.prisma });
      const w2 = startSyncWorker({ owner: "instance-2", manual: true, concurrency: 3, prisma: second.prisma });
      const deadline = Date.now() + 30_000;
      let ticks = 0;
      const byOwner = [0, 0];
      for (;;) {
        const rows = await e.h.prisma.batch.findMany({ where: { id: { in: ids } } });
        if (rows.every((b) => b.resultsIngestedAt)) break;
        if (Date.now() > deadline) throw new Error("batches did not finish in time");
        const got = await Promise.all([w1.runOnce(), w2.runOnce(), w1.runOnce(), w2.runOnce()]);
        byOwner[0] += got[0] + got[2];
        byOwner[1] += got[1] + got[3];
        ticks++;
      }
      await Promise.all([w1.stop(), w2.stop()]);
      // Both instances did real work: the batches were shared out, not taken by one.
      expect(byOwner[0]).toBeGreaterThan(0);
      expect(byOwner[1]).toBeGreaterThan(0);

      for (const [key, n] of maxInFlight) expect({ key, n }).toEqual({ key, n: 1 });
      const rows = await e.h.prisma.batch.findMany({ where: { id: { in: ids } } });
      const files = rows.flatMap((b) => [b.outputFileId, b.errorFileId]).filter((x): x is string => !!x);
      expect(files).toHaveLength(12);
      for (const f of files) expect({ f, calls: contentCalls.get(f) }).toEqual({ f, calls: 1 });
      for (const b of rows) {
        expect(b.resultCount).toBe(20);
        expect(await e.h.prisma.result.count({ where: { batchId: b.id } })).toBe(20);
        expect(b.leaseOwner).toBeNull();
      }
      // Over several rounds (a loaded machine does fewer, longer ones): the batches overlapped in time.
      expect(ticks).toBeGreaterThan(1);
    } finally {
      e.intercept.fn = undefined;
      await second.close();
    }
  });

  it.runIf(!pgUrl)("needs TEST_DATABASE_URL (a PostgreSQL server) to run two instances; skipped on PGlite", () => {
    console.warn("[worker.test] the two-instance lease test needs TEST_DATABASE_URL: skipped on PGlite");
  });
});
