// Results read while a batch still runs, for providers that serve them (capabilities.partialResults;
// Doubleword: the output and error file contents answer early, and reading resumes from a line).
// How a source is read from a line, and where the provider says its answer ends, is the adapter's
// (readResults). Each sync reads only the new lines, from Batch.outputLinesRead / errorLinesRead on,
// stores them through the ingest path, and only then moves the offset. A crash in between re-reads
// those lines next time, which the unique (batchId, customId) makes harmless.
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
    const stored = await storeResultLines(prisma, batch.id, read.lines, { ...opts, parse: adapter.parseResultLine });
    if (!stored.done || opts.lease?.lost()) return { ...out, done: false };
    // Never past what was stored, nor past the provider's own last line (a provider that ignored
    // the offset and sent the file from the top says so there).
    let next = from + stored.settledLines;
    if (read.lastLine !== undefined && read.lastLine >= from) next = Math.min(next, read.lastLine);
    out.lines += stored.lines;
    if (next === from) continue;
    // Compare and set: a second holder that already moved the offset is not moved back.
    const resultCount = await prisma.result.count({ where: { batchId: batch.id } });
    const moved = await prisma.batch.updateMany({ where: { id: batch.id, [column]: from }, data: { [column]: next, resultCount } });
    if (moved.count === 1) out[column] = next;
  }
  return out;
}
