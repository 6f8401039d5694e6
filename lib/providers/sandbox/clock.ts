// A sandbox batch's clock, from its row: what progress.ts computes its status from at any moment.
// Shared by the OpenAI-shaped batches (batches/) and the Anthropic imitation.
import type { Prisma } from "@/lib/generated/prisma/client";
import type { BatchClock } from "./progress";

export type BatchRow = Prisma.SandboxBatchGetPayload<object>;

export function clockOf(row: BatchRow): BatchClock {
  return {
    createdAt: row.createdAt.getTime(),
    total: row.total,
    msPerRequest: row.msPerRequest,
    expiresAfterMs: row.expiresAfterMs,
    cancelledAt: row.cancelledAt?.getTime() ?? null,
    invalid: row.total === 0,
    failedIndexes: row.failedLines,
  };
}
