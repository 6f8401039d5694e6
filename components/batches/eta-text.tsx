"use client";
// A running batch's estimate in words: "in 12–20 min (about 15 min), fair", or why there is none yet.
import type { Eta } from "@/lib/batches/eta";
import { formatDuration } from "@/lib/batches/eta";
import { num } from "./fetch-json";

const SURE: Record<NonNullable<Eta["confidence"]>, string> = {
  rough: "a rough estimate",
  fair: "a fair estimate",
  good: "a good estimate",
};

export function etaWords(eta: Eta, now: number): string {
  if (!eta.range) return eta.why ?? "No estimate yet.";
  const { earliest, latest, likely } = eta.range;
  const lo = formatDuration(Math.max(0, earliest - now));
  const hi = formatDuration(Math.max(0, latest - now));
  const span = lo === hi ? `in about ${lo}` : `in ${lo} – ${hi}`;
  return `Ends ${span} (likely ${new Date(likely).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" })}), ${SURE[eta.confidence ?? "rough"]}.`;
}

export function EtaText({ eta, now, className }: { eta: Eta; now: number; className?: string }) {
  return (
    <div className={className}>
      <p className="text-sm text-slate-700" data-testid="eta">
        {etaWords(eta, now)}
      </p>
      {eta.perMinute !== null && <p className="text-xs tabular-nums text-slate-500">{num(Math.round(eta.perMinute * 10) / 10)} requests/min recently</p>}
      {eta.beyondDeadline && <p className="text-xs font-medium text-amber-700">At this pace it may not finish before the provider&apos;s completion window ends.</p>}
    </div>
  );
}
