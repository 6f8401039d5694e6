// Partial results over real HTTP against the sandbox in Doubleword's mode: rows appear while the
// batch runs, offsets advance only past stored lines, re-reads (a repeated sync, a crash before the
// offset moved, a provider that ignores the offset, with or without X-Last-Line, or cut short) store
// nothing twice, and the end count is exact.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { encryptSecret } from "@/lib/crypto";
import { handleSandboxRequest } from "@/lib/providers/sandbox/server";
import { sandboxKeyForTeam } from "@/lib/providers/sandbox/keys";
import { launchBatch } from "./launch";
import { nextOffset, readPartialResults } from "./partial";
import { launchBatchInput } from "@/lib/batches/schemas";
import { syncBatch } from "./sync";
import { adapterOf, launchInput, makeFile, makeTeam, sleep, startEngine, until, type Engine } from "./fixtures";

let e: Engine;
beforeAll(async () => {
  e = await startEngine();
});
afterAll(() => e.close());
afterEach(() => {
  e.intercept.fn = undefined;
});

/** A connection of `kind` whose base URL is the sandbox in `mode`. */
async function setup(kind: string, mode: string) {
  const t = await makeTeam(e);
  const connection = await e.h.prisma.providerConnection.create({
    data: {
      teamId: t.team.id,
      kind,
      name: `${kind} on ${mode}`,
      baseUrl: `${e.url}/api/sandbox/${mode}/v1`,
      encryptedKey: encryptSecret(sandboxKeyForTeam(t.team.id)),
      keyLast4: "test",
      createdById: t.user.id,
    },
  });
  return { ...t, connection };
}

async function launch(kind: string, mode: string, n: number, opts: { failing?: number[]; msPerRequest: number }) {
  const { ctx, team, connection } = await setup(kind, mode);
  const file = await makeFile(e, team.id, n, { failing: opts.failing });
  const input = launchBatchInput.parse(launchInput(connection.id, file.id, { completionWindow: "24h", metadata: { sandbox_ms_per_request: String(opts.msPerRequest) } }));
  const { batchId } = await launchBatch(input, ctx);
  return { batchId, file, connection };
}

const row = (batchId: string) => e.h.prisma.batch.findUniqueOrThrow({ where: { id: batchId } });
const resultIds = async (batchId: string) =>
  (await e.h.prisma.result.findMany({ where: { batchId }, select: { customId: true }, orderBy: { customId: "asc" } })).map((r) => r.customId);
const reqId = (i: number) => `req-${String(i + 1).padStart(4, "0")}`;

/** Records the query of every result-file read (the offset asked for). */
function recordContentReads() {
  const reads: { at: number; offset: number }[] = [];
  e.intercept.fn = async (req, route) => {
    if (route.endsWith("/content")) reads.push({ at: Date.now(), offset: Number(new URL(req.url).searchParams.get("offset") ?? 0) });
    return undefined;
  };
  return reads;
}

