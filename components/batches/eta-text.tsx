"use client";
// A running batch's estimate in words: "in 12–20 min (about 15 min), fair", or why there is none yet.
import { useFormatter, useTranslations } from "next-intl";
import type { Eta } from "@/lib/batches/eta";
import { useDuration } from "@/components/ui/time";
import { num } from "./fetch-json";

type T = ReturnType<typeof useTranslations<"batches.eta">>;

export function etaWords(t: T, eta: Eta, now: number, time: (ms: number) => string, formatDuration: (ms: number) => string): string {
  if (!eta.range) return eta.why ? t(`why.${eta.why}`) : t("none");
  const { earliest, latest, likely } = eta.range;
  const lo = formatDuration(Math.max(0, earliest - now));
  const hi = formatDuration(Math.max(0, latest - now));
  const args = { lo, hi, likely: time(likely), sure: eta.confidence ?? "rough" };
  return lo === hi ? t("endsAbout", args) : t("endsRange", args);
}

export function EtaText({ eta, now, className }: { eta: Eta; now: number; className?: string }) {
  const t = useTranslations("batches.eta");
  const format = useFormatter();
  const duration = useDuration();
  const time = (ms: number) => format.dateTime(new Date(ms), { hour: "2-digit", minute: "2-digit" });
  return (
    <div className={className}>
      <p className="text-sm text-slate-700" data-testid="eta">
        {etaWords(t, eta, now, time, duration)}
      </p>
      {eta.perMinute !== null && <p className="text-xs tabular-nums text-slate-500">{t("perMinute", { rate: num(Math.round(eta.perMinute * 10) / 10) })}</p>}
      {eta.beyondDeadline && <p className="text-xs font-medium text-amber-700">{t("beyondDeadline")}</p>}
    </div>
  );
}
