// Where a sandbox batch stands at a given moment, computed from the clock alone: no background loop
// moves batches, so any instance answering a poll gives the same answer and a restart loses nothing.
// Pure functions (no I/O) so the timeline can be tested without waiting for it.

export type SandboxStatus =
  | "validating"
  | "failed"
  | "in_progress"
  | "finalizing"
  | "completed"
  | "expired"
  | "cancelling"
  | "cancelled";

export interface BatchClock {
  /** All times in epoch milliseconds. */
  createdAt: number;
  total: number;
  msPerRequest: number;
  expiresAfterMs: number;
  cancelledAt: number | null;
  /** The input file was rejected at creation: the batch fails once validation "ends". */
  invalid: boolean;
  /** Request indexes (0-based, sorted) that fail on purpose. */
  failedIndexes: number[];
}

export interface Progress {
  status: SandboxStatus;
  /** Requests processed so far (successes and failures), in input order. */
  done: number;
  completed: number;
  failed: number;
  inProgressAt?: number;
  finalizingAt?: number;
  completedAt?: number;
  failedAt?: number;
  expiredAt?: number;
  cancellingAt?: number;
  cancelledAt?: number;
  expiresAt: number;
  /** Whether the batch has reached a state whose result files exist (or must now be written). */
  hasResults: boolean;
}

/** Validating and finalizing are short: about a second, shorter for fast test batches. */
export function phaseMs(msPerRequest: number) {
  return Math.min(1000, msPerRequest * 5);
}

/** When request `index` (0-based) finishes, had nothing stopped the batch. */
export function requestDoneAt(c: BatchClock, index: number) {
  return c.createdAt + phaseMs(c.msPerRequest) + (index + 1) * c.msPerRequest;
}

export function progressAt(c: BatchClock, now: number): Progress {
  const phase = phaseMs(c.msPerRequest);
  const start = c.createdAt + phase;
  const workEnd = start + c.total * c.msPerRequest;
  const expiresAt = c.createdAt + c.expiresAfterMs;
  const cancel = c.cancelledAt ?? Infinity;
  const doneBy = (t: number) => {
    if (t < start) return 0;
    if (c.msPerRequest === 0) return c.total;
    return Math.min(c.total, Math.floor((t - start) / c.msPerRequest));
  };
  const counts = (done: number) => {
    const failed = countBelow(c.failedIndexes, done);
    return { done, completed: done - failed, failed };
  };
  const base = { expiresAt, hasResults: false };
  const running = (): Progress => {
    if (now < start) return { ...base, status: "validating", ...counts(0) };
    return { ...base, status: "in_progress", inProgressAt: start, ...counts(doneBy(now)) };
  };

  if (c.invalid) {
    if (cancel < start) return cancelled(cancel, 0);
    if (now < start) return { ...base, status: "validating", ...counts(0) };
    return { ...base, status: "failed", failedAt: start, ...counts(0) };
  }

  // How the batch ends: whichever of cancel, expiry or the end of the work comes first.
  if (cancel < Math.min(workEnd, expiresAt)) return cancelled(cancel, doneBy(cancel));

  if (expiresAt < workEnd) {
    if (now < expiresAt) return running();
    const done = doneBy(expiresAt);
    return {
      ...base,
      status: "expired",
      ...(expiresAt >= start ? { inProgressAt: start } : {}),
      expiredAt: expiresAt,
      hasResults: true,
      ...counts(done),
    };
  }
  if (now < workEnd) return running();
  if (now < workEnd + phase) {
    return { ...base, status: "finalizing", inProgressAt: start, finalizingAt: workEnd, ...counts(c.total) };
  }
  return {
    ...base,
    status: "completed",
    inProgressAt: start,
    finalizingAt: workEnd,
    completedAt: workEnd + phase,
    hasResults: true,
    ...counts(c.total),
  };

  function cancelled(at: number, doneAtCancel: number): Progress {
    if (now < at) return c.invalid ? { ...base, status: "validating", ...counts(0) } : running();
    const ran = at >= start ? { inProgressAt: start } : {};
    if (now < at + phase) {
      return { ...base, status: "cancelling", ...ran, cancellingAt: at, ...counts(doneAtCancel) };
    }
    return {
      ...base,
      status: "cancelled",
      ...ran,
      cancellingAt: at,
      cancelledAt: at + phase,
      hasResults: true,
      ...counts(doneAtCancel),
    };
  }
}

/** How many of the sorted numbers are below n. */
function countBelow(sorted: number[], n: number) {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < n) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function isTerminal(s: SandboxStatus) {
  return s === "completed" || s === "failed" || s === "expired" || s === "cancelled";
}
