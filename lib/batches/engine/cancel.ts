// Cancelling a batch: ask the provider, record what it answers (cancelling or cancelled) and hand the
// batch back to the sync worker at once, which polls it to its end and ingests the partial results
// (cancelled work that finished is still returned, and billed). One path for every provider.
import "server-only";
import { db } from "@/lib/db/client";
import { auditData } from "@/lib/audit";
import { env } from "@/lib/env";
import { NotFoundError, UserError } from "@/lib/errors";
import type { BatchStatus } from "@/lib/generated/prisma/enums";
import type { RemoteBatch } from "@/lib/providers/adapter";
import { loadConnection } from "@/lib/providers/adapters";
import { isTerminal } from "@/lib/providers/status";
import type { ActorContext } from "./lease";

export async function cancelBatch(ctx: ActorContext, batchId: string) {
  const prisma = await db();
  const batch = await prisma.batch.findFirst({ where: { id: batchId, teamId: ctx.team.id } });
  if (!batch) throw new NotFoundError("That batch");
  if (batch.status === "CANCELLING" || batch.status === "CANCELLED") return { batchId, status: batch.status };
  if (isTerminal(batch.status)) throw new UserError(`This batch has already ended (${batch.status.toLowerCase()}).`);
  if (!batch.providerBatchId) throw new UserError("This batch is still being launched; cancel it in a moment.");

  const conn = await loadConnection(prisma, ctx.team.id, batch.connectionId, { maxRetries: 2 });
  if (!conn.profile.capabilities.cancel) throw new UserError(`${conn.profile.label} batches cannot be cancelled once launched.`);
  let remote: RemoteBatch;
  try {
    remote = await conn.adapter.cancel(batch.providerBatchId);
  } catch (err) {
    const f = conn.adapter.classify(err);
    if (f.reason === "unreachable" || f.reason === "timeout") throw new UserError(`Could not reach ${conn.name} to cancel the batch. Try again.`);
    if (f.status !== undefined) throw new UserError(`The provider refused to cancel the batch (HTTP ${f.status}): ${f.said ?? "no error message given"}`);
    throw err;
  }

  const fields = remote.fields;
  // A provider that answers with the old status still got the request: show that it is on its way.
  const status: BatchStatus = isTerminal(fields.status) || fields.status === "CANCELLING" ? fields.status : "CANCELLING";
  const after = {
    status,
    total: fields.total ?? batch.total,
    completed: fields.completed ?? batch.completed,
    failed: fields.failed ?? batch.failed,
  };
  const pollMs = Math.max(env().SYNC_MIN_INTERVAL_MS, conn.pollFloorMs);
  const event = await auditData(prisma, { teamId: ctx.team.id, actorId: ctx.user.id, action: "batch.cancelled", targetType: "batch", targetId: batch.id, targetLabel: batch.name });
  await prisma.$transaction([
    prisma.batch.update({
      where: { id: batch.id },
      data: {
        ...fields,
        status,
        cancellingAt: fields.cancellingAt ?? batch.cancellingAt ?? new Date(),
        pollIntervalMs: pollMs,
        nextPollAt: new Date(),
      },
    }),
    prisma.batchSnapshot.create({ data: { batchId: batch.id, rawStatus: fields.rawStatus, ...after } }),
    prisma.auditEvent.create({ data: event }),
  ]);
  return { batchId, status };
}
