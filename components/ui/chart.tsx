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
import { useFormatter, useTranslations } from "next-intl";
import { evenTicks } from "@/lib/batches/eta";
import { cn } from "./cn";

/**
 * Named colours, so a chart says "success" rather than a hex code. They are the theme's CSS variables
 * (app/globals.css), which dark mode flips, so a chart reads on either background.
 */
export const chartColors = {
  success: "var(--color-emerald-600)",
  danger: "var(--color-red-600)",
  brand: "var(--color-brand-600)",
  muted: "var(--color-slate-400)",
  warning: "var(--color-amber-600)",
} as const;

/** The axes, grid and tooltips, from the same variables. */
const ink = {
  grid: "var(--color-slate-200)",
  axis: "var(--color-slate-300)",
  tick: "var(--color-slate-500)",
  cursor: "var(--color-slate-100)",
  surface: "var(--color-white)",
} as const;
const tick = { fontSize: 11, fill: ink.tick };

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

type Format = ReturnType<typeof useFormatter>;

/** Dates and numbers in the reader's language and time zone (next-intl's formatter). */
function timeTick(format: Format, spanMs: number) {
  return (t: number) => {
    if (spanMs > 36 * 3600_000) return format.dateTime(t, { month: "short", day: "numeric" });
    return format.dateTime(t, { hour: "2-digit", minute: "2-digit", ...(spanMs < 10 * 60_000 ? { second: "2-digit" } : {}) });
  };
}

function ChartTooltip({ active, payload, label, format }: TooltipContentProps<ValueType, NameType> & { format: Format }) {
  if (!active || !payload?.length) return null;
  return (
    <div className="rounded-md bg-white px-3 py-2 text-xs shadow-md ring-1 ring-slate-200">
      <p className="mb-1 font-medium text-slate-700">{format.dateTime(Number(label), { dateStyle: "medium", timeStyle: "medium" })}</p>
      {payload.map((p) => (
        <p key={String(p.dataKey)} className="flex items-center gap-2 text-slate-600">
          <span className="h-2 w-2 rounded-full" style={{ background: p.color }} />
          <span>{p.name}</span>
          <span className="ml-auto pl-4 font-medium tabular-nums text-slate-900">{format.number(Number(p.value))}</span>
        </p>
      ))}
    </div>
  );
}

export function TimeSeriesChart({ data, series, step, height = 240, reference, empty, className, ...rest }: TimeSeriesChartProps) {
  const format = useFormatter();
  const t = useTranslations("shell.chart");
  if (data.length === 0) {
    return (
      <div className={cn("grid place-items-center rounded-md bg-slate-50 text-sm text-slate-500", className)} style={{ height }}>
        {empty ?? t("empty")}
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
          <CartesianGrid stroke={ink.grid} strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={[first, last === first ? first + 60_000 : last]}
            ticks={evenTicks(first, last === first ? first + 60_000 : last)}
            tickFormatter={timeTick(format, span)}
            tick={tick}
            tickLine={false}
            axisLine={{ stroke: ink.axis }}
            minTickGap={40}
          />
          <YAxis
            allowDecimals={false}
            tick={tick}
            tickLine={false}
            axisLine={false}
            width={48}
            domain={[0, reference ? Math.max(reference.y, 1) : "auto"]}
          />
          <Tooltip content={(p) => <ChartTooltip {...p} format={format} />} />
          <Legend iconType="circle" iconSize={8} wrapperStyle={{ fontSize: 12 }} />
          {reference && (
            <ReferenceLine
              y={reference.y}
              stroke={chartColors.muted}
              strokeDasharray="4 4"
              label={{ value: reference.label, position: "insideTopLeft", fontSize: 11, fill: ink.tick }}
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
export const seriesPalette = [
  "var(--color-brand-600)",
  "var(--color-emerald-600)",
  "var(--color-amber-600)",
  "var(--color-violet-600)",
  "var(--color-pink-600)",
  "var(--color-cyan-600)",
  "var(--color-lime-600)",
  "var(--color-red-600)",
  "var(--color-slate-600)",
];

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
export function BarSeriesChart({ data, series, bucketMs, format: formatValue, height = 260, empty, className, ...rest }: BarSeriesChartProps) {
  const format = useFormatter();
  const t = useTranslations("shell.chart");
  const value = formatValue ?? ((v: number) => format.number(v));
  if (data.length === 0 || series.length === 0) {
    return (
      <div className={cn("grid place-items-center rounded-md bg-slate-50 text-sm text-slate-500", className)} style={{ height }}>
        {empty ?? t("empty")}
      </div>
    );
  }
  const label = (at: number) =>
    bucketMs < 86_400_000 ? format.dateTime(at, { hour: "2-digit", minute: "2-digit" }) : format.dateTime(at, { month: "short", day: "numeric", timeZone: "UTC" });
  return (
    <div className={cn("w-full", className)} style={{ height }} role="img" aria-label={rest["aria-label"]}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke={ink.grid} strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="t" tickFormatter={label} tick={tick} tickLine={false} axisLine={{ stroke: ink.axis }} minTickGap={24} />
          <YAxis tickFormatter={value} tick={tick} tickLine={false} axisLine={false} width={64} />
          <Tooltip
            cursor={{ fill: ink.cursor }}
            formatter={(v) => value(Number(v))}
            labelFormatter={(at) => label(Number(at))}
            contentStyle={{ fontSize: 12, borderRadius: 6, border: `1px solid ${ink.grid}`, background: ink.surface }}
            labelStyle={{ color: ink.tick }}
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
