// "Check now" on the batch page: the batch is due at once, and the sync worker polls it at its next
// tick (about a second), under its lease as always, so a click never polls beside the worker. At
// most one check per batch every CHECK_NOW_MIN_MS, counted from the last poll: a provider that asks
// to be polled once a minute is not asked every second by an impatient click. A connection the
// provider has slowed (a 429) waits for its back-off (lib/providers/limiter.ts).
import "server-only";
import type { Db } from "@/lib/db/client";
import { NotFoundError, UserError } from "@/lib/errors";
import { isLive } from "@/lib/batches/read/view";

/** The least time between a poll and a "Check now". */
export const CHECK_NOW_MIN_MS = 10_000;

export async function checkBatchNow(prisma: Db, teamId: string, batchId: string, now = new Date()) {
  const batch = await prisma.batch.findFirst({
    where: { id: batchId, teamId },
    select: { id: true, status: true, resultsIngestedAt: true, outputFileId: true, errorFileId: true, lastPolledAt: true, nextPollAt: true },
  });
  if (!batch) throw new NotFoundError("That batch");
  if (!isLive(batch) || !batch.nextPollAt) throw new UserError("This batch has ended and its results are stored: there is nothing left to check.");
  const since = batch.lastPolledAt ? now.getTime() - batch.lastPolledAt.getTime() : Infinity;
  if (since < CHECK_NOW_MIN_MS) {
    const wait = Math.max(1, Math.ceil((CHECK_NOW_MIN_MS - since) / 1000));
    const ago = since < 2_000 ? "just now" : `${Math.floor(since / 1000)} s ago`;
    throw new UserError(`Checked with the provider ${ago}: try again in ${wait} s.`);
  }
  if (batch.nextPollAt.getTime() > now.getTime()) await prisma.batch.update({ where: { id: batch.id }, data: { nextPollAt: now } });
  return { batchId: batch.id, nextPollAt: (batch.nextPollAt.getTime() > now.getTime() ? now : batch.nextPollAt).toISOString() };
}
