// Cancelling a batch: ask the provider, record what it answers (cancelling or cancelled) and hand the
// batch back to the sync worker at once, which polls it to its end and ingests the partial results
// (cancelled work that finished is still returned, and billed).
import "server-only";
import { isUnreachable, providerSaid, statusOf } from "@/lib/providers/failure";
import { db } from "@/lib/db/client";
import { audit } from "@/lib/audit";
import { env } from "@/lib/env";
import { NotFoundError, UserError } from "@/lib/errors";
import { isTerminal } from "@/lib/providers/status";
import type { ActorContext } from "./launch";
import { clientForBatch, providerFields } from "./sync";
import { isAnthropicConnection } from "@/lib/providers/anthropic-client";
import { cancelAnthropicBatch } from "./anthropic";

export async function cancelBatch(ctx: ActorContext, batchId: string) {
  const prisma = await db();
  const batch = await prisma.batch.findFirst({ where: { id: batchId, teamId: ctx.team.id } });
  if (!batch) throw new NotFoundError("That batch");
  if (batch.status === "CANCELLING" || batch.status === "CANCELLED") return { batchId, status: batch.status };
  if (isTerminal(batch.status)) throw new UserError(`This batch has already ended (${batch.status.toLowerCase()}).`);
  if (!batch.providerBatchId) throw new UserError("This batch is still being launched; cancel it in a moment.");
  if (await isAnthropicConnection(prisma, batch.connectionId)) return cancelAnthropicBatch(ctx, { ...batch, providerBatchId: batch.providerBatchId });

  const client = await clientForBatch(prisma, batch.connectionId, { maxRetries: 2 });
  let remote;
  try {
    remote = await client.batches.cancel(batch.providerBatchId);
  } catch (err) {
    if (isUnreachable(err)) throw new UserError("Could not reach the provider to cancel the batch. Try again.");
    const status = statusOf(err);
    if (status !== undefined) throw new UserError(`The provider refused to cancel the batch (HTTP ${status}): ${providerSaid(err) ?? "no error message given"}`);
    throw err;
  }

  const fields = providerFields(remote);
  // A provider that answers with the old status still got the request: show that it is on its way.
  const status = isTerminal(fields.status) || fields.status === "CANCELLING" ? fields.status : "CANCELLING";
  const after = {
    status,
    total: fields.total ?? batch.total,
    completed: fields.completed ?? batch.completed,
    failed: fields.failed ?? batch.failed,
  };
  const { SYNC_MIN_INTERVAL_MS } = env();
  await prisma.$transaction([
    prisma.batch.update({
      where: { id: batch.id },
      data: {
        ...fields,
        status,
        cancellingAt: fields.cancellingAt ?? batch.cancellingAt ?? new Date(),
        pollIntervalMs: SYNC_MIN_INTERVAL_MS,
        nextPollAt: new Date(),
      },
    }),
    prisma.batchSnapshot.create({ data: { batchId: batch.id, rawStatus: fields.rawStatus, ...after } }),
    audit(prisma, { teamId: ctx.team.id, actorId: ctx.user.id, action: "batch.cancelled", targetType: "batch", targetId: batch.id }),
  ]);
  return { batchId, status };
}