describe("partial results (Doubleword)", () => {
  it("stores results while the batch runs, advances the offsets, survives re-reads and ends with every line once", async () => {
    const N = 40;
    const failing = [4, 21, 33];
    // 200 ms a request: 8 s in all, long enough for a loaded machine to read it at least twice mid-run.
    const { batchId, file } = await launch("doubleword", "doubleword", N, { failing, msPerRequest: 200 });
    const reads = recordContentReads();

    // Sync while it runs until some, not all, results are in, and a read has asked for the lines
    // after those stored (on a loaded machine the first read can already hold eight lines).
    let running = await row(batchId);
    const offsets: [number, number][] = [];
    const enough = () => running.status === "IN_PROGRESS" && running.outputLinesRead >= 8 && running.errorLinesRead >= 1 && reads.some((r) => r.offset > 0);
    for (let i = 0; i < 400 && !enough(); i++) {
      const out = await syncBatch(e.h.prisma, batchId);
      expect(out.error).toBeUndefined();
      running = await row(batchId);
      offsets.push([running.outputLinesRead, running.errorLinesRead]);
      await sleep(30);
    }
    expect(running.status).toBe("IN_PROGRESS");
    expect(running.resultsIngestedAt).toBeNull();
    // Offsets only move forward.
    for (let i = 1; i < offsets.length; i++) {
      expect(offsets[i][0]).toBeGreaterThanOrEqual(offsets[i - 1][0]);
      expect(offsets[i][1]).toBeGreaterThanOrEqual(offsets[i - 1][1]);
    }
    // Rows before the end: exactly the lines the offsets cover, the first requests in input order.
    const early = await resultIds(batchId);
    expect(early.length).toBe(running.outputLinesRead + running.errorLinesRead);
    expect(early.length).toBeGreaterThan(0);
    expect(early.length).toBeLessThan(N);
    expect(running.resultCount).toBe(early.length);
    expect(early).toEqual(Array.from({ length: early.length }, (_, i) => reqId(i)));
    const earlyFailed = await e.h.prisma.result.findMany({ where: { batchId, succeeded: false }, select: { customId: true } });
    expect(earlyFailed.map((r) => r.customId)).toEqual([reqId(4)]);
    // Reads after the first asked for the lines after those already stored.
    expect(reads.some((r) => r.offset > 0)).toBe(true);

    // A repeated sync stores nothing twice.
    await syncBatch(e.h.prisma, batchId);
    await syncBatch(e.h.prisma, batchId);
    let b = await row(batchId);
    let ids = await resultIds(batchId);
    expect(ids.length).toBe(b.outputLinesRead + b.errorLinesRead);
    expect(new Set(ids).size).toBe(ids.length);

    // A lost lease stores nothing more and moves no offset.
    const lost = await readPartialResults(e.h.prisma, { ...b, completed: N, failed: N }, await adapterOf(e, b.connectionId), { lease: { lost: () => true } });
    expect(lost.done).toBe(false);
    expect((await row(batchId)).outputLinesRead).toBe(b.outputLinesRead);

    // A crash after the rows were stored but before the offsets moved: they go back, the same lines
    // are read again, nothing doubles, and the offsets catch up.
    const before = ids.length;
    await e.h.prisma.batch.update({ where: { id: batchId }, data: { outputLinesRead: 0, errorLinesRead: 0 } });
    const readsBefore = reads.length;
    await syncBatch(e.h.prisma, batchId);
    b = await row(batchId);
    ids = await resultIds(batchId);
    expect(reads.slice(readsBefore).some((r) => r.offset === 0)).toBe(true);
    expect(ids.length).toBeGreaterThanOrEqual(before);
    expect(new Set(ids).size).toBe(ids.length);
    expect(b.outputLinesRead + b.errorLinesRead).toBe(ids.length);

    // To the end: every request once, the "[fail]" ones failed, and the final ingest read on from
    // the offsets rather than from the top.
    let endedAt = 0;
    const done = await until(e, batchId, async () => {
      const o = await syncBatch(e.h.prisma, batchId);
      if (o.ingested) endedAt = Date.now();
    });
    expect(done).toMatchObject({ status: "COMPLETED", total: N, completed: N - failing.length, failed: failing.length, resultCount: N });
    const all = await e.h.prisma.result.findMany({ where: { batchId }, orderBy: { line: "asc" } });
    const requests = await e.h.prisma.request.findMany({ where: { fileId: file.id }, orderBy: { line: "asc" } });
    expect(all.map((r) => r.customId)).toEqual(requests.map((r) => r.customId));
    expect(all.map((r) => r.line)).toEqual(requests.map((r) => r.line));
    expect(all.filter((r) => !r.succeeded).map((r) => r.customId)).toEqual(failing.map(reqId));
    expect(all.find((r) => r.succeeded)?.content).toMatch(/^This is a test result\./);
    const lastReads = reads.filter((r) => r.at <= endedAt).slice(-2);
    expect(lastReads.every((r) => r.offset > 0)).toBe(true);
  });

  // A provider that ignores the offset sends the file from its top: with its X-Last-Line, without
  // it, or with a header that counts a line its body does not hold yet (the answer cut short).
  for (const variant of ["with X-Last-Line", "without X-Last-Line", "cut short"] as const) {
    it(`a provider that ignores the offset (${variant}) costs no result and doubles none`, async () => {
      const N = 24;
      const { batchId } = await launch("doubleword", "doubleword", N, { failing: [7], msPerRequest: 60 });
      // While the batch runs the file comes from its first line whatever the query asks; the
      // finished file honours the offset (so offsets that ran past the lines would lose some).
      let ignored = 0;
      e.intercept.fn = async (req, route) => {
        if (!route.endsWith("/content")) return undefined;
        const url = new URL(req.url);
        const asked = Number(url.searchParams.get("offset") ?? 0);
        url.search = "";
        const res = await handleSandboxRequest(new Request(url, { headers: req.headers }));
        if (res.headers.get("x-incomplete") !== "true") {
          await res.body?.cancel();
          return undefined;
        }
        if (asked > 0) ignored++;
        const headers = new Headers(res.headers);
        if (variant === "without X-Last-Line") headers.delete("x-last-line");
        if (variant === "cut short") return new Response((await res.text()).replace(/[^\n]*\n$/, ""), { status: res.status, headers });
        return new Response(res.body, { status: res.status, headers });
      };
      let sawPartial = false;
      const b = await until(e, batchId, async () => {
        await syncBatch(e.h.prisma, batchId);
        const r = await row(batchId);
        if (r.status === "IN_PROGRESS" && r.resultCount > 0) sawPartial = true;
        // The offsets never pass what was stored: while it runs they are exactly the rows; the final
        // ingest reads on from them (and whole, if they fell short), so after it they may be fewer.
        const stored = await e.h.prisma.result.count({ where: { batchId } });
        if (r.resultsIngestedAt) expect(r.outputLinesRead + r.errorLinesRead).toBeLessThanOrEqual(stored);
        else expect(r.outputLinesRead + r.errorLinesRead).toBe(stored);
        await sleep(20);
      });
      expect(sawPartial).toBe(true);
      expect(ignored).toBeGreaterThan(0);
      expect(b).toMatchObject({ status: "COMPLETED", resultCount: N, completed: N - 1, failed: 1 });
      expect(await resultIds(batchId)).toEqual(Array.from({ length: N }, (_, i) => reqId(i)));
    });
  }

  it("the next offset: never past a line the read proves stored", () => {
    // The offset honoured: on by the lines stored, never past the provider's last line.
    expect(nextOffset(10, 5, { repeats: false, lastLine: 15 })).toBe(15);
    expect(nextOffset(10, 5, { repeats: false })).toBe(15);
    expect(nextOffset(10, 5, { repeats: false, lastLine: 13 })).toBe(13);
    // From the top (its first line stored before): only its own lines count.
    expect(nextOffset(10, 15, { repeats: true, lastLine: 15 })).toBe(15);
    expect(nextOffset(10, 15, { repeats: true })).toBe(15);
    // From the top, cut short or counting a line it did not hold: nothing past what it held.
    expect(nextOffset(12, 8, { repeats: true, lastLine: 23 })).toBe(12);
    expect(nextOffset(12, 14, { repeats: true, lastLine: 15 })).toBe(14);
    // Never back: a provider whose file is shorter than the offset moves nothing.
    expect(nextOffset(10, 8, { repeats: true, lastLine: 8 })).toBe(10);
    expect(nextOffset(10, 0, { repeats: false, lastLine: 8 })).toBe(10);
  });

  it("a provider without partial results is not asked for them, even when it names its files early", async () => {
    // An "openai" connection on the Doubleword imitation: the files are named from the start and
    // would answer, but the OpenAI profile does not serve partial results, so none are read.
    const { batchId } = await launch("openai", "doubleword", 12, { msPerRequest: 60 });
    const reads = recordContentReads();
    let sawRunning = false;
    const b = await until(e, batchId, async () => {
      const out = await syncBatch(e.h.prisma, batchId);
      const r = await row(batchId);
      if (r.status === "IN_PROGRESS") {
        sawRunning = true;
        expect(r.outputFileId).toBeTruthy();
        expect(out.partialLines).toBeUndefined();
        expect(await e.h.prisma.result.count({ where: { batchId } })).toBe(0);
        expect(reads).toEqual([]);
      }
      await sleep(20);
    });
    expect(sawRunning).toBe(true);
    expect(b).toMatchObject({ status: "COMPLETED", resultCount: 12, outputLinesRead: 0, errorLinesRead: 0 });
    // Read once, whole, at the end.
    expect(reads.map((r) => r.offset)).toEqual([0, 0]);
  });
});
