// How a running batch is doing, from its progress snapshots: requests per minute, when it should
// end (a range, and how sure), and the time spent in each state. Pure and browser-safe: the batch
// page computes it again on each refresh, the overview for each active batch.
//
// The estimate uses only what was observed while the provider was working (IN_PROGRESS): two rates,
// the whole run's and the recent one's (the last third of the observed time), give the range's two
// ends, widened while little of the batch is done. No estimate until it can be made: nothing done
// yet, fewer than three observations of it running, or under 20 seconds between the first and last.
import type { BatchStatus } from "@/lib/generated/prisma/enums";

/** Why there is no estimate yet. */
export type EtaWhy = "notStarted" | "finalizing" | "nothingDone" | "tooLittle" | "stalled";

export interface EtaPoint {
  /** epoch ms */
  t: number;
  status: BatchStatus;
  completed: number;
  failed: number;
}

export type Confidence = "rough" | "fair" | "good";

export interface Eta {
  /** Requests finished per minute, recently (null: not enough observed). */
  perMinute: number | null;
  /** Null: cannot be estimated yet; `why` says what is missing (its words: batches.eta.why in messages/). */
  range: { earliest: number; latest: number; likely: number } | null;
  confidence: Confidence | null;
  why: EtaWhy | null;
  /** The likely end falls after the provider's deadline (completion window). */
  beyondDeadline: boolean;
}

/** Progress observed for under this long, or fewer times than this, gives no estimate. */
export const MIN_SPAN_MS = 20_000;
export const MIN_OBSERVATIONS = 3;

const done = (p: EtaPoint) => p.completed + p.failed;

function rate(a: EtaPoint, b: EtaPoint): number {
  const dt = b.t - a.t;
  return dt > 0 ? (done(b) - done(a)) / dt : 0;
}

/**
 * points: the snapshots in time order, the current state last (the page adds the last poll).
 * now: the time the ETA is counted from. deadline: when the provider expires the batch, if known.
 */
export function estimateEta(points: EtaPoint[], total: number, now: number, deadline?: number | null): Eta {
  const none = (why: EtaWhy, perMinute: number | null = null): Eta => ({ perMinute, range: null, confidence: null, why, beyondDeadline: false });
  const last = points[points.length - 1];
  if (!last || last.status !== "IN_PROGRESS") return none(last?.status === "FINALIZING" ? "finalizing" : "notStarted");
  const running = points.filter((p) => p.status === "IN_PROGRESS");
  const first = running[0];
  const remaining = Math.max(0, total - done(last));
  if (done(last) === 0) return none("nothingDone");
  if (running.length < MIN_OBSERVATIONS || last.t - first.t < MIN_SPAN_MS) return none("tooLittle");
  const overall = rate(first, last);
  // The recent rate: from the last point at least a third of the observed time before the end.
  const cut = last.t - (last.t - first.t) / 3;
  const from = [...running].reverse().find((p) => p.t <= cut) ?? first;
  const recent = rate(from, last) || overall;
  if (overall <= 0 && recent <= 0) return none("stalled", 0);
  const perMinute = recent * 60_000;
  if (remaining === 0) return { perMinute, range: { earliest: now, latest: now, likely: now }, confidence: "good", why: null, beyondDeadline: false };
  const fast = Math.max(overall, recent);
  const slow = Math.min(overall, recent) || fast;
  const fraction = done(last) / Math.max(total, 1);
  // Less done, less known: up to ±50% on top of the rates' own spread, shrinking as it fills.
  const widen = 0.5 * (1 - fraction) * (running.length < 6 ? 1 : 0.6);
  const since = Math.max(0, now - last.t);
  const at = (r: number, k: number) => last.t + (remaining / r) * k;
  const likely = Math.max(now, at(recent > 0 ? recent : overall, 1));
  const earliest = Math.max(now, at(fast, 1 - widen / 2));
  const latest = Math.max(likely, at(slow, 1 + widen), now + since);
  const spread = fast / slow - 1;
  const confidence: Confidence = fraction >= 0.3 && running.length >= 6 && spread < 0.25 ? "good" : fraction >= 0.1 && running.length >= 4 && spread < 0.6 ? "fair" : "rough";
  return { perMinute, range: { earliest, latest, likely }, confidence, why: null, beyondDeadline: deadline != null && likely > deadline };
}

export interface StateSpan {
  status: BatchStatus;
  ms: number;
  /** The batch is in this state now. */
  current: boolean;
}

/** Time in each state, in the order first entered, from the snapshots (the last one lasting until `now` while live). */
export function timeInStates(points: Pick<EtaPoint, "t" | "status">[], now: number, live: boolean): StateSpan[] {
  const out: StateSpan[] = [];
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    const next = points[i + 1];
    const end = next ? next.t : live ? now : p.t;
    const span = out.find((s) => s.status === p.status) ?? (out.push({ status: p.status, ms: 0, current: false }), out[out.length - 1]);
    span.ms += Math.max(0, end - p.t);
  }
  const last = points[points.length - 1];
  if (last && live) out.find((s) => s.status === last.status)!.current = true;
  return out;
}

/** "about 2 h 10 min", "3 min", "under a minute". */
/** The unit words of a duration; English by default, the reader's through useDuration (components/ui). */
export interface DurationUnits {
  s: string;
  min: string;
  h: string;
  d: string;
}
const EN_UNITS: DurationUnits = { s: "s", min: "min", h: "h", d: "d" };

export function formatDuration(ms: number, u: DurationUnits = EN_UNITS): string {
  if (ms < 60_000) return ms < 1000 ? `0 ${u.s}` : `${Math.round(ms / 1000)} ${u.s}`;
  const min = Math.round(ms / 60_000);
  if (min < 60) return `${min} ${u.min}`;
  const h = Math.floor(min / 60);
  const m = min % 60;
  if (h < 48) return m ? `${h} ${u.h} ${m} ${u.min}` : `${h} ${u.h}`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} ${u.d} ${h % 24} ${u.h}` : `${d} ${u.d}`;
}

const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800].map((s) => s * 1000);

/**
 * Evenly spaced ticks for a time axis from `first` to `last`: a round step (1 s … 1 week) that gives
 * at most `max` ticks, each on a multiple of the step (in local time for steps of a day or more).
 */
export function evenTicks(first: number, last: number, max = 6, tzOffsetMs = new Date(first).getTimezoneOffset() * -60_000): number[] {
  if (!(last > first)) return [first];
  const span = last - first;
  const step = STEPS.find((s) => span / s <= max) ?? Math.ceil(span / max / 86_400_000) * 86_400_000;
  // Hours align to the local clock (09:00, 10:00), not to UTC's.
  const shift = step >= 3600_000 ? tzOffsetMs : 0;
  const start = Math.ceil((first + shift) / step) * step - shift;
  const ticks: number[] = [];
  for (let t = start; t <= last; t += step) ticks.push(t);
  return ticks;
}
