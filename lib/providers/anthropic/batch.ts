// Anthropic's Message Batch object in our words: its status from processing_status and the counts,
// our columns, and the batch as the engine sees it. Pure: no I/O (batch.test.ts).
import type { MessageBatch } from "@anthropic-ai/sdk/resources/messages/batches";
import type { BatchStatus } from "@/lib/generated/prisma/enums";
import type { BatchFields, RemoteBatch } from "@/lib/providers/adapter";

const stamp = (v: string | null | undefined) => {
  if (!v) return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : new Date(t);
};

/**
 * Our status for an Anthropic batch. `ended` says only that processing is over: it was cancelled
 * if a cancel was initiated, expired if requests ran out of time, completed otherwise.
 */
export function anthropicStatus(b: Pick<MessageBatch, "processing_status" | "cancel_initiated_at" | "request_counts">): BatchStatus {
  if (b.processing_status === "in_progress") return "IN_PROGRESS";
  if (b.processing_status === "canceling") return "CANCELLING";
  if (b.processing_status === "ended") {
    if (b.cancel_initiated_at) return "CANCELLED";
    if ((b.request_counts?.expired ?? 0) > 0) return "EXPIRED";
    return "COMPLETED";
  }
  return "VALIDATING";
}

/** Our columns from an Anthropic batch object (RFC 3339 timestamps); the results URL goes in outputFileId. */
export function anthropicFields(b: MessageBatch): BatchFields {
  const c = b.request_counts;
  const status = anthropicStatus(b);
  const ended = stamp(b.ended_at);
  const total = c ? c.processing + c.succeeded + c.errored + c.canceled + c.expired : undefined;
  return {
    status,
    rawStatus: b.processing_status ?? null,
    providerBatchId: b.id,
    outputFileId: b.results_url || undefined,
    total,
    completed: c?.succeeded,
    failed: c ? c.errored + c.canceled + c.expired : undefined,
    providerCreatedAt: stamp(b.created_at),
    // Anthropic starts a batch at once: it is in progress from its creation.
    inProgressAt: stamp(b.created_at),
    expiresAt: stamp(b.expires_at),
    cancellingAt: stamp(b.cancel_initiated_at),
    completedAt: status === "COMPLETED" ? ended : undefined,
    expiredAt: status === "EXPIRED" ? ended : undefined,
    cancelledAt: status === "CANCELLED" ? ended : undefined,
  };
}

/** Said of a batch whose results Anthropic no longer keeps (archived_at is set). */
export function archivedMessage(archivedAt: string, keptDays = 29): string {
  const at = Date.parse(archivedAt);
  const when = Number.isNaN(at) ? archivedAt : new Date(at).toISOString().slice(0, 10);
  return `Anthropic archived this batch on ${when}: its results are no longer available there (Anthropic keeps them ${keptDays} days), so none were stored.`;
}

/** The endpoint an Anthropic batch runs: the Messages API (its requests were converted to it). */
export const MESSAGES_ENDPOINT = "/v1/messages";

/**
 * The batch as the engine sees it. No metadata, so no name and no id of ours; the window is fixed
 * at 24 hours; an archived batch (after `keptDays`) has no results left to fetch.
 */
export function remoteOf(b: MessageBatch, keptDays?: number): RemoteBatch {
  return {
    id: b.id,
    fields: anthropicFields(b),
    name: null,
    description: null,
    endpoint: MESSAGES_ENDPOINT,
    completionWindow: "24h",
    resultsGone: b.archived_at ? archivedMessage(b.archived_at, keptDays) : undefined,
  };
}
