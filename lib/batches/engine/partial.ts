// Results read while a batch still runs, for providers that serve them (capabilities.partialResults;
// Doubleword: the output and error file contents answer early, and reading resumes from a line).
// How a source is read from a line, and where the provider says its answer ends, is the adapter's
// (readResults). Each sync reads only the new lines, from Batch.outputLinesRead / errorLinesRead on,
// stores them through the ingest path, and only then moves the offset. A crash in between re-reads
// those lines next time, which the unique (batchId, customId) makes harmless. The offset never passes
// a line the read proves stored (nextOffset), whatever the provider did with the offset asked for.
import "server-only";
import type { Db } from "@/lib/db/client";
import type { BatchStatus } from "@/lib/generated/prisma/enums";
import type { ProviderAdapter, ResultRead } from "@/lib/providers/adapter";
import type { ProviderProfile } from "@/lib/providers/profile";
import { isTerminal } from "@/lib/providers/status";
import { storeResultLines } from "./ingest";
import type { LeaseGuard } from "./lease";

/** Whether this sync should read results early: only profiles that serve them, while the batch runs. */
export function readsPartialResults(profile: ProviderProfile | undefined, status: BatchStatus): boolean {
  return Boolean(profile?.capabilities.partialResults) && !isTerminal(status) && status !== "VALIDATING";
}

export interface PartialBatch {
  id: string;
  providerBatchId: string | null;
  outputFileId: string | null;
  errorFileId: string | null;
  outputLinesRead: number;
  errorLinesRead: number;
  /** The provider's counts: a file is read only when they say it has lines we have not read. */
  completed: number;
  failed: number;
}

export interface PartialOutcome {
  /** false when the lease was lost midway. */
  done: boolean;
  /** Lines of the two files newly read. */
  lines: number;
  outputLinesRead: number;
  errorLinesRead: number;
}

const COLUMN = { output: "outputLinesRead", error: "errorLinesRead" } as const;

/** Reads the new lines of a running batch's result sources into Result rows. */
export async function readPartialResults(
  prisma: Db,
  batch: PartialBatch,
  adapter: ProviderAdapter,
  opts: { lease?: LeaseGuard; chunkSize?: number } = {},
): Promise<PartialOutcome> {
  const out: PartialOutcome = { done: true, lines: 0, outputLinesRead: batch.outputLinesRead, errorLinesRead: batch.errorLinesRead };
  const expected = { output: batch.completed, error: batch.failed };

  for (const source of adapter.resultSources(batch)) {
    const column = COLUMN[source.slot];
    const from = batch[column];
    // The counts say nothing new: no request (the poll already costs one).
    if (expected[source.slot] <= from) continue;
    let read: ResultRead;
    try {
      read = await adapter.readResults(source, from);
    } catch (err) {
      // A file named before its first line is written may not exist yet: nothing to read.
      if (adapter.classify(err).status === 404) continue;
      throw err;
    }
    // Whether the answer's first line was stored before this read: then the provider sent the file
    // from its top (it ignored the offset), or repeats lines a crash stored past the offset.
    const { first, lines } = await peek(read.lines);
    const firstId = first === undefined ? undefined : adapter.parseResultLine(first)?.customId;
    const repeats = from > 0 && firstId !== undefined && (await prisma.result.count({ where: { batchId: batch.id, customId: firstId } })) > 0;
    const stored = await storeResultLines(prisma, batch.id, lines, { ...opts, parse: adapter.parseResultLine });
    if (!stored.done || opts.lease?.lost()) return { ...out, done: false };
    const next = nextOffset(from, stored.settledLines, { repeats, lastLine: read.lastLine });
    out.lines += stored.lines;
    if (next === from) continue;
    // Compare and set: a second holder that already moved the offset is not moved back.
    const resultCount = await prisma.result.count({ where: { batchId: batch.id } });
    const moved = await prisma.batch.updateMany({ where: { id: batch.id, [column]: from }, data: { [column]: next, resultCount } });
    if (moved.count === 1) out[column] = next;
  }
  return out;
}

/**
 * Where the next read of a source starts, after a read asked from line `from` stored its first
 * `settled` lines. An answer that began at `from` moves it by those lines; one that repeats a line
 * stored before (`repeats`) proves only its lines from the top (a provider that ignores the offset
 * sends the file from its first line; a cut answer or a header that counts a line the body did not
 * hold then moves nothing past what was stored). Never past the provider's own last line, nor back.
 */
export function nextOffset(from: number, settled: number, read: { repeats: boolean; lastLine?: number }): number {
  let next = read.repeats ? Math.max(from, settled) : from + settled;
  if (read.lastLine !== undefined) next = Math.min(next, Math.max(from, read.lastLine));
  return next;
}

/** The first non-blank line of `lines`, and every line again (that one included), in order. */
async function peek(lines: AsyncIterable<string>): Promise<{ first: string | undefined; lines: AsyncIterable<string> }> {
  const it = lines[Symbol.asyncIterator]();
  const head: string[] = [];
  let first: string | undefined;
  while (first === undefined) {
    const r = await it.next();
    if (r.done) break;
    head.push(r.value);
    if (r.value.trim()) first = r.value;
  }
  async function* all() {
    yield* head;
    // An iterator that has ended answers done again.
    try {
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
    } finally {
      await it.return?.();
    }
  }
  return { first, lines: all() };
}
