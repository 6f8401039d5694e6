import { describe, expect, it } from "vitest";
import { progressAt, type BatchClock } from "./progress";

// 10 requests at 100 ms each: validating 0-500, in_progress 500-1500, finalizing 1500-2000.
const clock = (over: Partial<BatchClock> = {}): BatchClock => ({
  createdAt: 0,
  total: 10,
  msPerRequest: 100,
  expiresAfterMs: 86_400_000,
  cancelledAt: null,
  invalid: false,
  failedIndexes: [2, 7],
  ...over,
});

describe("progressAt", () => {
  it("walks validating, in_progress, finalizing, completed", () => {
    expect(progressAt(clock(), 499)).toMatchObject({ status: "validating", done: 0 });
    expect(progressAt(clock(), 850)).toMatchObject({ status: "in_progress", done: 3, completed: 2, failed: 1, inProgressAt: 500 });
    expect(progressAt(clock(), 1600)).toMatchObject({ status: "finalizing", finalizingAt: 1500, completed: 8, failed: 2 });
    expect(progressAt(clock(), 2000)).toMatchObject({ status: "completed", completedAt: 2000, hasResults: true });
  });

  it("cancels: work stops at the cancel, cancelled after a short cancelling", () => {
    const c = clock({ cancelledAt: 720 });
    expect(progressAt(c, 700)).toMatchObject({ status: "in_progress" });
    expect(progressAt(c, 900)).toMatchObject({ status: "cancelling", done: 2, cancellingAt: 720, hasResults: false });
    expect(progressAt(c, 5000)).toMatchObject({ status: "cancelled", done: 2, completed: 2, failed: 0, cancelledAt: 1220 });
    expect(progressAt(clock({ cancelledAt: 100 }), 5000)).toMatchObject({ status: "cancelled", done: 0 });
    expect(progressAt(clock({ cancelledAt: 100 }), 5000).inProgressAt).toBeUndefined();
  });

  it("expires with partial results", () => {
    const c = clock({ expiresAfterMs: 1000 });
    expect(progressAt(c, 999)).toMatchObject({ status: "in_progress", expiresAt: 1000 });
    expect(progressAt(c, 1000)).toMatchObject({ status: "expired", done: 5, completed: 4, failed: 1, expiredAt: 1000 });
  });

  it("fails an invalid file after validating", () => {
    expect(progressAt(clock({ invalid: true, total: 0 }), 100)).toMatchObject({ status: "validating" });
    expect(progressAt(clock({ invalid: true, total: 0 }), 500)).toMatchObject({ status: "failed", failedAt: 500, hasResults: false });
  });

  it("finishes at once with no pace", () => {
    expect(progressAt(clock({ msPerRequest: 0 }), 0)).toMatchObject({ status: "completed", done: 10 });
  });
});
