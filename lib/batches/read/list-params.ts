// The batches list's filters and its keyset position, as the address carries them: read strictly
// on the server (list.ts: a bad value names the parameter, lib/http/params.ts) and written by the filter
// bar in the browser. Browser-safe: no server code.
import type { BatchStatus } from "@/lib/generated/prisma/enums";

export const BATCH_STATUSES: BatchStatus[] = ["LAUNCHING", "VALIDATING", "IN_PROGRESS", "FINALIZING", "COMPLETED", "FAILED", "EXPIRED", "CANCELLING", "CANCELLED"];

export const BATCH_SOURCES = ["browser", "api", "import"] as const;
/** Where a batch came from: the browser, the API (with a token), or a provider's history (import). */
export type BatchSource = (typeof BATCH_SOURCES)[number];

export interface BatchListFilters {
  status?: BatchStatus;
  source?: BatchSource;
  /** A provider kind (lib/providers/profiles.ts). */
  provider?: string;
  connection?: string;
  /** A member's user id. */
  member?: string;
  /** YYYY-MM-DD (UTC), inclusive. */
  from?: string;
  to?: string;
  /** Part of the name, any case. */
  q?: string;
}

export interface BatchListParams extends BatchListFilters {
  /** Older than this position (the next page). */
  after?: string;
  /** Newer than this position (the previous page). */
  before?: string;
}

export const FILTER_KEYS = ["status", "source", "provider", "connection", "member", "from", "to", "q"] as const;

/** The address of the list with these filters (and position), for links and the filter bar. */
export function batchListHref(p: BatchListParams, base = "/batches"): string {
  const sp = new URLSearchParams();
  for (const k of [...FILTER_KEYS, "after", "before"] as const) {
    const v = p[k];
    if (v) sp.set(k, k === "status" ? v.toLowerCase() : v);
  }
  const s = sp.toString();
  return s ? `${base}?${s}` : base;
}

export function filtersOf(p: BatchListParams): BatchListFilters {
  return Object.fromEntries(FILTER_KEYS.filter((k) => p[k]).map((k) => [k, p[k]])) as BatchListFilters;
}

export const hasFilters = (p: BatchListParams) => FILTER_KEYS.some((k) => Boolean(p[k]));
