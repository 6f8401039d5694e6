// The overview's period and grouping, as its address carries them (?period=7d&by=model). Unknown
// values fall back to the defaults, like the results' filters. Browser-safe: no server code.

export const PERIODS = { "24h": "Last 24 hours", "7d": "Last 7 days", "30d": "Last 30 days", "90d": "Last 90 days", month: "This month" } as const;
export type OverviewPeriod = keyof typeof PERIODS;

export const DIMENSIONS = { provider: "Provider", connection: "Connection", model: "Model", member: "Member", source: "Source" } as const;
export type SpendDimension = keyof typeof DIMENSIONS;

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export function parsePeriod(v: string | null | undefined): OverviewPeriod {
  return v && v in PERIODS ? (v as OverviewPeriod) : "30d";
}

export function parseDimension(v: string | null | undefined): SpendDimension {
  return v && v in DIMENSIONS ? (v as SpendDimension) : "provider";
}

/** The period's first instant and the end (now), for `createdAt >= from AND createdAt < to`. */
export function periodRange(period: OverviewPeriod, now: Date): { from: Date; to: Date } {
  const to = new Date(now.getTime() + 1);
  if (period === "month") return { from: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)), to };
  const days = { "24h": 1, "7d": 7, "30d": 30, "90d": 90 }[period];
  // Whole buckets: from the start of the first hour (24h) or UTC day.
  const bucket = bucketMs(period);
  return { from: new Date(Math.floor((now.getTime() - days * DAY) / bucket + 1) * bucket), to };
}

/** Hours for a day's view, days otherwise (UTC). */
export function bucketMs(period: OverviewPeriod): number {
  return period === "24h" ? HOUR : DAY;
}

/** Every bucket start of the range, so that a quiet day shows as zero rather than vanishing. */
export function buckets(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let t = Math.floor(from / step) * step; t < to; t += step) out.push(t);
  return out;
}

export const overviewHref = (period: OverviewPeriod, by: SpendDimension) => `/overview?period=${period}&by=${by}`;
