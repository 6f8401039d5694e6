// The batch engine's log events (launch.ts, sync.ts), the same for every provider. Launch: started, created at the provider, refused (it ended without a
// provider batch, for the reason the user is shown) or failed (anything unexpected). Sync: every
// poll at debug, a status change at info, a Retry-After at info, any other failure at warn (the
// batch keeps its schedule, backing off). Ids, statuses and counts only: never a key, a prompt or
// an answer; an error passes through lib/log.ts's redaction.
import "server-only";
import type { BatchStatus } from "@/lib/generated/prisma/enums";
import { UserError } from "@/lib/errors";
import { log } from "@/lib/log";

type Progress = { status: BatchStatus; total: number; completed: number; failed: number };

/** One poll that got an answer: `nextPollMs` is the interval it chose (doubling while nothing moves). */
export function logPoll(batchId: string, before: Progress, after: Progress, nextPollMs: number) {
  const { status, total, completed, failed } = after;
  log.debug("sync.polled", { batchId, status, total, completed, failed, nextPollMs });
  if (before.status !== status) log.info("batch.status_changed", { batchId, from: before.status, to: status, total, completed, failed });
}

/** A poll or an ingest that failed; the batch is polled again in `nextPollMs`. */
export function logSyncError(batchId: string, err: unknown, o: { retryAfterMs?: number; nextPollMs: number }) {
  if (o.retryAfterMs !== undefined) log.info("sync.retry_after", { batchId, retryAfterMs: o.retryAfterMs, nextPollMs: o.nextPollMs, err });
  else log.warn("sync.failed", { batchId, nextPollMs: o.nextPollMs, err });
}

export function logLaunchStarted(batchId: string, f: { teamId: string; connectionId: string; provider: string; requests: number; dryRun?: boolean; jobId?: string; part?: number }) {
  log.info("launch.started", { batchId, ...f });
}

export function logLaunchCreated(batchId: string, f: { providerBatchId: string; status: string; startedAt: number }) {
  log.info("launch.created", { batchId, providerBatchId: f.providerBatchId, status: f.status, ms: Date.now() - f.startedAt });
}

/** A launch that ended without a provider batch: its row is gone and the user is told why. */
export function logLaunchEnded(batchId: string, err: unknown, startedAt: number) {
  const fields = { batchId, ms: Date.now() - startedAt, err };
  if (err instanceof UserError) log.warn("launch.refused", fields);
  else log.error("launch.failed", fields);
}
