// The CSV export of 50,000 results streams: it reads 1,000 rows a statement, never more than two
// pages ahead of a slow reader, and its memory stays bounded while the file is many times larger.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { DbHandle } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { createTestDb } from "@/lib/test/db";
import { fromCopy } from "@/lib/csv/copy";
import { EXPORT_PAGE_SIZE, resultsCsv } from "./export";
import { seedBatch, seedTeam, type SeedRow } from "./results.fixtures";

const N = 50_000;
let h: DbHandle;
let batchId: string;

beforeAll(async () => {
  h = await createTestDb();
  const t = await seedTeam(h.prisma, "stream");
  const rows: SeedRow[] = Array.from({ length: N }, (_, i) => ({
    customId: `s-${i + 1}`,
    prompt: `Question ${i + 1}`,
    result: i % 50 === 0 ? { ok: false, code: "server_error", message: "boom" } : { ok: true, content: `Answer ${i + 1} `.padEnd(600, "lorem ipsum ") },
  }));
  ({ batch: { id: batchId } } = await seedBatch(h.prisma, t, rows));
}, 300_000);

afterAll(async () => {
  await h?.close();
});

describe("CSV export of 50,000 results", () => {
  it("reads ahead of a paused reader by at most two pages", async () => {
    const spy = vi.spyOn(sql(h.prisma), "copyCsv");
    try {
      const stream = resultsCsv(h.prisma, batchId);
      const it = stream[Symbol.asyncIterator]();
      await it.next(); // the header
      await it.next(); // the first page
      await new Promise((r) => setTimeout(r, 500)); // the reader stalls
      // The page handed on, the one prefetched, and at most one the stream buffer pulled.
      expect(spy.mock.calls.length).toBeLessThanOrEqual(3);
      await it.return?.();
    } finally {
      spy.mockRestore();
    }
  }, 60_000);

  it("streams the whole file with bounded memory, 1,000 rows a statement", async () => {
    const db = sql(h.prisma);
    const copyCsv = db.copyCsv.bind(db);
    // Rows read from the database so far, against records written: the rows held in between are
    // the export's memory. Buffering the file would hold all 50,000 before the first write.
    let fetched = 0;
    const spy = vi.spyOn(db, "copyCsv").mockImplementation(async (...args: Parameters<typeof db.copyCsv>) => {
      const page = await copyCsv(...args);
      // A page arrives as the database's CSV of its rows, each led by its 5-field key (export.ts, csvPages).
      fetched += fromCopy(page, 5).rows;
      return page;
    });
    const base = process.memoryUsage();
    let peakHeap = 0;
    let maxHeld = 0;
    let bytes = 0;
    let records = 0;
    try {
      await pipeline(
        resultsCsv(h.prisma, batchId, {}, { bom: true }),
        new Writable({
          write(chunk: Buffer, _enc, done) {
            bytes += chunk.length;
            records += chunk.toString("utf8").split("\r\n").length - 1;
            maxHeld = Math.max(maxHeld, fetched - Math.max(0, records - 1));
            peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed - base.heapUsed);
            // A slow network: the export must wait rather than read ahead.
            setTimeout(done, 2);
          },
        }),
      );
      expect(records).toBe(N + 1);
      // One statement a page, and (50,000 fills its last page) one that finds the end.
      expect(spy.mock.calls.length).toBe(N / EXPORT_PAGE_SIZE + 1);
      for (const [stmt] of spy.mock.calls) expect((stmt as { values: readonly unknown[] }).values).toContain(EXPORT_PAGE_SIZE);
    } finally {
      spy.mockRestore();
    }
    console.log(`CSV ${Math.round(bytes / 1e6)} MB; at most ${maxHeld} rows held; heap peak +${Math.round(peakHeap / 1e6)} MB (garbage included)`);
    expect(bytes).toBeGreaterThan(30e6);
    // The page written, the one prefetched, and one in the stream's buffer at most.
    expect(maxHeld).toBeLessThanOrEqual(3 * EXPORT_PAGE_SIZE);
  }, 240_000);
});
