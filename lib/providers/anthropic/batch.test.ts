// Anthropic's batch object in our words: statuses from processing_status and the counts, columns.
import { describe, expect, it } from "vitest";
import type { MessageBatch } from "@anthropic-ai/sdk/resources/messages/batches";
import { anthropicFields, anthropicStatus } from "./batch";

const batch = (over: Partial<MessageBatch> = {}): MessageBatch => ({
  id: "msgbatch_01",
  type: "message_batch",
  processing_status: "in_progress",
  request_counts: { processing: 5, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
  created_at: "2026-11-22T08:00:00Z",
  expires_at: "2026-11-23T08:00:00Z",
  ended_at: null,
  cancel_initiated_at: null,
  archived_at: null,
  results_url: null,
  ...over,
});

describe("status and counts", () => {
  it("maps in_progress, canceling and ended (completed, cancelled or expired) onto ours", () => {
    expect(anthropicStatus(batch())).toBe("IN_PROGRESS");
    expect(anthropicStatus(batch({ processing_status: "canceling", cancel_initiated_at: "2026-11-22T08:01:00Z" }))).toBe("CANCELLING");
    const ended = { processing_status: "ended" as const, ended_at: "2026-11-22T09:00:00Z" };
    expect(anthropicStatus(batch({ ...ended, request_counts: { processing: 0, succeeded: 4, errored: 1, canceled: 0, expired: 0 } }))).toBe("COMPLETED");
    expect(anthropicStatus(batch({ ...ended, cancel_initiated_at: "2026-11-22T08:30:00Z" }))).toBe("CANCELLED");
    expect(anthropicStatus(batch({ ...ended, request_counts: { processing: 0, succeeded: 3, errored: 0, canceled: 0, expired: 2 } }))).toBe("EXPIRED");
  });

  it("counts succeeded as completed, errored + canceled + expired as failed, their sum as the total; RFC 3339 times", () => {
    const f = anthropicFields(
      batch({
        processing_status: "ended",
        cancel_initiated_at: "2026-11-22T08:30:00Z",
        ended_at: "2026-11-22T08:31:00.500Z",
        results_url: "https://api.anthropic.com/v1/messages/batches/msgbatch_01/results",
        request_counts: { processing: 0, succeeded: 2, errored: 1, canceled: 3, expired: 0 },
      }),
    );
    expect(f).toMatchObject({
      status: "CANCELLED",
      rawStatus: "ended",
      providerBatchId: "msgbatch_01",
      outputFileId: "https://api.anthropic.com/v1/messages/batches/msgbatch_01/results",
      total: 6,
      completed: 2,
      failed: 4,
    });
    expect(f.providerCreatedAt?.toISOString()).toBe("2026-11-22T08:00:00.000Z");
    expect(f.expiresAt?.toISOString()).toBe("2026-11-23T08:00:00.000Z");
    expect(f.cancellingAt?.toISOString()).toBe("2026-11-22T08:30:00.000Z");
    expect(f.cancelledAt?.toISOString()).toBe("2026-11-22T08:31:00.500Z");
    expect(f.completedAt).toBeUndefined();
  });
});
