"use client";
// Every time the app shows, in the browser's own zone and language: "3 minutes ago" in lists (with
// the exact time on hover) or the exact time (with how long ago on hover). The server renders the
// exact time in UTC and the browser swaps in its own after hydration (useSyncExternalStore's server
// snapshot), so the first paint matches and the relative text keeps ticking. Server pages render
// these components too (with the Date as ISO text), so a time reads the same on every page. The
// words and the date format follow the app's language (next-intl), not the browser's.
import { useSyncExternalStore } from "react";
import { useLocale, useTranslations } from "next-intl";
import { formatDuration } from "@/lib/batches/eta";

/** A clock that ticks every `periodMs` while anything listens: one timer however many components read it. */
function clock(periodMs: number) {
  let now = Date.now();
  const listeners = new Set<() => void>();
  let timer: ReturnType<typeof setInterval> | undefined;
  const subscribe = (cb: () => void) => {
    listeners.add(cb);
    now = Date.now();
    timer ??= setInterval(() => {
      now = Date.now();
      listeners.forEach((l) => l());
    }, periodMs);
    return () => {
      listeners.delete(cb);
      if (listeners.size === 0 && timer) {
        clearInterval(timer);
        timer = undefined;
      }
    };
  };
  return { subscribe, snapshot: () => now };
}

const quarterMinute = clock(15_000);
const second = clock(1_000);

/** The current time, updated every 15 s; null while rendering on the server and hydrating. */
export function useNow(): number | null {
  return useSyncExternalStore(quarterMinute.subscribe, quarterMinute.snapshot, () => null);
}

/** The current time, updated every second (a countdown); null on the server and while hydrating. */
export function useSecondClock(): number | null {
  return useSyncExternalStore(second.subscribe, second.snapshot, () => null);
}

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86400_000],
  ["month", 30 * 86400_000],
  ["week", 7 * 86400_000],
  ["day", 86400_000],
  ["hour", 3600_000],
  ["minute", 60_000],
];

/** Under 45 s either way, where Intl's "now" would read oddly. */
export interface NearWords {
  justNow: string;
  inAMoment: string;
}
const ENGLISH_NEAR: NearWords = { justNow: "just now", inAMoment: "in a moment" };

/** How far `ms` is from `from`, in words of `locale` (the browser's own when undefined). */
export function relative(ms: number, from: number, locale?: string, near: NearWords = ENGLISH_NEAR) {
  const diff = ms - from;
  const abs = Math.abs(diff);
  if (abs < 45_000) return diff <= 0 ? near.justNow : near.inAMoment;
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  for (const [unit, size] of units) if (abs >= size) return rtf.format(Math.round(diff / size), unit);
  return rtf.format(Math.round(diff / 60_000), "minute");
}

export function exact(iso: string, locale?: string) {
  return new Date(iso).toLocaleString(locale, { dateStyle: "medium", timeStyle: "medium" });
}

/** The app's language and its words for "just now" and "in a moment". */
function useTimeWords(): [string, NearWords] {
  const locale = useLocale();
  const t = useTranslations("ui.time");
  return [locale, { justNow: t("justNow"), inAMoment: t("inAMoment") }];
}

const utc = (iso: string) => iso.replace("T", " ").slice(0, 19) + " UTC";

/** "5 minutes ago", with the exact time on hover. */
export function RelativeTime({ iso, className }: { iso: string; className?: string }) {
  const n = useNow();
  const [locale, near] = useTimeWords();
  return (
    <time dateTime={iso} title={n === null ? utc(iso) : exact(iso, locale)} className={className}>
      {n === null ? utc(iso) : relative(Date.parse(iso), n, locale, near)}
    </time>
  );
}

/** The exact time, with how long ago (or until) on hover. */
export function ExactTime({ iso, className }: { iso: string; className?: string }) {
  const n = useNow();
  const [locale, near] = useTimeWords();
  return (
    <time dateTime={iso} title={n === null ? undefined : relative(Date.parse(iso), n, locale, near)} className={className}>
      {n === null ? utc(iso) : exact(iso, locale)}
    </time>
  );
}

/** How long something took, in the app's language: "2 h 5 min", "2 小时 5 分钟". */
export function useDuration(): (ms: number) => string {
  const t = useTranslations("ui.duration");
  const units = { s: t("s"), min: t("min"), h: t("h"), d: t("d") };
  return (ms: number) => formatDuration(ms, units);
}
