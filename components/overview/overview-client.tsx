"use client";
// The overview's body, kept fresh while batches run (GET /api/overview, which marks no visit):
// active batches with ETA, spend or tokens per day as stacked bars by the chosen grouping (and as
// CSV), totals with the success rate and top error codes, what finished since the last visit, and
// the month's budgets.
import Link from "next/link";
import { useState } from "react";
import { useFormatter, useTranslations } from "next-intl";
import { useQuery } from "@tanstack/react-query";
import type { Overview } from "@/lib/overview/overview";
import { buckets, DIMENSIONS, overviewHref, PERIODS, type OverviewPeriod, type SpendDimension } from "@/lib/overview/period";
import { useMoney } from "@/components/ui/money";
import { useProviderLabel } from "@/components/ui/provider-label";
import { Card, CardHeader } from "@/components/ui/card";
import { BarSeriesChart, seriesPalette, type TimePoint } from "@/components/ui/chart";
import { StatusBadge } from "@/components/ui/status-badge";
import { RelativeTime, useNow } from "@/components/ui/time";
import { cn } from "@/components/ui/cn";
import { ProgressBar } from "@/components/batches/progress-bar";
import { EtaText } from "@/components/batches/eta-text";
import { fetchJson } from "@/components/batches/fetch-json";
import { BudgetPanel } from "./budget-panel";

type Metric = "cost" | "tokens";

/** The chart's rows: one per bucket of the period (quiet ones at zero), a key per series; `label` names a series. */
export function chartData(
  o: Pick<Overview, "spend" | "from" | "to" | "bucketMs" | "labels">,
  metric: Metric,
  currency: string | null,
  label: (key: string, serverLabel: string) => string = (_k, l) => l,
) {
  const rows = o.spend.filter((s) => metric === "tokens" || (s.currency === currency && s.cost !== null));
  const keys = [...new Set(rows.map((r) => r.key))];
  const totals = new Map(keys.map((k) => [k, rows.filter((r) => r.key === k).reduce((a, r) => a + (metric === "cost" ? (r.cost ?? 0) : r.tokens), 0)]));
  keys.sort((a, b) => totals.get(b)! - totals.get(a)!);
  const data: TimePoint[] = buckets(Date.parse(o.from), Date.parse(o.to), o.bucketMs).map((t) => {
    const p: TimePoint = { t };
    for (const k of keys) p[k] = 0;
    return p;
  });
  const at = new Map(data.map((p) => [p.t, p]));
  for (const r of rows) {
    const p = at.get(r.t);
    if (p) p[r.key] += metric === "cost" ? (r.cost ?? 0) : r.tokens;
  }
  const series = keys.map((k, i) => ({ key: k, label: label(k, o.labels[k] ?? k), color: seriesPalette[i % seriesPalette.length] }));
  return { data, series };
}

/** The keys of a label map, each named by `name` (the maps' own labels are English). */
function labelled<T extends string>(items: Record<T, string>, name: (k: T) => string): Record<T, string> {
  return Object.fromEntries((Object.keys(items) as T[]).map((k) => [k, name(k)])) as Record<T, string>;
}

function Tabs<T extends string>({ items, value, href, label }: { items: Record<T, string>; value: T; href: (v: T) => string; label: string }) {
  return (
    <nav aria-label={label} className="flex flex-wrap gap-1">
      {(Object.keys(items) as T[]).map((k) => (
        <Link
          key={k}
          href={href(k)}
          aria-current={k === value ? "page" : undefined}
          className={cn("rounded-md px-2.5 py-1 text-sm", k === value ? "bg-brand-600 font-medium text-white" : "text-slate-600 ring-1 ring-inset ring-slate-200 hover:bg-slate-50")}
        >
          {items[k]}
        </Link>
      ))}
    </nav>
  );
}

/** The server names some series in English (who left, no model, where a batch came from): named here in the app's language. */
function useSeriesLabel(by: SpendDimension) {
  const t = useTranslations("overview.series");
  const providerName = useProviderLabel();
  return (key: string, serverLabel: string) => {
    if (by === "provider") return providerName(serverLabel);
    if (by === "member" && key === "") return t("someoneWhoLeft");
    if (by === "model" && key === "") return t("noModel");
    if (by === "source") {
      if (key === "browser") return t("browser");
      if (key === "import") return t("imported");
      if (key === "api:") return t("deletedToken");
      if (key.startsWith("api:")) return t("api", { name: serverLabel.replace(/^API: /, "") });
    }
    return serverLabel;
  };
}

