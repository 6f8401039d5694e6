// Results read while a batch still runs, for providers that serve them (Doubleword: the output and
// error file contents answer early with `X-Incomplete: true` and `X-Last-Line: N`, and reading
// resumes with an offset query). Each sync reads only the new lines, from Batch.outputLinesRead /
// errorLinesRead on, stores them through the ingest path, and only then moves the offset. A crash in
// between re-reads those lines next time, which the unique (batchId, customId) makes harmless.
import "server-only";
import type OpenAI from "openai";
import { NotFoundError } from "openai";
import type { Db } from "@/lib/db/client";
import type { BatchStatus } from "@/lib/generated/prisma/enums";
import type { ProviderProfile } from "@/lib/providers/profile";
import { isTerminal } from "@/lib/providers/status";
import { linesOf, readResultFile, storeResultLines } from "./ingest";
import type { LeaseGuard } from "./sync";

/** Whether this sync should read results early: only profiles that serve them, while the batch runs. */
export function readsPartialResults(profile: ProviderProfile | undefined, status: BatchStatus): boolean {
  return Boolean(profile?.capabilities.partialResults) && !isTerminal(status) && status !== "VALIDATING";
}

export interface PartialBatch {
  id: string;
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

/** Reads the new lines of a running batch's output and error files into Result rows. */
export async function readPartialResults(
  prisma: Db,
  batch: PartialBatch,
  client: OpenAI,
  opts: { lease?: LeaseGuard; chunkSize?: number } = {},
): Promise<PartialOutcome> {
  const out: PartialOutcome = { done: true, lines: 0, outputLinesRead: batch.outputLinesRead, errorLinesRead: batch.errorLinesRead };
  const files = [
    { kind: "output", fileId: batch.outputFileId, from: batch.outputLinesRead, expected: batch.completed },
    { kind: "error", fileId: batch.errorFileId, from: batch.errorLinesRead, expected: batch.failed },
  ] as const;

  for (const f of files) {
    // The counts say nothing new: no request (the poll already costs one).
    if (!f.fileId || f.expected <= f.from) continue;
    let res: Response;
    try {
      res = await readResultFile(client, f.fileId, f.from);
    } catch (err) {
      // A file named before its first line is written may not exist yet: nothing to read.
      if (err instanceof NotFoundError) continue;
      throw err;
    }
    const stored = await storeResultLines(prisma, batch.id, linesOf(res), opts);
    if (!stored.done || opts.lease?.lost()) return { ...out, done: false };
    // Never past what was stored, nor past the provider's own last line (a provider that ignored
    // the offset and sent the file from the top says so there).
    let next = f.from + stored.settledLines;
    const lastLine = Number(res.headers.get("x-last-line") ?? NaN);
    if (Number.isInteger(lastLine) && lastLine >= f.from) next = Math.min(next, lastLine);
    out.lines += stored.lines;
    if (next === f.from) continue;
    // Compare and set: a second holder that already moved the offset is not moved back.
    const resultCount = await prisma.result.count({ where: { batchId: batch.id } });
    const moved = await prisma.batch.updateMany({
      where: { id: batch.id, [COLUMN[f.kind]]: f.from },
      data: { [COLUMN[f.kind]]: next, resultCount },
    });
    if (moved.count === 1) out[COLUMN[f.kind]] = next;
  }
  return out;
}
