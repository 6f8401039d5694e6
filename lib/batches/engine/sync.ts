// Brings one Batch row up to date with its provider batch: status, counts, timestamps, file ids,
// a snapshot when something moved, the next poll time (backing off while nothing changes, never
// sooner than the provider asks), and the results once the batch is over (and while it runs, where
// the provider serves them early). The sync worker (worker.ts) calls it under a lease. One path for
// every provider: what differs is the adapter's (retrieve, resultSources, classify) and the profile's
// flags (partialResults, recoverByMetadata). An Anthropic batch is synced here like any other.
import "server-only";
import type { Db } from "@/lib/db/client";
import type { BatchStatus } from "@/lib/generated/prisma/enums";
import type { Prisma } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import type { BatchFields, RemoteBatch } from "@/lib/providers/adapter";
import { loadConnection, type Connection } from "@/lib/providers/adapters";
import { describeFailure } from "@/lib/providers/failure";
import { isTerminal } from "@/lib/providers/status";
import { deleteInputAfterEnd } from "./cleanup";
import { ingestResults } from "./ingest";
import { buildSearchDocs } from "@/lib/results/search-docs";
import { LAUNCH_STALE_MS, type LeaseGuard, type SyncOutcome } from "./lease";
import { logPoll, logSyncError } from "./log-events";
import { noticeBatchClosed, noticeBatchEnded, noticeKeyRefused } from "./notices";
import { readPartialResults, readsPartialResults } from "./partial";
import { closeFailed, unknownOutcome } from "./rows";

type Progress = { status: BatchStatus; total: number; completed: number; failed: number };

function progressAfter(before: Progress, f: BatchFields, percent?: number): Progress {
  const total = f.total ?? before.total;
  // A percentage (Together) becomes a count of the requests done; it never goes back.
  const fromPercent = percent !== undefined ? Math.max(before.completed, Math.floor((total * percent) / 100)) : undefined;
  return {
    status: f.status,
    total,
    completed: f.completed ?? fromPercent ?? before.completed,
    failed: f.failed ?? before.failed,
  };
}

function sameProgress(a: Progress, b: Progress) {
  return a.status === b.status && a.total === b.total && a.completed === b.completed && a.failed === b.failed;
}

/** A short description of a failure for lastSyncError: never a key, a raw body or a stack. */
export function describeError(err: unknown): string {
  return describeFailure(err);
}

type Row = Awaited<ReturnType<Db["batch"]["findUniqueOrThrow"]>>;

/** The last write of a batch that is over here (no more polls), with the notice of its end in the same transaction. */
async function finish(prisma: Db, batchId: string, data: Prisma.BatchUpdateInput) {
  await prisma.$transaction(async (tx) => {
    await tx.batch.update({ where: { id: batchId }, data: { ...data, nextPollAt: null } });
    await noticeBatchEnded(tx, batchId);
  });
}

/**
 * Only an interrupted launch leaves a row without its provider batch (launch holds the lease while
 * it works). A provider whose batches carry our id is asked for it, and the batch adopted; otherwise,
 * once the launch is surely dead, the row is closed as FAILED and nothing is sent again: guessing by
 * time and size could adopt someone else's batch.
 */
async function interruptedLaunch(prisma: Db, batch: Row, conn: Connection): Promise<RemoteBatch | SyncOutcome> {
  const recover = conn.profile.capabilities.recoverByMetadata;
  const found = recover ? await conn.adapter.findByOurId(batch.id) : undefined;
  if (found) {
    log.info("launch.adopted", { batchId: batch.id, providerBatchId: found.id });
    return found;
  }
  if (Date.now() - batch.createdAt.getTime() < LAUNCH_STALE_MS) {
    await prisma.batch.update({ where: { id: batch.id }, data: { nextPollAt: new Date(batch.createdAt.getTime() + LAUNCH_STALE_MS) } });
    return { status: batch.status, changed: false, ingested: false };
  }
  const message = recover ? "The launch was interrupted before the provider accepted the batch. Launch it again." : unknownOutcome(conn.profile);
  await closeFailed(prisma, batch, message, { lastPolledAt: new Date() });
  await noticeBatchClosed(prisma, batch.id);
  log.warn("launch.interrupted", { batchId: batch.id, why: recover ? "no provider batch carries its id" : "its provider keeps no id of ours to find it by" });
  return { status: "FAILED", changed: true, ingested: false, error: message };
}

