// The Batch row of a launch: written first, under the team-scoped idempotency key (unique), before
// anything is sent, so a double click or a retried request finds it instead of creating a second
// provider batch; recorded with what the provider answered; closed as failed; or forgotten when
// nothing reached the provider, so the same form can launch again.
import crypto from "node:crypto";
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { auditData } from "@/lib/audit";
import type { RemoteBatch } from "@/lib/providers/adapter";
import type { ProviderProfile } from "@/lib/providers/profile";
import { requestScope } from "@/lib/http/request-scope";
import { LAUNCH_STALE_MS, type ActorContext } from "./lease";

/** Keys are per team, so one team can neither collide with nor probe another team's keys. */
export const scopedKey = (teamId: string, key: string) => `${teamId}:${key}`;

/**
 * Said on a batch whose create went out but whose answer never came back (or whose launch died), on
 * a provider whose batches carry no id of ours to find them by.
 */
export function unknownOutcome(p: ProviderProfile): string {
  return (
    `Batchboard sent this batch to ${p.label} but never got its answer, so it cannot tell whether ${p.label} created it. ` +
    `${p.label} batches carry no metadata to find them by, so it was not sent again: check the batches in your ${p.label} console ` +
    "(a batch created around this one's start time) before launching the file again. If it is there, Import history on this connection " +
    "(Providers) brings it into Batchboard with its results."
  );
}

/**
 * The row, LAUNCHING, holding its own lease (the worker leaves it alone unless the launch dies). A
 * concurrent second call with the same key fails here on the unique key, before it sends anything,
 * and answers the first one's batch.
 */
export async function createLaunchRow(
  prisma: Db,
  data: Omit<Prisma.BatchUncheckedCreateInput, "status" | "nextPollAt" | "leaseOwner" | "leaseUntil"> & { idempotencyKey: string },
): Promise<{ id: string } | { existing: string }> {
  try {
    // Where it came from: a request with an API token is the API's, anything else the browser's.
    const token = requestScope().token;
    return await prisma.batch.create({
      data: {
        ...(token ? { source: "api", apiTokenId: token.id } : { source: "browser" }),
        ...data,
        status: "LAUNCHING",
        nextPollAt: new Date(Date.now() + LAUNCH_STALE_MS),
        leaseOwner: `launch:${crypto.randomUUID()}`,
        leaseUntil: new Date(Date.now() + LAUNCH_STALE_MS),
      },
      select: { id: true },
    });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      const winner = await prisma.batch.findUnique({ where: { idempotencyKey: data.idempotencyKey }, select: { id: true } });
      if (winner) return { existing: winner.id };
    }
    throw err;
  }
}

/** What the provider answered, in one transaction with the first snapshot and the audit event; the worker polls it from now on. */
export async function recordLaunch(
  prisma: Db,
  ctx: ActorContext,
  batchId: string,
  remote: RemoteBatch,
  o: { total: number; pollMs: number; audit: Record<string, Prisma.InputJsonValue> },
) {
  const fields = remote.fields;
  const total = fields.total || o.total;
  const named = await prisma.batch.findUnique({ where: { id: batchId }, select: { name: true } });
  const event = await auditData(prisma, {
    teamId: ctx.team.id,
    actorId: ctx.user.id,
    action: "batch.launched",
    targetType: "batch",
    targetId: batchId,
    targetLabel: named?.name,
    data: { ...o.audit, requests: o.total, providerBatchId: remote.id },
  });
  await prisma.$transaction([
    prisma.batch.update({
      where: { id: batchId },
      data: {
        ...fields,
        total,
        lastPolledAt: new Date(),
        pollIntervalMs: o.pollMs,
        nextPollAt: new Date(Date.now() + o.pollMs),
        leaseOwner: null,
        leaseUntil: null,
      },
    }),
    prisma.batchSnapshot.create({
      data: { batchId, status: fields.status, rawStatus: fields.rawStatus, total, completed: fields.completed ?? 0, failed: fields.failed ?? 0 },
    }),
    prisma.auditEvent.create({ data: event }),
  ]);
}

/** Closes a launch that will never have results here: FAILED with the reason, no more polls, and its snapshot. */
export async function closeFailed(prisma: Db, batch: { id: string; total: number }, message: string, data: Prisma.BatchUpdateInput = {}) {
  const at = new Date();
  await prisma.$transaction([
    prisma.batch.update({
      where: { id: batch.id },
      data: { status: "FAILED", lastSyncError: message, failedAt: at, nextPollAt: null, resultsIngestedAt: at, ...data },
    }),
    prisma.batchSnapshot.create({ data: { batchId: batch.id, status: "FAILED", total: batch.total, completed: 0, failed: 0 } }),
  ]);
}

/** Nothing reached the provider as a batch: the row goes; the InputFile and its requests are untouched. */
export async function forgetLaunch(prisma: Db, batchId: string) {
  await prisma.batch.deleteMany({ where: { id: batchId, providerBatchId: null } });
}
