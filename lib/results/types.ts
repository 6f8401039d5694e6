// The shapes the results browser and its routes hand out: a result beside its prompt, a keyset page
// of them, the filters' values and the detail drawer's view. Plain JSON (ids as strings, no BigInt,
// no Date) so that a page can hand them to react-query as initial data and a route can send the very
// same objects. Types only: the browser imports them too.
import type { ParsedResult } from "@/lib/providers/adapter";
import type { ResultSortParam, ResultStatusParam } from "./params";

export type ResultStatusFilter = ResultStatusParam;

/** What narrows the results: the same fields, and names, as the view's URL (params.ts). */
export interface ResultFilter {
  status?: ResultStatusFilter;
  /** Case-insensitive text searched in custom_id, prompt and answer. */
  q?: string;
  /** Exact error code, finish reason or model. */
  code?: string;
  finish?: string;
  model?: string;
}

export interface ResultQuery extends ResultFilter {
  page?: number;
  pageSize?: number;
}

/** A keyset page of the results browser: `after` is the previous page's `nextCursor`. */
export interface BrowseQuery extends ResultFilter {
  sort?: ResultSortParam;
  after?: string | null;
  limit?: number;
  /**
   * Count the matching rows too (the first page only: the count does not change while scrolling).
   * "if-short": only when the first page holds every match (its length, free); otherwise null, and
   * the count is asked for apart (countView): a search's page is shown before its count.
   */
  count?: boolean | "if-short";
  /** Where a search's count stops (SEARCH_COUNT_CAP by default, never below `limit`). */
  countCap?: number;
}

export interface ResultsPage {
  rows: ResultRow[];
  /** Where the next page starts, or null after the last row. */
  nextCursor: string | null;
  /** Matching rows, when asked for. */
  total: number | null;
  /** Whether `total` is a lower bound: a search's count stops at a cap, and more rows match ("1,000+"). */
  totalCapped: boolean;
}

/** A view's count alone (?count=1): a search's, asked for after its first page. */
export interface ViewCount {
  total: number;
  /** Whether `total` is a lower bound (a search's count stops at a cap). */
  totalCapped: boolean;
}

/** The distinct values of the filterable fields in one batch, with how many rows hold each. */
export interface ResultFacets {
  codes: { value: string; n: number }[];
  finishReasons: { value: string; n: number }[];
  models: { value: string; n: number }[];
  /** The header of the uploaded CSV the batch's input came from (its columns can be joined back), or null. */
  sourceColumns: string[] | null;
}

/** Everything the detail drawer shows about one result. */
export interface ResultDetail extends ResultRow {
  /** The request's body as sent (messages, parameters), or null when the input lacks the custom_id. */
  requestBody: unknown;
  /** The CSV row the request came from ({row, cells}) and the file's header, for CSV uploads. */
  source: { row: number; cells: string[] } | null;
  sourceColumns: string[] | null;
  /** The provider's line as stored, pretty-printed. */
  raw: string;
}

/**
 * A stored result as the browser shows it: the fields ingest parsed from the provider's line (but
 * its usage JSON and raw line, which the detail drawer and the exports read), the request's prompt
 * beside it, and the row's id as a string.
 */
export interface ResultRow extends Omit<ParsedResult, "usage" | "raw"> {
  id: string;
  prompt: string | null;
  /** The line of the request in the input file; null for a custom_id the input lacks. */
  line: number | null;
}
