"use client";
// The one wrapper over recharts that every chart in Batchboard goes through, so that colours,
// axes, tooltips and the empty state look the same everywhere. Charts here plot numbers against
// time: give it points { t: epoch ms, [series key]: number } and the series to draw.
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from "recharts";
import type { NameType, ValueType } from "recharts/types/component/DefaultTooltipContent";
import { useLocale, useTranslations } from "next-intl";
import { evenTicks } from "@/lib/batches/eta";
import { cn } from "./cn";

/** Named colours, so a chart says "success" rather than a hex code. */
export const chartColors = {
  success: "#059669", // emerald-600
  danger: "#dc2626", // red-600
  brand: "#2a56d8",
  muted: "#94a3b8", // slate-400
  warning: "#d97706",
} as const;

export interface ChartSeries {
  key: string;
  label: string;
  color: keyof typeof chartColors | (string & {});
}

export type TimePoint = { t: number } & Record<string, number>;

export interface TimeSeriesChartProps {
  data: TimePoint[];
  series: ChartSeries[];
  /** Draw steps (a count that jumps when it is polled) rather than slopes. */
  step?: boolean;
  height?: number;
  /** A dashed horizontal line, e.g. the total the counts climb towards. */
  reference?: { y: number; label: string };
  /** Shown instead of an empty plot. */
  empty?: React.ReactNode;
  className?: string;
  "aria-label"?: string;
}

const colorOf = (c: string) => (c in chartColors ? chartColors[c as keyof typeof chartColors] : c);

// Axis and tooltip times in the app's language (`locale`), in the browser's own zone.
function timeTick(spanMs: number, locale: string) {
  return (t: number) => {
    const d = new Date(t);
    if (spanMs > 36 * 3600_000) return d.toLocaleDateString(locale, { month: "short", day: "numeric" });
    return d.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit", ...(spanMs < 10 * 60_000 ? { second: "2-digit" } : {}) });
  };
}

function ChartTooltip({ active, payload, label }: TooltipContentProps<ValueType, NameType>) {
  const locale = useLocale();
  if (!active || !payload?.length) return null;
  return (
    <div className="rounded-md bg-white px-3 py-2 text-xs shadow-md ring-1 ring-slate-200">
      <p className="mb-1 font-medium text-slate-700">{new Date(Number(label)).toLocaleString(locale)}</p>
      {payload.map((p) => (
        <p key={String(p.dataKey)} className="flex items-center gap-2 text-slate-600">
          <span className="h-2 w-2 rounded-full" style={{ background: p.color }} />
          <span>{p.name}</span>
          <span className="ml-auto pl-4 font-medium tabular-nums text-slate-900">{Number(p.value).toLocaleString(locale)}</span>
        </p>
      ))}
    </div>
  );
}

export function TimeSeriesChart({ data, series, step, height = 240, reference, empty, className, ...rest }: TimeSeriesChartProps) {
  const locale = useLocale();
  const t = useTranslations("ui");
  if (data.length === 0) {
    return (
      <div className={cn("grid place-items-center rounded-md bg-slate-50 text-sm text-slate-500", className)} style={{ height }}>
        {empty ?? t("nothingToPlot")}
      </div>
    );
  }
  const first = data[0].t;
  const last = data[data.length - 1].t;
  const span = Math.max(last - first, 1);
  return (
    <div className={cn("w-full", className)} style={{ height }} role="img" aria-label={rest["aria-label"]}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={[first, last === first ? first + 60_000 : last]}
            ticks={evenTicks(first, last === first ? first + 60_000 : last)}
            tickFormatter={timeTick(span, locale)}
            tick={{ fontSize: 11, fill: "#64748b" }}
            tickLine={false}
            axisLine={{ stroke: "#cbd5e1" }}
            minTickGap={40}
          />
          <YAxis
            allowDecimals={false}
            tick={{ fontSize: 11, fill: "#64748b" }}
            tickLine={false}
            axisLine={false}
            width={48}
            domain={[0, reference ? Math.max(reference.y, 1) : "auto"]}
          />
          <Tooltip content={(props) => <ChartTooltip {...props} />} />
          <Legend iconType="circle" iconSize={8} wrapperStyle={{ fontSize: 12 }} />
          {reference && (
            <ReferenceLine
              y={reference.y}
              stroke={chartColors.muted}
              strokeDasharray="4 4"
              label={{ value: reference.label, position: "insideTopLeft", fontSize: 11, fill: "#64748b" }}
            />
          )}
          {series.map((s) => (
            <Line
              key={s.key}
              dataKey={s.key}
              name={s.label}
              type={step ? "stepAfter" : "monotone"}
              stroke={colorOf(s.color)}
              strokeWidth={2}
              dot={data.length < 3}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Series colours after the named ones, for charts with a series per provider, model or member. */
export const seriesPalette = ["#2a56d8", "#059669", "#d97706", "#7c3aed", "#db2777", "#0891b2", "#65a30d", "#dc2626", "#475569"];

export interface BarSeriesChartProps {
  /** One point per bucket: { t: bucket start, [series key]: value }. */
  data: TimePoint[];
  series: ChartSeries[];
  /** The width of a bucket (an hour, a day), for the axis' labels. */
  bucketMs: number;
  format?: (v: number) => string;
  height?: number;
  empty?: React.ReactNode;
  className?: string;
  "aria-label"?: string;
}

/** Stacked bars over time buckets: spend or tokens per day, a colour per provider, model or member. */
export function BarSeriesChart({ data, series, bucketMs, format, height = 260, empty, className, ...rest }: BarSeriesChartProps) {
  const locale = useLocale();
  const t = useTranslations("ui");
  const fmt = format ?? ((v: number) => v.toLocaleString(locale));
  if (data.length === 0 || series.length === 0) {
    return (
      <div className={cn("grid place-items-center rounded-md bg-slate-50 text-sm text-slate-500", className)} style={{ height }}>
        {empty ?? t("nothingToPlot")}
      </div>
    );
  }
  const label = (at: number) =>
    bucketMs < 86_400_000
      ? new Date(at).toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" })
      : new Date(at).toLocaleDateString(locale, { month: "short", day: "numeric", timeZone: "UTC" });
  return (
    <div className={cn("w-full", className)} style={{ height }} role="img" aria-label={rest["aria-label"]}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="t" tickFormatter={label} tick={{ fontSize: 11, fill: "#64748b" }} tickLine={false} axisLine={{ stroke: "#cbd5e1" }} minTickGap={24} />
          <YAxis tickFormatter={fmt} tick={{ fontSize: 11, fill: "#64748b" }} tickLine={false} axisLine={false} width={64} />
          <Tooltip
            cursor={{ fill: "#f1f5f9" }}
            formatter={(v) => fmt(Number(v))}
            labelFormatter={(t) => label(Number(t))}
            contentStyle={{ fontSize: 12, borderRadius: 6, border: "1px solid #e2e8f0" }}
          />
          <Legend iconType="circle" iconSize={8} wrapperStyle={{ fontSize: 12 }} />
          {series.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.label} stackId="a" fill={colorOf(s.color)} isAnimationActive={false} maxBarSize={48} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
