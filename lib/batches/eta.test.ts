// The running batch's estimate: none until it can be made, a range around the observed rate that
// narrows as the batch fills, the time in each state, and the chart's even ticks.
import { describe, expect, it } from "vitest";
import { estimateEta, evenTicks, formatDuration, timeInStates, type EtaPoint } from "./eta";

const T0 = Date.UTC(2026, 11, 6, 10, 0, 0);
const min = 60_000;
const p = (m: number, completed: number, status: EtaPoint["status"] = "IN_PROGRESS", failed = 0): EtaPoint => ({ t: T0 + m * min, status, completed, failed });

describe("estimateEta", () => {
  it("gives none before the provider starts, with nothing done, or with under three observations or 20 seconds of progress", () => {
    expect(estimateEta([p(0, 0, "VALIDATING")], 1000, T0).range).toBeNull();
    expect(estimateEta([p(0, 0), p(5, 0)], 1000, T0 + 5 * min).why).toBe("nothingDone");
    const twice = estimateEta([p(0, 0), p(1, 10)], 1000, T0 + min);
    expect(twice.range).toBeNull();
    expect(twice.why).toBe("tooLittle");
    const quick = estimateEta([p(0, 0), { ...p(0, 5), t: T0 + 5_000 }, { ...p(0, 10), t: T0 + 10_000 }], 1000, T0 + 10_000);
    expect(quick.why).toBe("tooLittle");
    expect(estimateEta([p(0, 0), p(1, 500, "FINALIZING")], 500, T0).why).toBe("finalizing");
  });

  it("estimates the end from a steady rate: 100 requests a minute, 700 left, about 7 minutes", () => {
    const pts = [p(0, 0), p(1, 100), p(2, 200), p(3, 300)];
    const eta = estimateEta(pts, 1000, T0 + 3 * min);
    expect(eta.perMinute).toBeCloseTo(100);
    expect(eta.range!.likely).toBe(T0 + 10 * min);
    expect(eta.range!.earliest).toBeLessThanOrEqual(eta.range!.likely);
    expect(eta.range!.latest).toBeGreaterThan(eta.range!.likely);
    expect(eta.confidence).toBe("fair"); // four observations, 30% done, one rate
  });

  it("narrows and grows surer as more is done at a steady pace", () => {
    const early = estimateEta([p(0, 0), p(1, 10), p(2, 20), p(3, 30)], 1000, T0 + 3 * min);
    const pts = Array.from({ length: 9 }, (_, i) => p(i, i * 100));
    const late = estimateEta(pts, 1000, T0 + 8 * min);
    const width = (e: typeof early) => (e.range!.latest - e.range!.earliest) / (e.range!.likely - (T0 + 3 * min));
    expect(late.confidence).toBe("good");
    expect(late.range!.likely).toBe(T0 + 10 * min);
    expect(late.range!.latest - late.range!.earliest).toBeLessThan(early.range!.latest - early.range!.earliest);
    expect(width(early)).toBeGreaterThan(0.4);
  });

  it("spans the whole run's rate and the recent one when the pace changes", () => {
    // 200/min for 6 minutes, then 50/min for 3: the recent rate leads, the overall one bounds.
    const pts = [p(0, 0), p(2, 400), p(4, 800), p(6, 1200), p(7, 1250), p(8, 1300), p(9, 1350)];
    const eta = estimateEta(pts, 2000, T0 + 9 * min);
    expect(eta.perMinute).toBeCloseTo(50);
    expect(eta.range!.likely).toBe(T0 + 9 * min + 13 * min); // 650 left at 50/min
    expect(eta.range!.earliest).toBeLessThan(T0 + 9 * min + 5 * min); // at the overall 150/min
    expect(eta.confidence).toBe("rough"); // the two rates disagree
  });

  it("says when the likely end is after the provider's deadline", () => {
    const pts = [p(0, 0), p(10, 10), p(20, 20)];
    expect(estimateEta(pts, 1000, T0 + 20 * min, T0 + 60 * min).beyondDeadline).toBe(true);
    expect(estimateEta(pts, 30, T0 + 20 * min, T0 + 60 * min).beyondDeadline).toBe(false);
  });

  it("counts failed requests as done", () => {
    const eta = estimateEta([p(0, 0), p(1, 50, "IN_PROGRESS", 50), p(2, 100, "IN_PROGRESS", 100)], 400, T0 + 2 * min);
    expect(eta.perMinute).toBeCloseTo(100);
    expect(eta.range!.likely).toBe(T0 + 4 * min);
  });
});

describe("timeInStates", () => {
  it("sums the time in each state and runs the current one until now", () => {
    const spans = timeInStates([p(0, 0, "VALIDATING"), p(2, 0), p(10, 100, "FINALIZING")], T0 + 13 * min, true);
    expect(spans).toEqual([
      { status: "VALIDATING", ms: 2 * min, current: false },
      { status: "IN_PROGRESS", ms: 8 * min, current: false },
      { status: "FINALIZING", ms: 3 * min, current: true },
    ]);
    const over = timeInStates([p(0, 0), p(5, 10, "COMPLETED")], T0 + 60 * min, false);
    expect(over).toEqual([
      { status: "IN_PROGRESS", ms: 5 * min, current: false },
      { status: "COMPLETED", ms: 0, current: false },
    ]);
  });
});

describe("evenTicks", () => {
  it("steps by a round interval on its multiples", () => {
    const ticks = evenTicks(T0 + 7 * min + 13_000, T0 + 52 * min, 6, 0);
    expect(ticks).toEqual([10, 20, 30, 40, 50].map((m) => T0 + m * min));
    const gaps = new Set(ticks.slice(1).map((t, i) => t - ticks[i]));
    expect(gaps.size).toBe(1);
  });

  it("aligns hours to the local clock and days for long spans", () => {
    const offset = 5.5 * 3600_000; // India: local hours start at :30 UTC
    const ticks = evenTicks(T0, T0 + 5 * 3600_000, 6, offset);
    expect(ticks.every((t) => (t + offset) % 3600_000 === 0)).toBe(true);
    expect(ticks.length).toBe(5);
    const days = evenTicks(T0, T0 + 6 * 86_400_000, 7, 0);
    expect(days.length).toBe(6);
    expect(days[1] - days[0]).toBe(86_400_000);
    expect(evenTicks(T0, T0)).toEqual([T0]);
  });
});

describe("formatDuration", () => {
  it("reads as people say it", () => {
    expect(formatDuration(30_000)).toBe("30 s");
    expect(formatDuration(7 * min)).toBe("7 min");
    expect(formatDuration(130 * min)).toBe("2 h 10 min");
    expect(formatDuration(50 * 60 * min)).toBe("2 d 2 h");
  });
});
