// What the engine tells people (lib/notify): a batch that ended, the job whose last part it was,
// and a connection whose key the provider refused. Each is notify()'s once-per-key event, so a
// sync that runs again (a retried ingest, a second instance, a restart) records nothing twice; the
// end of a batch is recorded in the transaction that stops its polling, so it is recorded exactly
// when the batch is done here.
import "server-only";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { batchEndedEvent, isTerminalForEvent, jobDoneEvent, keyRefusedEvent } from "@/lib/notify/events";
import { notify } from "@/lib/notify/notify";
import { log } from "@/lib/log";
import { isTerminal } from "@/lib/providers/status";

type Tx = Prisma.TransactionClient;

/** Records the end of a batch (and of its job, if it was the last part). Nothing for a batch that was already over when imported. */
export async function noticeBatchEnded(tx: Tx, batchId: string) {
  const b = await tx.batch.findUniqueOrThrow({
    where: { id: batchId },
    include: { connection: { select: { name: true } }, snapshots: { orderBy: { at: "asc" }, take: 1, select: { status: true } } },
  });
  if (!isTerminalForEvent(b.status)) return;
  // Imported from the provider's history already over: nothing happened now.
  if (b.importedAt && b.snapshots[0] && isTerminal(b.snapshots[0].status)) return;
  await notify(
    b.teamId,
    batchEndedEvent({ id: b.id, name: b.name, status: b.status, total: b.total, completed: b.completed, failed: b.failed, connectionName: b.connection.name, reason: b.status === "FAILED" ? b.lastSyncError : null }),
    { tx },
  );
  if (!b.jobId) return;
  const job = await tx.job.findUniqueOrThrow({ where: { id: b.jobId }, include: { batches: { select: { status: true } } } });
  if (job.batches.length < job.plannedParts || !job.batches.every((p) => isTerminal(p.status))) return;
  const byStatus: Record<string, number> = {};
  for (const p of job.batches) byStatus[p.status] = (byStatus[p.status] ?? 0) + 1;
  await notify(b.teamId, jobDoneEvent({ id: job.id, name: job.name, parts: job.batches.length, byStatus }), { tx });
}

/** The same, on its own after a write that already stopped the batch (closeFailed): a failure to record it is logged, not thrown. */
export async function noticeBatchClosed(prisma: Db, batchId: string) {
  await prisma.$transaction((tx) => noticeBatchEnded(tx, batchId)).catch((err) => log.error("notify.failed", { batchId, err }));
}

/** The provider answered 401 to the connection's key: once per key (a replaced key can be refused again). */
export async function noticeKeyRefused(prisma: Db, connectionId: string, said: string) {
  const c = await prisma.providerConnection.findUniqueOrThrow({ where: { id: connectionId }, select: { id: true, teamId: true, name: true, keyVersion: true } });
  await notify(c.teamId, keyRefusedEvent({ id: c.id, name: c.name, keyVersion: c.keyVersion, said }), { prisma });
}