/** Syncs one batch. Never throws for provider trouble: it records lastSyncError and reschedules. */
export async function syncBatch(prisma: Db, batchId: string, opts: { lease?: LeaseGuard } = {}): Promise<SyncOutcome> {
  const { SYNC_MIN_INTERVAL_MS, SYNC_MAX_INTERVAL_MS } = env();
  const batch = await prisma.batch.findUniqueOrThrow({ where: { id: batchId } });
  const now = () => new Date();
  // Never sooner than the provider asks to be polled (its profile's pollIntervalMs).
  let min = SYNC_MIN_INTERVAL_MS;
  let max = SYNC_MAX_INTERVAL_MS;
  const backoff = () => Math.min(max, Math.max(min, batch.pollIntervalMs * 2));
  let conn: Connection | undefined;

  try {
    // Sync calls do not retry inside the SDK: the worker reschedules instead of holding a lease through its sleeps.
    conn = await loadConnection(prisma, null, batch.connectionId, { maxRetries: 0, timeoutMs: 60_000 });
    min = Math.max(min, conn.pollFloorMs);
    max = Math.max(max, min);
    const { adapter, profile } = conn;

    let remote: RemoteBatch;
    if (!batch.providerBatchId) {
      const adopted = await interruptedLaunch(prisma, batch, conn);
      if (!("fields" in adopted)) return adopted;
      remote = adopted;
    } else {
      remote = await adapter.retrieve(batch.providerBatchId);
    }
    if (opts.lease?.lost()) return { status: batch.status, changed: false, ingested: false };

    const fields = remote.fields;
    const before: Progress = { status: batch.status, total: batch.total, completed: batch.completed, failed: batch.failed };
    const after = progressAfter(before, fields, remote.progressPercent);
    const changed = !sameProgress(before, after);
    const interval = changed ? min : backoff();
    const terminal = isTerminal(after.status);
    // Offsets count lines of one file: a provider that names a new file starts them again.
    const outputFileId = fields.outputFileId ?? batch.outputFileId;
    const errorFileId = fields.errorFileId ?? batch.errorFileId;
    const outputLinesRead = outputFileId === batch.outputFileId ? batch.outputLinesRead : 0;
    const errorLinesRead = errorFileId === batch.errorFileId ? batch.errorLinesRead : 0;
    const refs = { providerBatchId: remote.id, outputFileId, errorFileId };

    await prisma.$transaction([
      prisma.batch.update({
        where: { id: batch.id },
        data: {
          ...fields,
          completed: after.completed,
          ...(outputLinesRead !== batch.outputLinesRead ? { outputLinesRead } : {}),
          ...(errorLinesRead !== batch.errorLinesRead ? { errorLinesRead } : {}),
          lastPolledAt: now(),
          lastSyncError: null,
          pollIntervalMs: interval,
          nextPollAt: new Date(Date.now() + interval),
        },
      }),
      ...(changed ? [prisma.batchSnapshot.create({ data: { batchId: batch.id, rawStatus: fields.rawStatus, ...after } })] : []),
    ]);
    logPoll(batch.id, before, after, interval);

    if (!terminal && readsPartialResults(profile, after.status) && (outputFileId || errorFileId)) {
      // Still running, and the provider serves what is done so far: store the new lines now.
      const partial = await readPartialResults(
        prisma,
        { id: batch.id, ...refs, outputLinesRead, errorLinesRead, completed: after.completed, failed: after.failed },
        adapter,
        { lease: opts.lease },
      );
      return { status: after.status, changed, ingested: false, partialLines: partial.lines };
    }

    const providerInputFileId = fields.providerInputFileId ?? batch.providerInputFileId;
    const cleanUp = () => deleteInputAfterEnd(prisma, { ...batch, providerInputFileId }, conn!);
    if (!terminal || batch.resultsIngestedAt) {
      if (terminal) {
        await finish(prisma, batch.id, {});
        await cleanUp();
      }
      return { status: after.status, changed, ingested: false };
    }
    if (remote.resultsGone) {
      // The provider no longer keeps the results (Anthropic archives a batch after 29 days): an old
      // batch imported from history has none to fetch. Say so once and stop asking.
      const message = remote.resultsGone;
      await finish(prisma, batch.id, { resultsIngestedAt: new Date(), resultCount: 0, lastSyncError: message });
      await cleanUp();
      return { status: after.status, changed, ingested: false, error: message };
    }

    // Over: read what it produced, from where the partial reads stopped (ingest reads the sources
    // again whole if the rows then fall short of the total). A failure here keeps the poll
    // schedule, so ingest is retried.
    const ingest = await ingestResults(prisma, { id: batch.id, ...refs }, adapter, {
      lease: opts.lease,
      resume: { output: outputLinesRead, error: errorLinesRead, expected: after.total },
    });
    if (!ingest.done) return { status: after.status, changed, ingested: false };
    await finish(prisma, batch.id, {});
    await cleanUp();
    // The texts its search reads (lib/results/search-docs.ts), now that the results no longer
    // change. Without them a search reads Result and Request, as before; its first one asks again.
    await buildSearchDocs(prisma, batch.id).catch((err) => log.warn("search_docs.failed", { batchId: batch.id, err }));
    return { status: after.status, changed, ingested: true };
  } catch (err) {
    const failure = conn?.adapter.classify(err);
    const wait = failure?.retryAfterMs;
    if (failure?.status === 401 && !opts.lease?.lost()) {
      await noticeKeyRefused(prisma, batch.connectionId, failure.said ? `The provider said: ${failure.said}` : "The provider answered HTTP 401.").catch((e) =>
        log.error("notify.failed", { batchId: batch.id, err: e }),
      );
    }
    const delay = wait !== undefined ? Math.max(wait, min) : backoff();
    const message = describeError(err);
    if (opts.lease?.lost()) return { status: batch.status, changed: false, ingested: false, error: message };
    logSyncError(batch.id, err, { retryAfterMs: wait, nextPollMs: delay });
    await prisma.batch.update({
      where: { id: batch.id },
      data: {
        lastSyncError: message,
        lastPolledAt: now(),
        pollIntervalMs: wait !== undefined ? batch.pollIntervalMs : backoff(),
        nextPollAt: new Date(Date.now() + delay),
      },
    });
    return { status: batch.status, changed: false, ingested: false, error: message };
  }
}
