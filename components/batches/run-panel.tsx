"use client";
// A batch while it runs (and after): when it should end at the pace observed, requests per minute,
// tokens and cost of the results stored so far, the time spent in each state, and what
// "finalizing" means (lib/batches/eta.ts).
import { useTranslations } from "next-intl";
import type { BatchView } from "@/lib/batches/read/view";
import { estimateEta, timeInStates } from "@/lib/batches/eta";
import { useMoney } from "@/components/ui/money";
import { Card, CardHeader } from "@/components/ui/card";
import { useStatusLabel } from "@/components/ui/status-badge";
import { useDuration, useNow } from "@/components/ui/time";
import { progressPoints } from "./progress-chart";
import { EtaText } from "./eta-text";
import { num } from "./fetch-json";

export function RunPanel({ b }: { b: BatchView }) {
  const formatMoney = useMoney();
  const now = useNow() ?? (b.lastPolledAt ? Date.parse(b.lastPolledAt) : Date.parse(b.createdAt));
  const points = progressPoints(b).map((p, i) => ({ t: p.t, completed: p.completed, failed: p.failed, status: b.snapshots[Math.min(i, b.snapshots.length - 1)]?.status ?? b.status }));
  // The point added for the last poll carries the current status.
  if (points.length > b.snapshots.length) points[points.length - 1].status = b.status;
  const running = !b.terminal;
  const eta = estimateEta(points, b.total, now, b.expiresAt ? Date.parse(b.expiresAt) : null);
  const spans = timeInStates(b.snapshots.map((s) => ({ t: Date.parse(s.at), status: s.status })), now, running);
  // Once over, the final state has no length ("Completed 0 s" told nothing): the run's whole length instead.
  const states = running ? spans : spans.filter((s, i) => !(i === spans.length - 1 && i > 0 && s.ms === 0));
  const total = running || states.length < 2 ? null : states.reduce((sum, s) => sum + s.ms, 0);
  const cost = b.usage.cost.map((c) => formatMoney(c.amount, c.currency)).join(" + ");
  const t = useTranslations("batches.run");
  const formatDuration = useDuration();
  const statusLabel = useStatusLabel();
  return (
    <Card>
      <CardHeader title={running ? t("whileRuns") : t("howRan")} />
      <div className="grid gap-5 px-5 pb-5 text-sm md:grid-cols-3">
        {running && (
          <div className="space-y-1">
            <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("estimatedEnd")}</p>
            <EtaText eta={eta} now={now} />
          </div>
        )}
        <div className="space-y-1">
          <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{running ? t("usageSoFar") : t("usage")}</p>
          {b.usage.results > 0 ? (
            <p className="text-slate-700" data-testid="usage-so-far">
              {cost
                ? t("usageLine", { tokens: num(b.usage.tokens), results: num(b.usage.results), cost })
                : t("usageLineNoPrice", { tokens: num(b.usage.tokens), results: num(b.usage.results) })}
            </p>
          ) : (
            <p className="text-slate-500">{running ? t("noneYet") : t("none")}</p>
          )}
        </div>
        <div className="space-y-1">
          <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("timeInStates")}</p>
          {states.length === 0 ? (
            <p className="text-slate-500">{t("noProgress")}</p>
          ) : (
            <ul className="space-y-0.5" aria-label={t("timeInStates")}>
              {states.map((s) => (
                <li key={s.status} className="flex justify-between gap-3 tabular-nums">
                  <span className={s.current ? "font-medium text-slate-900" : "text-slate-600"}>
                    {statusLabel(s.status)}
                    {s.current ? ` ${t("now")}` : ""}
                  </span>
                  <span className="text-slate-700">{formatDuration(s.ms)}</span>
                </li>
              ))}
              {total !== null && (
                <li className="flex justify-between gap-3 border-t border-slate-100 pt-0.5 font-medium tabular-nums text-slate-900">
                  <span>{t("totalTime")}</span>
                  <span>{formatDuration(total)}</span>
                </li>
              )}
            </ul>
          )}
        </div>
      </div>
      {b.status === "FINALIZING" && (
        <p role="note" className="mx-5 mb-5 rounded-md bg-indigo-50 px-3 py-2 text-sm text-indigo-900 ring-1 ring-indigo-200">
          {t("finalizing")}
        </p>
      )}
    </Card>
  );
}