export function OverviewClient({ initial, canManage }: { initial: Overview; canManage: boolean }) {
  const formatMoney = useMoney();
  const t = useTranslations("overview");
  const format = useFormatter();
  const num = (n: number) => format.number(n);
  const compact = (n: number) => format.number(n, { notation: "compact", maximumFractionDigits: 1 });
  const periods = (p: OverviewPeriod) => t(`periods.${p}`);
  const dimension = (d: SpendDimension) => t(`dimensions.${d}`);
  const since = initial.finished.since;
  const url = `/api/overview?period=${initial.period}&by=${initial.by}${since ? `&since=${encodeURIComponent(since)}` : ""}`;
  const { data: o } = useQuery({
    queryKey: ["overview", url],
    queryFn: ({ signal }) => fetchJson<Overview>(url, signal),
    initialData: initial,
    refetchInterval: (q) => ((q.state.data?.activeCount ?? 0) > 0 ? 5000 : false),
  });
  const now = useNow() ?? Date.parse(o.to);
  const currencies = [...new Set([o.budget.currency, ...o.totals.cost.map((c) => c.currency)])].filter((c) => o.totals.cost.some((x) => x.currency === c));
  const [metric, setMetric] = useState<Metric>("cost");
  const [currency, setCurrency] = useState<string | null>(currencies[0] ?? null);
  const shown: Metric = metric === "cost" && !currency ? "tokens" : metric;
  const seriesLabel = useSeriesLabel(o.by);
  const chart = chartData(o, shown, currency, seriesLabel);
  const hourly = o.bucketMs < 86_400_000;
  const month = format.dateTime(new Date(`${o.budget.month}-01T00:00:00Z`), { year: "numeric", month: "long", timeZone: "UTC" });
  const money = (n: number) => formatMoney(n, currency ?? "USD");

  return (
    <div className="space-y-6">
      <div className="grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-4">
        <Figure label={t("spend")} value={o.totals.cost.length ? o.totals.cost.map((c) => formatMoney(c.amount, c.currency)).join(" + ") : "—"} note={periods(o.period)} />
        <Figure label={t("tokens")} value={compact(o.totals.tokens)} note={t("tokensNote", { batches: o.totals.batches, requests: o.totals.requests })} />
        <Figure
          label={t("successRate")}
          value={
            o.totals.successRate === null
              ? "—"
              : format.number(Math.floor(o.totals.successRate * 1000) / 1000, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 })
          }
          note={t("successNote", { completed: o.totals.completed, failed: o.totals.failed })}
        />
        <Figure label={t("runningNow")} value={num(o.activeCount)} note={o.activeCount ? t("inProgress") : t("nothingRunning")} />
      </div>

      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader title={t("active.title")} description={t("active.description")} />
          {o.active.length === 0 ? (
            <p className="px-5 pb-5 text-sm text-slate-500">{t("active.none")}</p>
          ) : (
            <ul className="divide-y divide-slate-100" aria-label={t("active.title")}>
              {o.active.map((b) => (
                <li key={b.id} className="grid gap-2 px-5 py-3 sm:grid-cols-[minmax(0,1fr)_12rem] sm:items-center">
                  <div className="min-w-0 space-y-1">
                    <div className="flex min-w-0 items-center gap-2">
                      <Link href={`/batches/${b.id}`} className="truncate font-medium text-slate-900 hover:text-brand-700 hover:underline">
                        {b.name}
                      </Link>
                      <StatusBadge status={b.status} />
                    </div>
                    <EtaText eta={b.eta} now={now} />
                  </div>
                  <ProgressBar total={b.total} completed={b.completed} failed={b.failed} />
                </li>
              ))}
            </ul>
          )}
          {o.activeCount > o.active.length && (
            <p className="border-t border-slate-100 px-5 py-2 text-xs text-slate-500">
              {t.rich("active.more", {
                count: o.activeCount - o.active.length,
                link: (chunks) => (
                  <Link href="/batches?status=in_progress" className="text-brand-700 hover:underline">
                    {chunks}
                  </Link>
                ),
              })}
            </p>
          )}
        </Card>
        <Card>
          <CardHeader title={t("budgetTitle", { month })} />
          <div className="px-5 pb-5">
            <BudgetPanel budget={o.budget} canManage={canManage} />
          </div>
        </Card>
      </div>

      <Card>
        <div className="flex flex-wrap items-start justify-between gap-3 px-5 pt-5">
          <div>
            <h2 className="text-base font-semibold text-slate-900">{t("chart.title", { metric: shown })}</h2>
            <p className="text-sm text-slate-500">{t("chart.description", { bucket: hourly ? "hour" : "day", by: o.by })}</p>
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <div className="flex gap-1" role="group" aria-label={t("chart.show")}>
              {(["cost", "tokens"] as const).map((m) => (
                <button
                  key={m}
                  type="button"
                  aria-pressed={shown === m}
                  onClick={() => setMetric(m)}
                  disabled={m === "cost" && !currency}
                  className={cn("rounded-md px-2.5 py-1 text-sm disabled:opacity-50", shown === m ? "bg-slate-800 font-medium text-white" : "text-slate-600 ring-1 ring-inset ring-slate-200 hover:bg-slate-50")}
                >
                  {m === "cost" ? t("spend") : t("tokens")}
                </button>
              ))}
            </div>
            {shown === "cost" && currencies.length > 1 && (
              <select aria-label={t("chart.currency")} value={currency ?? ""} onChange={(e) => setCurrency(e.target.value)} className="rounded-md py-1 pl-2 pr-7 text-sm ring-1 ring-slate-200">
                {currencies.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            )}
            <a href={`/api/overview/spend.csv?period=${o.period}&by=${o.by}`} className="rounded-md px-2.5 py-1 text-sm text-brand-700 ring-1 ring-inset ring-slate-200 hover:bg-slate-50" download>
              {t("chart.downloadCsv")}
            </a>
          </div>
        </div>
        <div className="flex flex-wrap items-center justify-between gap-2 px-5 pt-3">
          <Tabs label={t("chart.period")} items={labelled(PERIODS, periods)} value={o.period} href={(p) => overviewHref(p, o.by)} />
          <Tabs<SpendDimension> label={t("chart.groupBy")} items={labelled(DIMENSIONS, dimension)} value={o.by} href={(d) => overviewHref(o.period, d)} />
        </div>
        <div className="px-3 pb-4 pt-4 sm:px-5">
          <BarSeriesChart
            aria-label={t("chart.aria", { metric: shown, bucket: hourly ? "hour" : "day", by: o.by })}
            data={chart.data}
            series={chart.series}
            bucketMs={o.bucketMs}
            format={shown === "cost" ? money : compact}
            empty={shown === "cost" ? t("chart.emptyCost") : t("chart.empty")}
          />
        </div>
      </Card>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader title={t("errors.title")} description={t("errors.description", { period: o.period })} />
          {o.errors.length === 0 ? (
            <p className="px-5 pb-5 text-sm text-slate-500">{t("errors.none")}</p>
          ) : (
            <ol className="divide-y divide-slate-100 px-5 pb-3" aria-label={t("errors.codes")}>
              {o.errors.map((e) => (
                <li key={e.code ?? "none"} className="flex items-center justify-between gap-3 py-2 text-sm">
                  <code className="truncate rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-800">{e.code ?? t("errors.noCode")}</code>
                  <span className="tabular-nums text-slate-600">{num(e.count)}</span>
                </li>
              ))}
            </ol>
          )}
        </Card>
        <Card>
          <CardHeader
            title={t("finished.title")}
            description={o.finished.since ? t.rich("finished.since", { time: () => <RelativeTime iso={o.finished.since!} /> }) : t("finished.firstVisit")}
          />
          {o.finished.since && o.finished.batches.length === 0 ? (
            <p className="px-5 pb-5 text-sm text-slate-500">{t("finished.none")}</p>
          ) : (
            <ul className="divide-y divide-slate-100 px-5 pb-3" aria-label={t("finished.title")}>
              {o.finished.batches.map((b) => (
                <li key={b.id} className="flex items-center justify-between gap-3 py-2 text-sm">
                  <Link href={`/batches/${b.id}`} className="min-w-0 truncate font-medium text-slate-900 hover:text-brand-700 hover:underline">
                    {b.name}
                  </Link>
                  <span className="flex shrink-0 items-center gap-2">
                    <span className="text-xs tabular-nums text-slate-500">
                      {num(b.completed)} / {num(b.total)}
                    </span>
                    <StatusBadge status={b.status} />
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </div>
  );
}

function Figure({ label, value, note }: { label: string; value: string; note?: string }) {
  return (
    <Card className="px-4 py-3 sm:px-5 sm:py-4">
      <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</p>
      <p className="mt-1 break-words text-xl font-semibold tabular-nums text-slate-900 sm:text-2xl">{value}</p>
      {note && <p className="mt-0.5 text-xs text-slate-500">{note}</p>}
    </Card>
  );
}
